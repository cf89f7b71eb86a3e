import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, makeWorld } from '../../../server/test/factories.js';
import { Agent, expectError, startTestApp, type TestContext, signInAll } from '../../../server/test/harness.js';
import { type InstrumentDefinition, instrumentDefinition } from '../model/instrument.schema.js';
import { contentDir } from './content.js';
import { instruments, instrumentVersions } from './instruments.tables.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
/** One signed-in agent per person of the world, reused by every test. */
const as: Record<string, Agent> = {};
let anon: Agent;

const SHIPPED = [
  'family_connectedness',
  'pillars_reflection',
  'quality_district',
  'quality_school',
  'school_mh_profile',
  'staff_connectedness',
  'student_connectedness_elementary',
  'student_connectedness_secondary',
];

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  anon = new Agent(ctx.app);
  Object.assign(as, await signInAll(ctx.app, w.people));
});
afterAll(() => ctx.close());

type Json = Record<string, unknown>;
const ids = (res: { json(): unknown }) => (res.json() as { items: { id: string }[] }).items.map((i) => i.id).sort();
const url = (id: string, version: number | string) => `/api/instruments/${id}/versions/${version}`;
const put = (agent: Agent, id: string, version: number | string, definition: unknown) => agent.request('PUT', url(id, version), { definition } as Json);
const publish = (agent: Agent, id: string, version: number | string) => agent.post(`${url(id, version)}/publish`);
const clone = (agent: Agent, id: string, version: number | string, body: Json) => agent.post(`${url(id, version)}/clone`, body);

async function versionRow(id: string, version: number) {
  const [row] = await ctx.db.select().from(instrumentVersions).where(and(eq(instrumentVersions.instrumentId, id), eq(instrumentVersions.version, version)));
  return row;
}
async function instrumentRow(id: string) {
  const [row] = await ctx.db.select().from(instruments).where(eq(instruments.id, id));
  return row;
}

/** Copies a shipped instrument into a new draft owned by `ownerOrgId`; fails loudly if that does not work. */
async function makeDraft(agent: Agent, newId: string, ownerOrgId: number, from = 'pillars_reflection'): Promise<InstrumentDefinition> {
  const res = await clone(agent, from, 1, { ownerOrgId, newId });
  if (res.statusCode !== 201) throw new Error(`clone ${from} → ${newId}: ${res.statusCode} ${res.body}`);
  return res.json().definition;
}

describe('GET /api/instruments/schema.json', () => {
  it('is public and is a JSON Schema (draft 2020-12) of the definition', async () => {
    const res = await anon.get('/api/instruments/schema.json');
    expect(res.statusCode).toBe(200);
    const schema = res.json();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['schemaVersion', 'id', 'version', 'kind', 'audience', 'title', 'sections', 'scales', 'labelSets']));
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'id', 'version', 'sections']));
    // Signed in or not, the same document.
    expect((await as.schoolViewer.get('/api/instruments/schema.json')).json()).toEqual(schema);
  });

  it('describes the shipped files, which validate against the Zod schema it was generated from', async () => {
    const schema = (await anon.get('/api/instruments/schema.json')).json() as { properties: Json; required: string[] };
    const file = JSON.parse(readFileSync(path.join(contentDir, 'instruments', 'pillars_reflection', 'v1.json'), 'utf8')) as Json;
    const parsed = instrumentDefinition.safeParse(file);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    for (const key of schema.required) expect(file, key).toHaveProperty(key);
    for (const key of Object.keys(file)) expect(schema.properties, key).toHaveProperty(key);
  });
});

