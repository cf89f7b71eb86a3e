import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, makeOrg, makeUser, makeWorld, type TestOrg } from '../../../server/test/factories.js';
import { Agent, expectError, signIn, startTestApp, type TestContext } from '../../../server/test/harness.js';
import type { FrameworkDefinition } from '../frameworks.contract.js';
import { frameworks, networkFrameworks } from './frameworks.tables.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
/** One signed-in agent per person of the world, plus a network coordinator and a second network's admin. */
const as: Record<string, Agent> = {};
let anon: Agent;
let network2: TestOrg;
let school2: TestOrg;

const SHIPPED = ['connectedness', 'pillars', 'quality', 'wellness'];

/** A valid framework definition with the given element ids. */
function fwDef(id: string, elements = ['listen', 'act']): FrameworkDefinition {
  return {
    schemaVersion: 1,
    id,
    name: { en: `Themes ${id}`, fr: `Thèmes ${id}`, es: `Temas ${id}` },
    description: { en: 'Our own themes.' },
    elementNoun: { en: 'theme', fr: 'thème', es: 'tema' },
    elements: elements.map((e) => ({ id: e, name: { en: `Element ${e}` }, description: { en: `About ${e}.` } })),
  };
}

async function fwRow(id: string) {
  const [row] = await ctx.db.select().from(frameworks).where(eq(frameworks.id, id));
  return row;
}

async function chosenOf(networkId: number) {
  return ctx.db.select().from(networkFrameworks).where(eq(networkFrameworks.networkId, networkId)).orderBy(asc(networkFrameworks.position));
}

const ids = (res: { json(): unknown }) => (res.json() as { items: { id: string }[] }).items.map((i) => i.id);
const fwIds = (res: { json(): unknown }) => (res.json() as { frameworks: { id: string }[] }).frameworks.map((i) => i.id);

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  network2 = await makeOrg(ctx.db, null, 'network', { name: 'Second Network' });
  const state2 = await makeOrg(ctx.db, network2, 'state', { name: 'State Two' });
  const district2 = await makeOrg(ctx.db, state2, 'district', { name: 'District Two' });
  school2 = await makeOrg(ctx.db, district2, 'school', { name: 'School Two' });
  const extra = {
    networkCoordinator: await makeUser(ctx.db, { role: 'coordinator', org: w.network, email: 'netcoord@example.test' }),
    admin2: await makeUser(ctx.db, { role: 'admin', org: network2, email: 'admin2@example.test' }),
  };
  anon = new Agent(ctx.app);
  for (const [key, person] of Object.entries({ ...w.people, ...extra })) as[key] = await signIn(ctx.app, person.email);
  // Each network starts with one framework of its own.
  for (const [agent, owner, id] of [
    [as.networkAdmin, w.network, 'net_a_themes'],
    [as.admin2, network2, 'net_b_themes'],
  ] as const) {
    const res = await agent.post('/api/frameworks', { ownerOrgId: owner.id, definition: fwDef(id) });
    if (res.statusCode !== 201) throw new Error(`setup: ${res.statusCode} ${res.body}`);
  }
});
afterAll(() => ctx.close());

