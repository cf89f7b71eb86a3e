import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, makeOrg, makeWorld } from '../../../server/test/factories.js';
import { Agent, expectError, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { zonedToInstant } from './surveys.time.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  Object.assign(as, await signInAll(ctx.app, w.people));
});
afterAll(() => ctx.close());

/** A wall-clock time `hours` from now, in UTC, as the form sends it. */
export const utcIn = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);

const body = (over: Record<string, unknown> = {}) => ({
  orgId: w.districtA.id,
  instrumentId: 'student_connectedness_secondary',
  title: 'Fall student survey',
  languages: ['en', 'fr'],
  opensAt: utcIn(-1),
  closesAt: utcIn(24 * 14),
  timeZone: 'UTC',
  consent: 'passive',
  notice: { en: 'Families were told.', fr: 'Les familles ont été prévenues.' },
  assent: { en: 'You can stop at any time.', fr: 'Tu peux arrêter à tout moment.' },
  demographics: ['grade', 'gender_identity'],
  ...over,
});

describe('setting up an administration', () => {
  it('needs a coordinator of the organisation, and says which field to fix', async () => {
    const create = (agent: Agent, over: Record<string, unknown> = {}) => agent.post('/api/surveys/administrations', body(over));
    expectError(await create(new Agent(ctx.app)), 401, 'unauthenticated');
    expectError(await create(as.schoolMember, { orgId: w.schoolA1.id }), 403, 'forbidden');
    expectError(await create(as.otherAdmin), 404, 'not_found');
    expectError(await create(as.districtCoordinator, { instrumentId: 'quality_school' }), 400, 'validation_failed', 'instrumentId');
    expectError(await create(as.districtCoordinator, { languages: [] }), 400, 'validation_failed', 'languages');
    expectError(await create(as.districtCoordinator, { languages: ['en', 'es'] }), 400, 'validation_failed', 'notice');
    expectError(await create(as.districtCoordinator, { demographics: ['belong_part'] }), 400, 'validation_failed', 'demographics');
    expectError(await create(as.districtCoordinator, { closesAt: utcIn(-2) }), 400, 'validation_failed', 'closesAt');
    expectError(await create(as.districtCoordinator, { opensAt: 'tomorrow' }), 400, 'validation_failed', 'opensAt');
    expectError(await create(as.districtCoordinator, { timeZone: 'Mars/Olympus' }), 400, 'validation_failed', 'timeZone');
    expectError(await create(as.districtCoordinator, { openLink: false, accessCodes: false }), 400, 'validation_failed', 'openLink');
    expectError(await create(as.districtCoordinator, { schoolIds: [w.schoolB1.id] }), 400, 'validation_failed', 'schoolIds');
    expect(await countRows(ctx.db, 'survey_administrations')).toBe(0);
  });

  it('covers every active school of a district with its own open link, audited', async () => {
    const extra = await makeOrg(ctx.db, w.districtA, 'school', { name: 'School A3' });
    const res = await as.districtCoordinator.post('/api/surveys/administrations', body());
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ orgId: w.districtA.id, instrumentId: 'student_connectedness_secondary', instrumentVersion: 1, audience: 'student', state: 'open', schools: 3, responses: 0, consent: 'passive', demographics: ['grade', 'gender_identity'], can: { manage: true } });
    expect(a.sites.map((s: { name: string }) => s.name)).toEqual(['School A1', 'School A2', 'School A3']);
    const codes = a.sites.map((s: { linkCode: string }) => s.linkCode);
    expect(new Set(codes).size).toBe(3);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(a.sites.find((s: { orgId: number }) => s.orgId === extra.id)).toBeDefined();
    expect(await auditRowsOf(ctx.db, 'survey.created')).toHaveLength(1);
    // A school member reads it (their school takes part); a colleague elsewhere does not.
    const list = (await as.schoolMember.get(`/api/surveys/administrations?orgId=${w.schoolA1.id}`)).json();
    expect(list.items.map((i: { id: number }) => i.id)).toEqual([a.id]);
    expectError(await as.otherAdmin.get(`/api/surveys/administrations/${a.id}`), 404, 'not_found');
    expect((await as.schoolViewer.get(`/api/surveys/administrations/${a.id}`)).json().can.manage).toBe(false);
  });

  it('reads dates on the clock of the chosen time zone', () => {
    // 08:00 in Los Angeles on 5 October 2026 (daylight time, UTC−7) is 15:00 UTC.
    expect(zonedToInstant('2026-10-05T08:00', 'America/Los_Angeles').toISOString()).toBe('2026-10-05T15:00:00.000Z');
    // In January (standard time, UTC−8): 16:00 UTC.
    expect(zonedToInstant('2027-01-11T08:00', 'America/Los_Angeles').toISOString()).toBe('2027-01-11T16:00:00.000Z');
    expect(zonedToInstant('2026-10-05T08:00', 'Europe/Paris').toISOString()).toBe('2026-10-05T06:00:00.000Z');
  });
});

describe('the window: close early, extend, reopen', () => {
  it('moves the closing, audited, for coordinators only', async () => {
    const a = (await as.districtCoordinator.post('/api/surveys/administrations', body({ title: 'Window test' }))).json();
    expectError(await as.schoolMember.post(`/api/surveys/administrations/${a.id}/close`), 403, 'forbidden');
    expect((await as.districtCoordinator.post(`/api/surveys/administrations/${a.id}/close`)).json().state).toBe('closed');
    expectError(await as.districtCoordinator.post(`/api/surveys/administrations/${a.id}/close`), 409, 'conflict');
    expectError(await as.districtCoordinator.post(`/api/surveys/administrations/${a.id}/extend`, { closesAt: utcIn(-1) }), 400, 'validation_failed', 'closesAt');
    const reopened = (await as.districtCoordinator.post(`/api/surveys/administrations/${a.id}/extend`, { closesAt: utcIn(48) })).json();
    expect(reopened.state).toBe('open');
    expect(reopened.closesAt).toBe(`${utcIn(48)}:00.000Z`);
    expect(await auditRowsOf(ctx.db, 'survey.closed')).toHaveLength(1);
    expect(await auditRowsOf(ctx.db, 'survey.reopened')).toHaveLength(1);
  });
});