describe('GET /api/instruments (library)', () => {
  beforeAll(async () => {
    // District A's own instrument, still a draft.
    await makeDraft(as.districtAdmin, 'district_a_pulse', w.districtA.id);
  });

  it('needs a session', async () => {
    expectError(await anon.get('/api/instruments'), 401, 'unauthenticated');
  });

  it('shows every shipped instrument to everyone signed in, without the right to manage them', async () => {
    const res = await as.nobody.get('/api/instruments');
    expect(res.statusCode).toBe(200);
    expect(ids(res)).toEqual(SHIPPED);
    for (const item of res.json().items) {
      expect(item).toMatchObject({ ownerOrgId: null, ownerName: null, publishedVersion: 1, draftVersion: null, canManage: false });
      expect(item.languages.sort()).toEqual(['en', 'es', 'fr']);
    }
    expect(ids(await as.otherAdmin.get('/api/instruments'))).toEqual(SHIPPED);
    const profile = res.json().items.find((i: { id: string }) => i.id === 'school_mh_profile');
    expect(profile).toMatchObject({ kind: 'profile', audience: 'team', scaleCount: 0 });
    expect(profile.itemCount).toBeGreaterThan(0);
    expect(profile.tags).toContain('quality:screening');
  });

  it('filters by kind and audience', async () => {
    expect(ids(await as.nobody.get('/api/instruments?kind=survey'))).toEqual(['family_connectedness', 'staff_connectedness', 'student_connectedness_elementary', 'student_connectedness_secondary']);
    expect(ids(await as.nobody.get('/api/instruments?kind=profile'))).toEqual(['school_mh_profile']);
    expect(ids(await as.nobody.get('/api/instruments?kind=self_assessment'))).toEqual(['pillars_reflection', 'quality_district', 'quality_school']);
    expect(ids(await as.nobody.get('/api/instruments?audience=student'))).toEqual(['student_connectedness_elementary', 'student_connectedness_secondary']);
    expect(ids(await as.nobody.get('/api/instruments?kind=survey&audience=family'))).toEqual(['family_connectedness']);
    expect(ids(await as.nobody.get('/api/instruments?kind=profile&audience=student'))).toEqual([]);
  });

  it('filters by a framework element or a whole framework', async () => {
    expect(ids(await as.nobody.get('/api/instruments?tag=quality:screening'))).toEqual(['quality_district', 'quality_school', 'school_mh_profile']);
    expect(ids(await as.nobody.get('/api/instruments?tag=quality'))).toEqual(SHIPPED.filter((i) => i !== 'pillars_reflection'));
    expect(ids(await as.nobody.get('/api/instruments?tag=pillars'))).toEqual(SHIPPED.filter((i) => i !== 'school_mh_profile'));
    expect(ids(await as.nobody.get('/api/instruments?tag=pillars:evidence_based_practice'))).toEqual(['pillars_reflection', 'quality_district', 'quality_school']);
    // A prefix of a framework id is not a framework.
    expect(ids(await as.nobody.get('/api/instruments?tag=qual'))).toEqual([]);
    expect(ids(await as.nobody.get('/api/instruments?tag=quality:no_such_element'))).toEqual([]);
  });

  it('searches titles in every language and ids, ignoring case', async () => {
    expect(ids(await as.nobody.get('/api/instruments?q=connectedness'))).toEqual(['family_connectedness', 'staff_connectedness', 'student_connectedness_elementary', 'student_connectedness_secondary']);
    expect(ids(await as.nobody.get('/api/instruments?q=PILIERS'))).toEqual(['pillars_reflection']);
    expect(ids(await as.nobody.get(`/api/instruments?q=${encodeURIComponent('(district)')}`))).toEqual(['quality_district']);
    expect(ids(await as.nobody.get('/api/instruments?q=zzz_nothing'))).toEqual([]);
    expect(ids(await as.nobody.get('/api/instruments?q=survey&audience=staff'))).toEqual(['staff_connectedness']);
  });

  it('refuses bad filters naming the field', async () => {
    expectError(await as.nobody.get('/api/instruments?kind=quiz'), 400, 'validation_failed', 'kind');
    expectError(await as.nobody.get('/api/instruments?audience=aliens'), 400, 'validation_failed', 'audience');
    expectError(await as.nobody.get(`/api/instruments?q=${'x'.repeat(101)}`), 400, 'validation_failed', 'q');
    expectError(await as.nobody.get(`/api/instruments?tag=${'x'.repeat(131)}`), 400, 'validation_failed', 'tag');
  });

  it('shows an organisation\'s own instrument at the owner, above it and below it, and nowhere else', async () => {
    for (const who of ['districtAdmin', 'districtCoordinator', 'networkAdmin', 'schoolMember', 'schoolViewer', 'operator']) {
      expect(ids(await as[who].get('/api/instruments')), who).toContain('district_a_pulse');
    }
    for (const who of ['otherAdmin', 'partnerCoordinator', 'nobody']) {
      expect(ids(await as[who].get('/api/instruments')), who).not.toContain('district_a_pulse');
    }
    const own = (await as.districtCoordinator.get('/api/instruments?q=district_a_pulse')).json().items;
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ id: 'district_a_pulse', ownerOrgId: w.districtA.id, ownerName: 'District A', publishedVersion: null, draftVersion: 1, canManage: true, kind: 'self_assessment' });
    expect((await as.schoolMember.get('/api/instruments?q=district_a_pulse')).json().items[0].canManage).toBe(false);
    expect((await as.networkAdmin.get('/api/instruments?q=district_a_pulse')).json().items[0].canManage).toBe(true);
    // Shipped instruments come first, then the organisation's own.
    const list = (await as.districtAdmin.get('/api/instruments?tag=pillars')).json().items.map((i: { id: string }) => i.id);
    expect(list.at(-1)).toBe('district_a_pulse');
  });
});