describe('GET /api/frameworks', () => {
  it('needs a session', async () => {
    expectError(await anon.get('/api/frameworks'), 401, 'unauthenticated');
  });

  it('lists the shipped frameworks and those of the caller\'s own network, never another network\'s', async () => {
    expect(ids(await as.networkAdmin.get('/api/frameworks'))).toEqual(['connectedness', 'net_a_themes', 'pillars', 'quality', 'wellness']);
    // Everyone in the network sees its frameworks, wherever they sit in the tree.
    expect(ids(await as.schoolViewer.get('/api/frameworks'))).toEqual(['connectedness', 'net_a_themes', 'pillars', 'quality', 'wellness']);
    expect(ids(await as.otherAdmin.get('/api/frameworks'))).toContain('net_a_themes');
    expect(ids(await as.admin2.get('/api/frameworks'))).toEqual(['connectedness', 'net_b_themes', 'pillars', 'quality', 'wellness']);
    expect(ids(await as.nobody.get('/api/frameworks'))).toEqual(SHIPPED);
    expect(ids(await as.operator.get('/api/frameworks'))).toEqual(expect.arrayContaining([...SHIPPED, 'net_a_themes', 'net_b_themes']));
  });

  it('says who may edit: operators the shipped ones, network admins their own', async () => {
    const byId = (res: { json(): unknown }) => Object.fromEntries((res.json() as { items: { id: string; canEdit: boolean; shipped: boolean }[] }).items.map((i) => [i.id, i]));
    const admin = byId(await as.networkAdmin.get('/api/frameworks'));
    expect(admin.quality).toMatchObject({ shipped: true, canEdit: false, ownerOrgId: null });
    expect(admin.net_a_themes).toMatchObject({ shipped: false, canEdit: true, ownerOrgId: w.network.id });
    expect(byId(await as.schoolViewer.get('/api/frameworks')).net_a_themes.canEdit).toBe(false);
    expect(byId(await as.networkCoordinator.get('/api/frameworks')).net_a_themes.canEdit).toBe(false);
    expect(byId(await as.operator.get('/api/frameworks')).quality.canEdit).toBe(true);
  });
});

describe('GET /api/frameworks/:id', () => {
  it('needs a session', async () => {
    expectError(await anon.get('/api/frameworks/quality'), 401, 'unauthenticated');
  });

  it('hides another network\'s framework behind the same 404 as a missing one', async () => {
    const other = await as.admin2.get('/api/frameworks/net_a_themes');
    const missing = await as.admin2.get('/api/frameworks/no_such_framework');
    expectError(other, 404, 'not_found');
    expectError(missing, 404, 'not_found');
    expect(other.json()).toEqual(missing.json());
    expectError(await as.nobody.get('/api/frameworks/net_a_themes'), 404, 'not_found');
  });

  it('refuses a malformed id naming it', async () => {
    expectError(await as.networkAdmin.get('/api/frameworks/Quality'), 400, 'validation_failed', 'id');
    expectError(await as.networkAdmin.get('/api/frameworks/no-dashes'), 400, 'validation_failed', 'id');
  });

  it('returns a shipped framework and the network\'s own', async () => {
    const shipped = await as.schoolViewer.get('/api/frameworks/quality');
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json()).toMatchObject({ id: 'quality', shipped: true, ownerOrgId: null, canEdit: false, editedAt: null });
    expect(shipped.json().definition.elements.map((e: { id: string }) => e.id)).toContain('screening');
    const own = await as.schoolViewer.get('/api/frameworks/net_a_themes');
    expect(own.json()).toMatchObject({ id: 'net_a_themes', shipped: false, ownerOrgId: w.network.id, canEdit: false, definition: fwDef('net_a_themes') });
  });
});

