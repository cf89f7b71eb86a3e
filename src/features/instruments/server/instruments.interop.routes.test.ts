import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, makeWorld } from '../../../server/test/factories.js';
import { extdataPath } from '../../../server/test/extdata.js';
import { Agent, expectError, signIn, startTestApp, type TestContext } from '../../../server/test/harness.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
let coordinator: Agent;
let viewer: Agent;
let otherAdmin: Agent;
const surveyjs = readFileSync(extdataPath('survey_definitions/surveyjs_canada_aia_survey-enfr.json'));
const redcap = readFileSync(extdataPath('redcap/apsi_redcap_dict_reproschema_test.csv'));

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  coordinator = await signIn(ctx.app, w.people.districtCoordinator.email);
  viewer = await signIn(ctx.app, w.people.schoolViewer.email);
  otherAdmin = await signIn(ctx.app, w.people.otherAdmin.email);
});
afterAll(() => ctx.close());

const upload = (agent: Agent, query: string, body: Buffer, type: string) => agent.request('POST', `/api/instruments/import?${query}`, body, { 'content-type': type });

describe('POST /api/instruments/import', () => {
  it('needs a session, a right to manage instruments at the owner, and the owner in scope', async () => {
    expectError(await upload(new Agent(ctx.app), `ownerOrgId=${w.districtA.id}&id=x`, redcap, 'text/csv'), 401, 'unauthenticated');
    expectError(await upload(viewer, `ownerOrgId=${w.schoolA1.id}&id=x`, redcap, 'text/csv'), 403, 'forbidden');
    expectError(await upload(otherAdmin, `ownerOrgId=${w.districtA.id}&id=x`, redcap, 'text/csv'), 404, 'not_found');
    expectError(await upload(coordinator, `ownerOrgId=${w.districtA.id}&id=Bad Id`, redcap, 'text/csv'), 400, 'validation_failed', 'id');
    expect(await countRows(ctx.db, 'instruments', 'owner_org_id is not null')).toBe(0);
  });

  it('previews without storing: counts, languages, notes', async () => {
    const res = await upload(coordinator, `ownerOrgId=${w.districtA.id}&id=aia&fileName=survey.json`, surveyjs, 'application/json');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ format: 'surveyjs', stored: false, counts: { sections: 18, items: 305, skipped: 0 } });
    expect(body.definition.languages).toEqual(['en', 'fr']);
    expect(body.notes.length).toBeGreaterThan(0);
    expect(await countRows(ctx.db, 'instruments', "id = 'aia'")).toBe(0);
  });

  it('refuses a file that is not an instrument, naming the file, and stores nothing', async () => {
    const res = await upload(coordinator, `ownerOrgId=${w.districtA.id}&id=nope&preview=false&fileName=bfi.csv`, readFileSync(extdataPath('likert_survey/psych_bfi.csv')), 'text/csv');
    expectError(res, 400, 'bad_file', 'file');
    expect(res.json().error.message).toMatch(/REDCap data dictionary/);
    expectError(await upload(coordinator, `ownerOrgId=${w.districtA.id}&id=nope&preview=false&format=xlsform`, Buffer.from('not a workbook'), 'application/octet-stream'), 400, 'bad_file', 'file');
    expect(await countRows(ctx.db, 'instruments', "id = 'nope'")).toBe(0);
  });

  it('stores a draft owned by the organisation, audited; the same id again is a conflict', async () => {
    const res = await upload(coordinator, `ownerOrgId=${w.districtA.id}&id=apsi&preview=false&fileName=apsi.csv&kind=self_assessment`, redcap, 'text/csv');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ stored: true, format: 'redcap' });
    const detail = (await coordinator.get('/api/instruments/apsi')).json();
    expect(detail).toMatchObject({ ownerOrgId: w.districtA.id, draftVersion: 1, publishedVersion: null, kind: 'self_assessment' });
    // Visible below the owner, not in another branch.
    expect((await viewer.get('/api/instruments/apsi')).statusCode).toBe(200);
    expectError(await otherAdmin.get('/api/instruments/apsi'), 404, 'not_found');
    const audit = await auditRowsOf(ctx.db, 'instrument.imported');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ org_id: w.districtA.id, target_id: 'apsi@1', details: expect.objectContaining({ format: 'redcap', fileName: 'apsi.csv' }) });
    expectError(await upload(coordinator, `ownerOrgId=${w.districtA.id}&id=apsi&preview=false`, redcap, 'text/csv'), 409, 'conflict', 'id');
  });
});

describe('GET /api/instruments/:id/versions/:v/export', () => {
  it('downloads a shipped instrument for REDCap in French, and as SurveyJS', async () => {
    const csv = await viewer.get('/api/instruments/family_connectedness/versions/1/export?format=redcap&lang=fr');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="family_connectedness-v1-redcap-fr.csv"');
    const def = JSON.parse(readFileSync(new URL('../../../../content/instruments/family_connectedness/v1.json', import.meta.url), 'utf8'));
    // The first question's French text is in the file.
    expect(csv.body).toContain(def.sections[0].items[0].text.fr.replace(/"/g, '""'));
    const json = await viewer.get('/api/instruments/family_connectedness/versions/1/export?format=surveyjs');
    expect(json.statusCode).toBe(200);
    expect(json.json().pages).toHaveLength(def.sections.length);
  });

  it('answers 401, 404 outside scope, 400 for an unknown format', async () => {
    expectError(await new Agent(ctx.app).get('/api/instruments/family_connectedness/versions/1/export?format=redcap'), 401, 'unauthenticated');
    expectError(await otherAdmin.get('/api/instruments/apsi/versions/1/export?format=redcap'), 404, 'not_found');
    expectError(await viewer.get('/api/instruments/family_connectedness/versions/1/export?format=pdf'), 400, 'validation_failed', 'format');
  });
});