describe('GET /api/instruments/:id and /versions/:version', () => {
  beforeAll(async () => {
    await makeDraft(as.districtAdmin, 'district_a_read', w.districtA.id);
  });

  it('needs a session', async () => {
    expectError(await anon.get('/api/instruments/quality_school'), 401, 'unauthenticated');
    expectError(await anon.get(url('quality_school', 1)), 401, 'unauthenticated');
  });

  it('hides another branch\'s instrument behind the same 404 as a missing one', async () => {
    const other = await as.otherAdmin.get('/api/instruments/district_a_read');
    const missing = await as.otherAdmin.get('/api/instruments/no_such_instrument');
    expectError(other, 404, 'not_found');
    expectError(missing, 404, 'not_found');
    expect(other.json()).toEqual(missing.json());
    expectError(await as.otherAdmin.get(url('district_a_read', 1)), 404, 'not_found');
    expectError(await as.partnerCoordinator.get(url('district_a_read', 1)), 404, 'not_found');
    expectError(await as.schoolViewer.get(url('quality_school', 9)), 404, 'not_found');
  });

  it('refuses malformed ids and versions naming them', async () => {
    expectError(await as.schoolViewer.get('/api/instruments/Quality'), 400, 'validation_failed', 'id');
    expectError(await as.schoolViewer.get(url('quality_school', 0)), 400, 'validation_failed', 'version');
    expectError(await as.schoolViewer.get(url('quality_school', 'latest')), 400, 'validation_failed', 'version');
    expectError(await as.schoolViewer.get(url('quality_school', 1.5)), 400, 'validation_failed', 'version');
  });

  it('returns a shipped instrument with its published version, clean of issues', async () => {
    const res = await as.schoolViewer.get('/api/instruments/quality_school');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'quality_school', ownerOrgId: null, publishedVersion: 1, canManage: false, versions: [{ version: 1, status: 'published', publishedAt: expect.any(String) }] });
    const v = await as.schoolViewer.get(url('quality_school', 1));
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ instrumentId: 'quality_school', version: 1, status: 'published', issues: [], canEdit: false });
    expect(v.json().definition.id).toBe('quality_school');
  });

  it('returns an organisation\'s draft to those who can see it, editable by its managers only', async () => {
    expect((await as.districtCoordinator.get(url('district_a_read', 1))).json()).toMatchObject({ status: 'draft', canEdit: true });
    expect((await as.schoolMember.get(url('district_a_read', 1))).json()).toMatchObject({ status: 'draft', canEdit: false });
    const detail = (await as.schoolMember.get('/api/instruments/district_a_read')).json();
    expect(detail).toMatchObject({ ownerOrgId: w.districtA.id, draftVersion: 1, publishedVersion: null, versions: [{ version: 1, status: 'draft', publishedAt: null }] });
  });
});