describe('POST /api/frameworks (a network\'s own)', () => {
  it('needs a session and the CSRF token', async () => {
    expectError(await anon.post('/api/frameworks', { ownerOrgId: w.network.id, definition: fwDef('anon_fw') }), 401, 'unauthenticated');
    expectError(await as.networkAdmin.withoutCsrf('POST', '/api/frameworks', { ownerOrgId: w.network.id, definition: fwDef('forged_fw') }), 403, 'csrf_failed');
    expect(await fwRow('anon_fw')).toBeUndefined();
    expect(await fwRow('forged_fw')).toBeUndefined();
  });

  it('creates one for a network its admin holds (201), stored and audited', async () => {
    const res = await as.networkAdmin.post('/api/frameworks', { ownerOrgId: w.network.id, definition: fwDef('net_a_extra', ['one', 'two', 'three']) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'net_a_extra', ownerOrgId: w.network.id, shipped: false, canEdit: true, editedAt: expect.any(String) });
    const row = await fwRow('net_a_extra');
    expect(row).toMatchObject({ ownerOrgId: w.network.id, editedBy: w.people.networkAdmin.id, definition: fwDef('net_a_extra', ['one', 'two', 'three']) });
    expect(row.contentHash).toMatch(/^[0-9a-f]{32}$/);
    const audit = (await auditRowsOf(ctx.db, 'framework.created')).filter((a) => a.target_id === 'net_a_extra');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'netadmin@example.test', org_id: w.network.id });
  });

  it('answers 404 for an owner outside the caller\'s scope and 403 for a role that may not manage frameworks', async () => {
    expectError(await as.admin2.post('/api/frameworks', { ownerOrgId: w.network.id, definition: fwDef('stolen_fw') }), 404, 'not_found');
    expectError(await as.networkAdmin.post('/api/frameworks', { ownerOrgId: 987654, definition: fwDef('ghost_fw') }), 404, 'not_found');
    expectError(await as.schoolMember.post('/api/frameworks', { ownerOrgId: w.network.id, definition: fwDef('member_fw') }), 404, 'not_found');
    expectError(await as.networkCoordinator.post('/api/frameworks', { ownerOrgId: w.network.id, definition: fwDef('coord_fw') }), 403, 'forbidden');
    expectError(await as.schoolViewer.post('/api/frameworks', { ownerOrgId: w.schoolA1.id, definition: fwDef('viewer_fw') }), 403, 'forbidden');
    expectError(await as.districtCoordinator.post('/api/frameworks', { ownerOrgId: w.districtA.id, definition: fwDef('dcoord_fw') }), 403, 'forbidden');
    expect(await countRows(ctx.db, "frameworks where id in ('stolen_fw', 'ghost_fw', 'member_fw', 'coord_fw', 'viewer_fw', 'dcoord_fw')")).toBe(0);
  });

  it('refuses an owner that is not a network (400 naming ownerOrgId)', async () => {
    expectError(await as.districtAdmin.post('/api/frameworks', { ownerOrgId: w.districtA.id, definition: fwDef('district_fw') }), 400, 'validation_failed', 'ownerOrgId');
    expectError(await as.networkAdmin.post('/api/frameworks', { ownerOrgId: w.stateA.id, definition: fwDef('state_fw') }), 400, 'validation_failed', 'ownerOrgId');
    expect(await countRows(ctx.db, "frameworks where id in ('district_fw', 'state_fw')")).toBe(0);
  });

  it('refuses an id already taken, shipped or another network\'s (409 naming definition.id)', async () => {
    const before = await fwRow('net_a_themes');
    expectError(await as.networkAdmin.post('/api/frameworks', { ownerOrgId: w.network.id, definition: { ...fwDef('net_a_themes', ['other']) } }), 409, 'conflict', 'definition.id');
    expectError(await as.networkAdmin.post('/api/frameworks', { ownerOrgId: w.network.id, definition: fwDef('quality') }), 409, 'conflict', 'definition.id');
    expectError(await as.networkAdmin.post('/api/frameworks', { ownerOrgId: w.network.id, definition: fwDef('net_b_themes') }), 409, 'conflict', 'definition.id');
    expect(await fwRow('net_a_themes')).toEqual(before);
    expect((await fwRow('quality')).ownerOrgId).toBeNull();
    expect((await fwRow('net_b_themes')).ownerOrgId).toBe(network2.id);
  });

  it('refuses bad input naming the field', async () => {
    const ok = { ownerOrgId: w.network.id, definition: fwDef('bad_fw') };
    expectError(await as.networkAdmin.post('/api/frameworks', { ...ok, ownerOrgId: 'x' }), 400, 'validation_failed', 'ownerOrgId');
    expectError(await as.networkAdmin.post('/api/frameworks', { ...ok, ownerOrgId: undefined }), 400, 'validation_failed', 'ownerOrgId');
    expectError(await as.networkAdmin.post('/api/frameworks', { ...ok, definition: undefined }), 400, 'validation_failed', 'definition');
    expectError(await as.networkAdmin.post('/api/frameworks', { ...ok, definition: { ...ok.definition, id: 'Bad-Id' } }), 400, 'validation_failed', 'definition.id');
    expectError(await as.networkAdmin.post('/api/frameworks', { ...ok, definition: { ...ok.definition, schemaVersion: 2 } }), 400, 'validation_failed', 'definition.schemaVersion');
    expectError(await as.networkAdmin.post('/api/frameworks', { ...ok, definition: { ...ok.definition, elements: [] } }), 400, 'validation_failed', 'definition.elements');
    expectError(await as.networkAdmin.post('/api/frameworks', { ...ok, definition: { ...ok.definition, name: { de: 'Themen' } } }), 400, 'validation_failed', 'definition.name');
    const noName = fwDef('bad_fw');
    delete (noName.elements[1] as { name?: unknown }).name;
    expectError(await as.networkAdmin.post('/api/frameworks', { ...ok, definition: noName }), 400, 'validation_failed', 'definition.elements.1.name');
    expect(await fwRow('bad_fw')).toBeUndefined();
  });
});