describe('POST /api/instruments/:id/versions/:version/clone', () => {
  it('needs a session and the CSRF token', async () => {
    expectError(await clone(anon, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'anon_copy' }), 401, 'unauthenticated');
    expectError(await as.districtAdmin.withoutCsrf('POST', `${url('pillars_reflection', 1)}/clone`, { ownerOrgId: w.districtA.id, newId: 'forged_copy' }), 403, 'csrf_failed');
    expect(await countRows(ctx.db, "instruments where id in ('anon_copy', 'forged_copy')")).toBe(0);
  });

  it('answers 404 for a source or an owner outside the caller\'s scope', async () => {
    await makeDraft(as.districtAdmin, 'district_a_source', w.districtA.id);
    expectError(await clone(as.otherAdmin, 'district_a_source', 1, { ownerOrgId: w.districtB.id, newId: 'stolen_copy' }), 404, 'not_found');
    expectError(await clone(as.otherAdmin, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'planted_copy' }), 404, 'not_found');
    expectError(await clone(as.partnerCoordinator, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'partner_copy' }), 404, 'not_found');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: 987654, newId: 'ghost_copy' }), 404, 'not_found');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 7, { ownerOrgId: w.districtA.id, newId: 'no_version_copy' }), 404, 'not_found');
    expect(await countRows(ctx.db, "instruments where id in ('stolen_copy', 'planted_copy', 'partner_copy', 'ghost_copy', 'no_version_copy')")).toBe(0);
  });

  it('answers 403 to viewers and members', async () => {
    expectError(await clone(as.schoolViewer, 'pillars_reflection', 1, { ownerOrgId: w.schoolA1.id, newId: 'viewer_copy' }), 403, 'forbidden');
    expectError(await clone(as.schoolMember, 'pillars_reflection', 1, { ownerOrgId: w.schoolA1.id, newId: 'member_copy' }), 403, 'forbidden');
    expect(await countRows(ctx.db, "instruments where id in ('viewer_copy', 'member_copy')")).toBe(0);
  });

  it('copies into a new instrument owned where the caller is coordinator (201, draft version 1, audited)', async () => {
    const res = await clone(as.districtCoordinator, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'coord_copy' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ instrumentId: 'coord_copy', version: 1, status: 'draft', canEdit: true, issues: [] });
    expect(res.json().definition).toMatchObject({ id: 'coord_copy', version: 1, kind: 'self_assessment' });
    expect(await instrumentRow('coord_copy')).toMatchObject({ ownerOrgId: w.districtA.id, kind: 'self_assessment', audience: 'team', createdBy: w.people.districtCoordinator.id });
    const row = await versionRow('coord_copy', 1);
    expect(row).toMatchObject({ status: 'draft', publishedAt: null, createdBy: w.people.districtCoordinator.id });
    expect(row.definition.sections).toEqual((await versionRow('pillars_reflection', 1)).definition.sections);
    const audit = (await auditRowsOf(ctx.db, 'instrument.drafted')).filter((a) => a.target_id === 'coord_copy@1');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'coord@example.test', org_id: w.districtA.id, details: { from: 'pillars_reflection@1' } });
    // The shipped source is untouched.
    expect((await versionRow('pillars_reflection', 1)).definition.id).toBe('pillars_reflection');
  });

  it('lets an admin copy into a school below them', async () => {
    const res = await clone(as.districtAdmin, 'staff_connectedness', 1, { ownerOrgId: w.schoolA1.id, newId: 'school_a1_staff' });
    expect(res.statusCode).toBe(201);
    expect((await instrumentRow('school_a1_staff')).ownerOrgId).toBe(w.schoolA1.id);
  });

  it('refuses an id already taken (409 naming newId)', async () => {
    const before = await countRows(ctx.db, 'instrument_versions');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'coord_copy' }), 409, 'conflict', 'newId');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'quality_school' }), 409, 'conflict', 'newId');
    expect(await countRows(ctx.db, 'instrument_versions')).toBe(before);
    expect((await instrumentRow('quality_school')).ownerOrgId).toBeNull();
  });

  it('refuses copying a shipped (or another organisation\'s) instrument without a new id (400 naming newId)', async () => {
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id }), 400, 'validation_failed', 'newId');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'pillars_reflection' }), 400, 'validation_failed', 'newId');
    expectError(await clone(as.networkAdmin, 'coord_copy', 1, { ownerOrgId: w.network.id }), 400, 'validation_failed', 'newId');
    expect(await countRows(ctx.db, "instrument_versions where instrument_id = 'pillars_reflection'")).toBe(1);
  });

  it('refuses bad input naming the field', async () => {
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'Bad Id' }), 400, 'validation_failed', 'newId');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: '' }), 400, 'validation_failed', 'newId');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { newId: 'no_owner' }), 400, 'validation_failed', 'ownerOrgId');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: 'x', newId: 'no_owner' }), 400, 'validation_failed', 'ownerOrgId');
    expectError(await clone(as.districtAdmin, 'pillars_reflection', 'one', { ownerOrgId: w.districtA.id, newId: 'no_owner' }), 400, 'validation_failed', 'version');
    expectError(await clone(as.districtAdmin, 'Pillars', 1, { ownerOrgId: w.districtA.id, newId: 'no_owner' }), 400, 'validation_failed', 'id');
    expect(await instrumentRow('no_owner')).toBeUndefined();
  });

  it('adds a new version (2) of an owned instrument only when no draft is open (409 otherwise)', async () => {
    await makeDraft(as.districtAdmin, 'versioned', w.districtA.id);
    // Version 1 is still a draft: no second draft.
    expectError(await clone(as.districtCoordinator, 'versioned', 1, { ownerOrgId: w.districtA.id }), 409, 'conflict');
    expect((await publish(as.districtAdmin, 'versioned', 1)).statusCode).toBe(200);
    const res = await clone(as.districtCoordinator, 'versioned', 1, { ownerOrgId: w.districtA.id });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ instrumentId: 'versioned', version: 2, status: 'draft', definition: { id: 'versioned', version: 2 } });
    expect(await versionRow('versioned', 2)).toMatchObject({ status: 'draft', publishedAt: null });
    expect((await auditRowsOf(ctx.db, 'instrument.drafted')).filter((a) => a.target_id === 'versioned@2')).toHaveLength(1);
    // Naming the same id is the same as leaving it out.
    expectError(await clone(as.districtCoordinator, 'versioned', 1, { ownerOrgId: w.districtA.id, newId: 'versioned' }), 409, 'conflict');
    expectError(await clone(as.districtCoordinator, 'versioned', 2, { ownerOrgId: w.districtA.id }), 409, 'conflict');
    expect(await countRows(ctx.db, "instrument_versions where instrument_id = 'versioned'")).toBe(2);
    const detail = (await as.schoolViewer.get('/api/instruments/versioned')).json();
    expect(detail).toMatchObject({ publishedVersion: 1, draftVersion: 2 });
  });
});