describe('PUT /api/frameworks/:id (edit)', () => {
  const put = (agent: Agent, id: string, definition: unknown) => agent.request('PUT', `/api/frameworks/${id}`, { definition } as Record<string, unknown>);

  it('needs a session', async () => {
    expectError(await put(anon, 'net_a_themes', fwDef('net_a_themes')), 401, 'unauthenticated');
  });

  it('answers 404 for another network\'s framework, same as a missing one', async () => {
    const other = await put(as.admin2, 'net_a_themes', fwDef('net_a_themes', ['listen', 'act', 'taken']));
    const missing = await put(as.admin2, 'no_such_framework', fwDef('no_such_framework'));
    expectError(other, 404, 'not_found');
    expectError(missing, 404, 'not_found');
    expect(other.json()).toEqual(missing.json());
    expect((await fwRow('net_a_themes')).definition).toEqual(fwDef('net_a_themes'));
  });

  it('answers 403 to a network admin editing a shipped framework and to non-admins editing their network\'s own', async () => {
    const quality = await fwRow('quality');
    expectError(await put(as.networkAdmin, 'quality', { ...quality.definition, name: { en: 'Ours now' } }), 403, 'forbidden');
    expectError(await put(as.schoolViewer, 'net_a_themes', fwDef('net_a_themes', ['listen', 'act', 'x'])), 403, 'forbidden');
    expectError(await put(as.networkCoordinator, 'net_a_themes', fwDef('net_a_themes', ['listen', 'act', 'x'])), 403, 'forbidden');
    // An admin lower in the tree sees the network's framework but does not own it.
    expectError(await put(as.districtAdmin, 'net_a_themes', fwDef('net_a_themes', ['listen', 'act', 'x'])), 403, 'forbidden');
    expect(await fwRow('quality')).toEqual(quality);
    expect((await fwRow('net_a_themes')).definition).toEqual(fwDef('net_a_themes'));
  });

  it('refuses removing an element, changing the id and bad shapes (400 naming the field)', async () => {
    const before = await fwRow('net_a_themes');
    const removed = await put(as.networkAdmin, 'net_a_themes', fwDef('net_a_themes', ['listen']));
    expectError(removed, 400, 'validation_failed', 'definition.elements');
    expect(removed.json().error.message).toContain('act');
    expectError(await put(as.networkAdmin, 'net_a_themes', fwDef('renamed_themes')), 400, 'validation_failed', 'definition.id');
    expectError(await put(as.networkAdmin, 'net_a_themes', { ...fwDef('net_a_themes'), elements: 'many' }), 400, 'validation_failed', 'definition.elements');
    expectError(await put(as.networkAdmin, 'net_a_themes', { ...fwDef('net_a_themes'), description: {} }), 400, 'validation_failed', 'definition.description');
    expectError(await put(as.networkAdmin, 'Net_A', fwDef('net_a_themes')), 400, 'validation_failed', 'id');
    expect(await fwRow('net_a_themes')).toEqual(before);
    expect(await auditRowsOf(ctx.db, 'framework.updated')).toHaveLength(0);
  });

  it('lets the network admin rename and add elements (200), stored and audited', async () => {
    const before = await fwRow('net_a_themes');
    const next = fwDef('net_a_themes', ['listen', 'act', 'reflect']);
    next.elements[0].name = { en: 'Listen first', fr: "D'abord écouter", es: 'Primero escuchar' };
    const res = await put(as.networkAdmin, 'net_a_themes', next);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'net_a_themes', canEdit: true, editedAt: expect.any(String), definition: next });
    const row = await fwRow('net_a_themes');
    expect(row.definition).toEqual(next);
    expect(row.editedBy).toBe(w.people.networkAdmin.id);
    expect(row.contentHash).not.toBe(before.contentHash);
    expect(row.editedAt!.getTime()).toBeGreaterThanOrEqual(before.editedAt!.getTime());
    const audit = (await auditRowsOf(ctx.db, 'framework.updated')).filter((a) => a.target_id === 'net_a_themes');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'netadmin@example.test', org_id: w.network.id });
    // Everyone in the network reads the new version.
    expect((await as.schoolViewer.get('/api/frameworks/net_a_themes')).json().definition).toEqual(next);
  });

  it('lets an operator edit a shipped framework, marking it edited', async () => {
    const wellness = await fwRow('wellness');
    expect(wellness.editedAt).toBeNull();
    const next = { ...wellness.definition, name: { en: 'Wellness (operator edit)', fr: 'Bien-être (modifié)', es: 'Bienestar (editado)' } };
    const res = await put(as.operator, 'wellness', next);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'wellness', shipped: true, canEdit: true });
    const row = await fwRow('wellness');
    expect(row.definition.name.en).toBe('Wellness (operator edit)');
    expect(row.editedAt).not.toBeNull();
    expect(row.ownerOrgId).toBeNull();
    expect((await auditRowsOf(ctx.db, 'framework.updated')).filter((a) => a.target_id === 'wellness')).toHaveLength(1);
  });
});