describe('PUT /api/instruments/:id/versions/:version (save a draft)', () => {
  let draft: InstrumentDefinition;
  beforeAll(async () => {
    draft = await makeDraft(as.districtAdmin, 'save_me', w.districtA.id);
  });
  const retitled = () => ({ ...structuredClone(draft), title: { en: 'Our reflection', fr: 'Notre réflexion', es: 'Nuestra reflexión' } });

  it('needs a session', async () => {
    expectError(await put(anon, 'save_me', 1, retitled()), 401, 'unauthenticated');
  });

  it('answers 404 outside the scope and 403 to those who may not manage it', async () => {
    const before = await versionRow('save_me', 1);
    expectError(await put(as.otherAdmin, 'save_me', 1, retitled()), 404, 'not_found');
    expectError(await put(as.schoolMember, 'save_me', 1, retitled()), 403, 'forbidden');
    expectError(await put(as.schoolViewer, 'save_me', 1, retitled()), 403, 'forbidden');
    // Shipped instruments are nobody's to edit.
    const shipped = (await versionRow('quality_school', 1)).definition;
    expectError(await put(as.networkAdmin, 'quality_school', 1, { ...shipped, title: { en: 'Mine' } }), 403, 'forbidden');
    expectError(await put(as.districtAdmin, 'save_me', 4, { ...retitled(), version: 4 }), 404, 'not_found');
    expect(await versionRow('save_me', 1)).toEqual(before);
    expect((await versionRow('quality_school', 1)).definition.title.en).toBe(shipped.title.en);
  });

  it('stores a changed definition (200) and audits it', async () => {
    const before = await versionRow('save_me', 1);
    const res = await put(as.districtCoordinator, 'save_me', 1, retitled());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ instrumentId: 'save_me', version: 1, status: 'draft', canEdit: true });
    expect(res.json().definition.title).toEqual({ en: 'Our reflection', fr: 'Notre réflexion', es: 'Nuestra reflexión' });
    const row = await versionRow('save_me', 1);
    expect(row.definition.title).toEqual({ en: 'Our reflection', fr: 'Notre réflexion', es: 'Nuestra reflexión' });
    expect(row.definition.sections).toEqual(draft.sections);
    expect(row.contentHash).not.toBe(before.contentHash);
    expect(row.status).toBe('draft');
    expect((await auditRowsOf(ctx.db, 'instrument.draft_saved')).filter((a) => a.target_id === 'save_me@1')).toHaveLength(1);
    // The library shows the draft's new title.
    expect((await as.schoolViewer.get('/api/instruments?q=notre')).json().items.map((i: { id: string }) => i.id)).toEqual(['save_me']);
  });

  it('refuses changing the id or the version (400)', async () => {
    const before = await versionRow('save_me', 1);
    expectError(await put(as.districtAdmin, 'save_me', 1, { ...retitled(), id: 'other_id' }), 400, 'validation_failed', 'definition.id');
    expectError(await put(as.districtAdmin, 'save_me', 1, { ...retitled(), version: 2 }), 400, 'validation_failed', 'definition.version');
    expect(await versionRow('save_me', 1)).toEqual(before);
  });

  it('refuses bad definition shapes naming the field', async () => {
    const before = await versionRow('save_me', 1);
    const bad = (change: (d: Json) => void) => {
      const d = structuredClone(draft) as unknown as Json;
      change(d);
      return d;
    };
    expectError(await put(as.districtAdmin, 'save_me', 1, bad((d) => (d.sections = []))), 400, 'validation_failed', 'definition.sections');
    expectError(await put(as.districtAdmin, 'save_me', 1, bad((d) => delete d.title)), 400, 'validation_failed', 'definition.title');
    expectError(await put(as.districtAdmin, 'save_me', 1, bad((d) => (d.title = { de: 'Titel' }))), 400, 'validation_failed', 'definition.title');
    expectError(await put(as.districtAdmin, 'save_me', 1, bad((d) => (d.languages = ['de']))), 400, 'validation_failed', 'definition.languages.0');
    expectError(await put(as.districtAdmin, 'save_me', 1, bad((d) => (d.kind = 'quiz'))), 400, 'validation_failed', 'definition.kind');
    expectError(await put(as.districtAdmin, 'save_me', 1, bad((d) => ((d.sections as Json[])[0].items as Json[])[1] = { id: 'x1', type: 'slider', text: { en: 'Slide' } })), 400, 'validation_failed', 'definition.sections.0.items.1.type');
    expectError(await put(as.districtAdmin, 'save_me', 1, bad((d) => (((d.sections as Json[])[0].items as Json[])[0].id = 'Has Space'))), 400, 'validation_failed', 'definition.sections.0.items.0.id');
    expectError(await put(as.districtAdmin, 'save_me', 1, undefined), 400, 'validation_failed', 'definition');
    expect(await versionRow('save_me', 1)).toEqual(before);
  });

  it('refuses saving a published version (409)', async () => {
    await makeDraft(as.districtAdmin, 'save_published', w.districtA.id);
    expect((await publish(as.districtAdmin, 'save_published', 1)).statusCode).toBe(200);
    const before = await versionRow('save_published', 1);
    const res = await put(as.districtAdmin, 'save_published', 1, { ...before.definition, title: { en: 'Changed after publishing' } });
    expectError(res, 409, 'conflict');
    expect(await versionRow('save_published', 1)).toEqual(before);
  });
});

describe('POST /api/instruments/:id/versions/:version/publish', () => {
  it('needs a session', async () => {
    await makeDraft(as.districtAdmin, 'pub_anon', w.districtA.id);
    expectError(await publish(anon, 'pub_anon', 1), 401, 'unauthenticated');
    expect((await versionRow('pub_anon', 1)).status).toBe('draft');
  });

  it('answers 404 outside the scope and 403 to those who may not manage it', async () => {
    await makeDraft(as.districtAdmin, 'pub_guarded', w.districtA.id);
    expectError(await publish(as.otherAdmin, 'pub_guarded', 1), 404, 'not_found');
    expectError(await publish(as.schoolMember, 'pub_guarded', 1), 403, 'forbidden');
    expectError(await publish(as.schoolViewer, 'pub_guarded', 1), 403, 'forbidden');
    expectError(await publish(as.networkAdmin, 'quality_school', 1), 403, 'forbidden');
    expectError(await publish(as.districtAdmin, 'pub_guarded', 3), 404, 'not_found');
    expectError(await publish(as.districtAdmin, 'pub_guarded', 'x'), 400, 'validation_failed', 'version');
    expect((await versionRow('pub_guarded', 1)).status).toBe('draft');
    expect((await auditRowsOf(ctx.db, 'instrument.published')).filter((a) => a.target_id === 'pub_guarded@1')).toHaveLength(0);
  });

  it('refuses a draft whose condition reads a later question (400 naming definition.<path>), publishing nothing', async () => {
    const draft = await makeDraft(as.districtAdmin, 'pub_later', w.districtA.id);
    const def = structuredClone(draft);
    const [first, second] = def.sections[0].items;
    first.showIf = `${second.id} >= 3`;
    expect((await put(as.districtAdmin, 'pub_later', 1, def)).statusCode).toBe(200);
    // The version shows the problem before anyone tries to publish.
    const issues = (await as.districtAdmin.get(url('pub_later', 1))).json().issues as { path: string; severity: string; message: string }[];
    expect(issues.filter((i) => i.severity === 'error')).toEqual([{ path: 'sections.0.items.0.showIf', severity: 'error', message: expect.stringContaining(second.id) }]);

    const res = await publish(as.districtAdmin, 'pub_later', 1);
    expectError(res, 400, 'validation_failed', 'definition.sections.0.items.0.showIf');
    expect(res.json().error.message).toContain(second.id);
    expect(res.json().error.message).toContain('later');
    expect(await versionRow('pub_later', 1)).toMatchObject({ status: 'draft', publishedAt: null, publishedBy: null });
    expect((await auditRowsOf(ctx.db, 'instrument.published')).filter((a) => a.target_id === 'pub_later@1')).toHaveLength(0);
  });

  it('refuses a draft whose scale names a missing question', async () => {
    const def = structuredClone(await makeDraft(as.districtAdmin, 'pub_scale', w.districtA.id));
    def.scales[1].items.push('ghost_item');
    expect((await put(as.districtAdmin, 'pub_scale', 1, def)).statusCode).toBe(200);
    const res = await publish(as.districtAdmin, 'pub_scale', 1);
    expectError(res, 400, 'validation_failed', 'definition.scales.1.items');
    expect(res.json().error.message).toContain('ghost_item');
    expect((await versionRow('pub_scale', 1)).status).toBe('draft');
  });

  it('publishes a valid draft (200) once; afterwards it never changes (409)', async () => {
    await makeDraft(as.districtCoordinator, 'pub_ok', w.districtA.id);
    const res = await publish(as.districtCoordinator, 'pub_ok', 1);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ instrumentId: 'pub_ok', version: 1, status: 'published', canEdit: false });
    const row = await versionRow('pub_ok', 1);
    expect(row).toMatchObject({ status: 'published', publishedBy: w.people.districtCoordinator.id });
    expect(row.publishedAt).toBeInstanceOf(Date);
    const audit = (await auditRowsOf(ctx.db, 'instrument.published')).filter((a) => a.target_id === 'pub_ok@1');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'coord@example.test', org_id: w.districtA.id });
    expect((await as.schoolViewer.get('/api/instruments/pub_ok')).json()).toMatchObject({ publishedVersion: 1, draftVersion: null, versions: [{ version: 1, status: 'published', publishedAt: expect.any(String) }] });

    expectError(await publish(as.districtCoordinator, 'pub_ok', 1), 409, 'conflict');
    expectError(await put(as.districtCoordinator, 'pub_ok', 1, { ...row.definition, title: { en: 'Too late' } }), 409, 'conflict');
    expectError(await as.districtCoordinator.delete(url('pub_ok', 1)), 409, 'conflict');
    const after = await versionRow('pub_ok', 1);
    expect(after).toEqual(row);
    expect((await auditRowsOf(ctx.db, 'instrument.published')).filter((a) => a.target_id === 'pub_ok@1')).toHaveLength(1);
  });
});