describe('GET /api/orgs/:id/frameworks', () => {
  it('needs a session', async () => {
    expectError(await anon.get(`/api/orgs/${w.schoolA1.id}/frameworks`), 401, 'unauthenticated');
  });

  it('answers 404 for an organisation outside the caller\'s scope, 400 for a malformed id', async () => {
    const other = await as.admin2.get(`/api/orgs/${w.schoolA1.id}/frameworks`);
    expectError(other, 404, 'not_found');
    expect(other.json()).toEqual((await as.admin2.get('/api/orgs/987654/frameworks')).json());
    expectError(await as.otherAdmin.get(`/api/orgs/${w.schoolA1.id}/frameworks`), 404, 'not_found');
    expectError(await as.networkAdmin.get('/api/orgs/abc/frameworks'), 400, 'validation_failed', 'id');
  });

  it('uses every shipped framework and the network\'s own until the network chooses', async () => {
    const res = await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/frameworks`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ networkId: w.network.id, networkName: 'Test Network', usingDefaults: true, canChoose: false });
    expect(fwIds(res)).toEqual(['connectedness', 'net_a_extra', 'net_a_themes', 'pillars', 'quality', 'wellness']);
    expect((await as.networkAdmin.get(`/api/orgs/${w.network.id}/frameworks`)).json().canChoose).toBe(true);
    expect((await as.districtAdmin.get(`/api/orgs/${w.districtA.id}/frameworks`)).json().canChoose).toBe(false);
    expect(fwIds(await as.admin2.get(`/api/orgs/${school2.id}/frameworks`))).toEqual(['connectedness', 'net_b_themes', 'pillars', 'quality', 'wellness']);
  });
});

describe('PUT /api/orgs/:id/frameworks (choose)', () => {
  const choose = (agent: Agent, orgId: number | string, frameworkIds: unknown) => agent.request('PUT', `/api/orgs/${orgId}/frameworks`, { frameworkIds } as Record<string, unknown>);

  it('needs a session', async () => {
    expectError(await choose(anon, w.network.id, ['quality']), 401, 'unauthenticated');
  });

  it('answers 404 outside the scope and 403 to coordinators and other non-admins', async () => {
    expectError(await choose(as.admin2, w.network.id, ['quality']), 404, 'not_found');
    expectError(await choose(as.districtAdmin, w.network.id, ['quality']), 404, 'not_found');
    expectError(await choose(as.networkCoordinator, w.network.id, ['quality']), 403, 'forbidden');
    expectError(await choose(as.districtCoordinator, w.districtA.id, ['quality']), 403, 'forbidden');
    expectError(await choose(as.schoolViewer, w.schoolA1.id, ['quality']), 403, 'forbidden');
    expect(await chosenOf(w.network.id)).toEqual([]);
  });

  it('refuses unknown, foreign, repeated or malformed ids and a non-network (400 naming the field)', async () => {
    const unknown = await choose(as.networkAdmin, w.network.id, ['quality', 'no_such_framework']);
    expectError(unknown, 400, 'validation_failed', 'frameworkIds');
    expect(unknown.json().error.message).toContain('no_such_framework');
    expectError(await choose(as.networkAdmin, w.network.id, ['quality', 'net_b_themes']), 400, 'validation_failed', 'frameworkIds');
    expectError(await choose(as.networkAdmin, w.network.id, ['quality', 'quality']), 400, 'validation_failed', 'frameworkIds');
    expectError(await choose(as.networkAdmin, w.network.id, ['Quality']), 400, 'validation_failed', 'frameworkIds.0');
    expectError(await choose(as.networkAdmin, w.network.id, 'quality'), 400, 'validation_failed', 'frameworkIds');
    expectError(await choose(as.networkAdmin, w.network.id, Array.from({ length: 31 }, (_, i) => `f${i}`)), 400, 'validation_failed', 'frameworkIds');
    expectError(await choose(as.networkAdmin, 'abc', ['quality']), 400, 'validation_failed', 'id');
    // Frameworks are chosen at the top of the tree only.
    expectError(await choose(as.districtAdmin, w.districtA.id, ['quality']), 400, 'validation_failed', 'id');
    expect(await chosenOf(w.network.id)).toEqual([]);
    expect(await chosenOf(w.districtA.id)).toEqual([]);
    expect(await auditRowsOf(ctx.db, 'framework.chosen')).toHaveLength(0);
  });

  it('stores the network admin\'s choice in order (200), and every organisation of the network sees it', async () => {
    const res = await choose(as.networkAdmin, w.network.id, ['quality', 'net_a_themes']);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ networkId: w.network.id, usingDefaults: false, canChoose: true });
    expect(fwIds(res)).toEqual(['quality', 'net_a_themes']);
    expect((await chosenOf(w.network.id)).map((c) => [c.frameworkId, c.position])).toEqual([['quality', 0], ['net_a_themes', 1]]);
    const audit = await auditRowsOf(ctx.db, 'framework.chosen');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'netadmin@example.test', org_id: w.network.id, details: { frameworkIds: ['quality', 'net_a_themes'] } });

    const fromSchool = await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/frameworks`);
    expect(fromSchool.json()).toMatchObject({ networkId: w.network.id, usingDefaults: false, canChoose: false });
    expect(fwIds(fromSchool)).toEqual(['quality', 'net_a_themes']);
    // Another network is unaffected.
    expect((await as.admin2.get(`/api/orgs/${school2.id}/frameworks`)).json().usingDefaults).toBe(true);
  });

  it('replaces the choice, keeping the new order', async () => {
    const res = await choose(as.networkAdmin, w.network.id, ['net_a_extra', 'wellness', 'quality']);
    expect(res.statusCode).toBe(200);
    expect(fwIds(res)).toEqual(['net_a_extra', 'wellness', 'quality']);
    expect((await chosenOf(w.network.id)).map((c) => c.frameworkId)).toEqual(['net_a_extra', 'wellness', 'quality']);
    expect(fwIds(await as.districtCoordinator.get(`/api/orgs/${w.districtA.id}/frameworks`))).toEqual(['net_a_extra', 'wellness', 'quality']);
  });
});