describe('publish checks: missing translations are warnings', () => {
  it('reports a removed French text at its path, and still lets the draft be published', async () => {
    const def = structuredClone(await makeDraft(as.districtAdmin, 'half_french', w.districtA.id));
    delete def.sections[1].items[2].text.fr;
    const saved = await put(as.districtAdmin, 'half_french', 1, def);
    expect(saved.statusCode).toBe(200);
    expect(saved.json().issues).toEqual([{ path: 'sections.1.items.2.text', message: 'No French text.', severity: 'warning' }]);

    const v = await as.districtAdmin.get(url('half_french', 1));
    expect(v.json().issues).toEqual([{ path: 'sections.1.items.2.text', message: 'No French text.', severity: 'warning' }]);
    expect((await versionRow('half_french', 1)).definition.sections[1].items[2].text).not.toHaveProperty('fr');

    const res = await publish(as.districtAdmin, 'half_french', 1);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('published');
    const audit = (await auditRowsOf(ctx.db, 'instrument.published')).filter((a) => a.target_id === 'half_french@1');
    expect(audit[0].details).toEqual({ warnings: 1 });
  });
});

describe('DELETE /api/instruments/:id/versions/:version (delete a draft)', () => {
  beforeAll(async () => {
    await makeDraft(as.districtAdmin, 'del_only', w.districtA.id);
    await makeDraft(as.districtAdmin, 'del_second', w.districtA.id);
    expect((await publish(as.districtAdmin, 'del_second', 1)).statusCode).toBe(200);
    expect((await clone(as.districtAdmin, 'del_second', 1, { ownerOrgId: w.districtA.id })).statusCode).toBe(201);
  });

  it('needs a session', async () => {
    expectError(await anon.delete(url('del_only', 1)), 401, 'unauthenticated');
  });

  it('answers 404 outside the scope and 403 to those who may not manage it', async () => {
    expectError(await as.otherAdmin.delete(url('del_only', 1)), 404, 'not_found');
    expectError(await as.schoolMember.delete(url('del_only', 1)), 403, 'forbidden');
    expectError(await as.schoolViewer.delete(url('del_only', 1)), 403, 'forbidden');
    expectError(await as.networkAdmin.delete(url('quality_school', 1)), 403, 'forbidden');
    expectError(await as.districtAdmin.delete(url('del_only', 5)), 404, 'not_found');
    expectError(await as.districtAdmin.delete(url('del_only', 0)), 400, 'validation_failed', 'version');
    expect(await versionRow('del_only', 1)).toBeDefined();
    expect(await versionRow('quality_school', 1)).toBeDefined();
  });

  it('removes a draft and keeps the instrument when a published version is left', async () => {
    const res = await as.districtCoordinator.delete(url('del_second', 2));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(await versionRow('del_second', 2)).toBeUndefined();
    expect(await versionRow('del_second', 1)).toMatchObject({ status: 'published' });
    expect(await instrumentRow('del_second')).toBeDefined();
    expect((await as.districtCoordinator.get('/api/instruments/del_second')).json()).toMatchObject({ publishedVersion: 1, draftVersion: null });
    expect((await auditRowsOf(ctx.db, 'instrument.draft_deleted')).filter((a) => a.target_id === 'del_second@2')).toHaveLength(1);
    // The published version is next copied into version 2 again, as nothing holds that number now.
    expect((await clone(as.districtCoordinator, 'del_second', 1, { ownerOrgId: w.districtA.id })).json().version).toBe(2);
  });

  it('removes the instrument with its last draft', async () => {
    const res = await as.districtAdmin.delete(url('del_only', 1));
    expect(res.statusCode).toBe(200);
    expect(await versionRow('del_only', 1)).toBeUndefined();
    expect(await instrumentRow('del_only')).toBeUndefined();
    expectError(await as.districtAdmin.get('/api/instruments/del_only'), 404, 'not_found');
    expect(ids(await as.districtAdmin.get('/api/instruments'))).not.toContain('del_only');
    expect((await auditRowsOf(ctx.db, 'instrument.draft_deleted')).filter((a) => a.target_id === 'del_only@1')).toHaveLength(1);
    // The id is free again.
    expect((await clone(as.districtAdmin, 'pillars_reflection', 1, { ownerOrgId: w.districtA.id, newId: 'del_only' })).statusCode).toBe(201);
  });
});
