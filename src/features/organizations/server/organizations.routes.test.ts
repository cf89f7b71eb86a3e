import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/client.js';
import { auditRowsOf, countRows, makeOrg, makeOrgsBulk, makeUser, makeWorld, type TestOrg } from '../../../server/test/factories.js';
import { Agent, expectError, signIn, startTestApp, type TestContext, signInAll } from '../../../server/test/harness.js';
import { organizations } from './organizations.tables.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
/** One signed-in agent per person of the world, reused by every test. */
const as: Record<string, Agent> = {};
let anon: Agent;

beforeAll(async () => {
  ctx = await startTestApp();
  w = await makeWorld(ctx.db);
  anon = new Agent(ctx.app);
  Object.assign(as, await signInAll(ctx.app, w.people));
});
afterAll(() => ctx.close());

async function orgRow(id: number) {
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, id));
  return row;
}

const names = (res: { json(): unknown }) => (res.json() as { items: { name: string }[] }).items.map((i) => i.name);

describe('GET /api/orgs (browse, search, page)', () => {
  let big: TestOrg;
  beforeAll(async () => {
    // Codes and names chosen so name search and code-prefix search can be told apart.
    await makeOrg(ctx.db, w.districtA, 'school', { code: 'CA-0101', name: 'Maple Elementary' });
    await makeOrg(ctx.db, w.districtA, 'school', { code: 'CA-0102', name: 'Oak Middle' });
    await makeOrg(ctx.db, w.districtB, 'school', { code: 'CB-0201', name: 'Maple Secondary', country: 'CA' });
    big = await makeOrg(ctx.db, w.stateA, 'district', { code: 'BIG', name: 'Big District' });
    await makeOrgsBulk(ctx.db, big, 'school', 10_000, 'Bulk');
  });

  it('needs a session', async () => {
    expectError(await anon.get('/api/orgs'), 401, 'unauthenticated');
    expectError(await anon.get(`/api/orgs?parentId=${w.districtA.id}`), 401, 'unauthenticated');
  });

  it('starts each person at the organisations they hold a role at', async () => {
    expect(names(await as.schoolMember.get('/api/orgs'))).toEqual(['School A1']);
    expect(names(await as.districtAdmin.get('/api/orgs'))).toEqual(['District A']);
    expect(names(await as.networkAdmin.get('/api/orgs'))).toEqual(['Test Network']);
    expect(names(await as.operator.get('/api/orgs'))).toEqual(['Test Network']);
    expect((await as.nobody.get('/api/orgs')).json()).toEqual({ items: [], total: 0 });
  });

  it('lists the children of an organisation in scope, by name', async () => {
    const res = await as.districtAdmin.get(`/api/orgs?parentId=${w.districtA.id}`);
    expect(res.statusCode).toBe(200);
    expect(names(res)).toEqual(['Maple Elementary', 'Oak Middle', 'School A1', 'School A2']);
    expect(res.json().total).toBe(4);
    expect(res.json().items[0]).toEqual({
      id: expect.any(Number), parentId: w.districtA.id, kind: 'school', code: 'CA-0101', name: 'Maple Elementary',
      status: 'active', country: 'US', gradeSpan: null, enrolment: null, childCount: 0,
    });
  });

  it('answers 404 for a parent outside the caller\'s organisations, same as a missing one', async () => {
    const outside = await as.otherAdmin.get(`/api/orgs?parentId=${w.districtA.id}`);
    const above = await as.schoolMember.get(`/api/orgs?parentId=${w.districtA.id}`);
    const missing = await as.otherAdmin.get('/api/orgs?parentId=987654');
    expectError(outside, 404, 'not_found');
    expectError(above, 404, 'not_found');
    expectError(missing, 404, 'not_found');
    expect(outside.json()).toEqual(missing.json());
  });

  it('refuses bad query values naming the field', async () => {
    expectError(await as.networkAdmin.get('/api/orgs?limit=0'), 400, 'validation_failed', 'limit');
    expectError(await as.networkAdmin.get('/api/orgs?limit=201'), 400, 'validation_failed', 'limit');
    expectError(await as.networkAdmin.get('/api/orgs?offset=-1'), 400, 'validation_failed', 'offset');
    expectError(await as.networkAdmin.get('/api/orgs?kind=city'), 400, 'validation_failed', 'kind');
    expectError(await as.networkAdmin.get('/api/orgs?status=deleted'), 400, 'validation_failed', 'status');
    expectError(await as.networkAdmin.get('/api/orgs?parentId=abc'), 400, 'validation_failed', 'parentId');
    expectError(await as.networkAdmin.get(`/api/orgs?q=${'x'.repeat(101)}`), 400, 'validation_failed', 'q');
  });

  it('searches by name (contains) and by code (prefix), filtered by scope in SQL', async () => {
    expect(names(await as.networkAdmin.get('/api/orgs?q=maple'))).toEqual(['Maple Elementary', 'Maple Secondary']);
    expect(names(await as.networkAdmin.get('/api/orgs?q=CA-01'))).toEqual(['Maple Elementary', 'Oak Middle']);
    // Codes match from the start only: 'A-01' is inside 'CA-0101' but not a prefix.
    expect((await as.networkAdmin.get('/api/orgs?q=A-01')).json().total).toBe(0);
    // A district admin finds only their district's Maple; a school member finds neither.
    expect(names(await as.districtAdmin.get('/api/orgs?q=maple'))).toEqual(['Maple Elementary']);
    expect(names(await as.otherAdmin.get('/api/orgs?q=maple'))).toEqual(['Maple Secondary']);
    expect((await as.schoolMember.get('/api/orgs?q=maple')).json()).toEqual({ items: [], total: 0 });
    // A school member searching for schools sees their own school and nothing else.
    const mine = await as.schoolMember.get('/api/orgs?q=school');
    expect(names(mine)).toEqual(['School A1']);
    expect((await as.schoolMember.get('/api/orgs?kind=school')).json().total).toBe(1);
    // Below a parent: its subtree, without the parent itself.
    expect(names(await as.networkAdmin.get(`/api/orgs?parentId=${w.stateB.id}&q=b`))).toEqual(['District B', 'School B1']);
  });

  it('treats LIKE wildcards in a search as plain characters', async () => {
    expect((await as.networkAdmin.get('/api/orgs?q=%25')).json().total).toBe(0);
    expect((await as.networkAdmin.get('/api/orgs?q=_')).json().total).toBe(0);
  });

  it('pages 10,000 children: 50 by default, with the total', async () => {
    const first = await as.networkAdmin.get(`/api/orgs?parentId=${big.id}`);
    expect(first.statusCode).toBe(200);
    expect(first.json().total).toBe(10_000);
    expect(first.json().items).toHaveLength(50);
    expect(names(first)[0]).toBe('Bulk 00001');
    expect(names(first)[49]).toBe('Bulk 00050');
    const last = await as.networkAdmin.get(`/api/orgs?parentId=${big.id}&offset=9990&limit=200`);
    expect(last.json().total).toBe(10_000);
    expect(names(last)).toEqual(Array.from({ length: 10 }, (_, i) => `Bulk ${String(9991 + i).padStart(5, '0')}`));
    const page = await as.networkAdmin.get(`/api/orgs?parentId=${big.id}&offset=200&limit=200`);
    expect(names(page)[0]).toBe('Bulk 00201');
    expect(names(page)).toHaveLength(200);
    // Search inside the big district: 'Bulk 0999' matches 09990-09999.
    const found = await as.networkAdmin.get(`/api/orgs?parentId=${big.id}&q=${encodeURIComponent('Bulk 0999')}`);
    expect(found.json().total).toBe(10);
    expect((await as.networkAdmin.get(`/api/orgs/${big.id}`)).json().childCount).toBe(10_000);
    // The district admin of District A does not see the big district at all.
    expectError(await as.districtAdmin.get(`/api/orgs?parentId=${big.id}`), 404, 'not_found');
    expect((await as.districtAdmin.get('/api/orgs?q=Bulk')).json().total).toBe(0);
  });

  it('lists only where the caller holds a permission when asked (can=org.import)', async () => {
    expect(names(await as.networkAdmin.get('/api/orgs?kind=state&can=org.import'))).toEqual(['State A', 'State B']);
    // A district admin may import nowhere at state level; a coordinator holds no import right at all.
    expect((await as.districtAdmin.get('/api/orgs?kind=state&can=org.import')).json().total).toBe(0);
    expect(names(await as.districtAdmin.get('/api/orgs?can=org.import&kind=district'))).toEqual(['District A']);
    expect((await as.districtCoordinator.get('/api/orgs?can=org.import')).json().total).toBe(0);
    expectError(await as.networkAdmin.get('/api/orgs?can=org.fly'), 400, 'validation_failed', 'can');
  });

  it('lets everyone in a network browse its partner directory, and no other network\'s', async () => {
    const network2 = await makeOrg(ctx.db, null, 'network', { name: 'Second Network' });
    await makeOrg(ctx.db, network2, 'partner', { name: 'Partner Q' });
    const admin2 = await makeUser(ctx.db, { role: 'admin', org: network2 });
    expect(names(await as.schoolViewer.get('/api/orgs?kind=partner'))).toEqual(['Partner P']);
    expect(names(await as.otherAdmin.get('/api/orgs?kind=partner'))).toEqual(['Partner P']);
    expect(names(await (await signIn(ctx.app, admin2.email)).get('/api/orgs?kind=partner'))).toEqual(['Partner Q']);
    expect((await as.nobody.get('/api/orgs?kind=partner')).json().total).toBe(0);
  });
});

describe('GET /api/orgs/:id', () => {
  it('needs a session', async () => {
    expectError(await anon.get(`/api/orgs/${w.schoolA1.id}`), 401, 'unauthenticated');
  });

  it('hides organisations outside the caller\'s scope behind the same 404 as missing ones', async () => {
    const outside = await as.otherAdmin.get(`/api/orgs/${w.schoolA1.id}`);
    const missing = await as.otherAdmin.get('/api/orgs/987654');
    expectError(outside, 404, 'not_found');
    expect(outside.json()).toEqual(missing.json());
    expectError(await as.schoolMember.get(`/api/orgs/${w.districtA.id}`), 404, 'not_found');
    expectError(await as.nobody.get(`/api/orgs/${w.schoolA1.id}`), 404, 'not_found');
  });

  it('refuses a malformed id with 400, never 500', async () => {
    expectError(await as.networkAdmin.get('/api/orgs/abc'), 400, 'validation_failed', 'id');
    expectError(await as.networkAdmin.get('/api/orgs/0'), 400, 'validation_failed', 'id');
    const huge = await as.networkAdmin.get('/api/orgs/99999999999');
    expect(huge.statusCode).toBeGreaterThanOrEqual(400);
    expect(huge.statusCode).toBeLessThan(500);
  });

  it('shows the role, abilities and only the part of the breadcrumb the caller may see', async () => {
    const member = (await as.schoolMember.get(`/api/orgs/${w.schoolA1.id}`)).json();
    expect(member).toMatchObject({ id: w.schoolA1.id, name: 'School A1', kind: 'school', role: 'member', ancestors: [] });
    expect(member.can).toMatchObject({ 'org.read': true, 'org.update': false, 'member.invite': false });
    const districtAdmin = (await as.districtAdmin.get(`/api/orgs/${w.schoolA1.id}`)).json();
    expect(districtAdmin.role).toBe('admin');
    expect(districtAdmin.ancestors).toEqual([{ id: w.districtA.id, name: 'District A', kind: 'district' }]);
    expect(districtAdmin.can['org.update']).toBe(true);
    const networkAdmin = (await as.networkAdmin.get(`/api/orgs/${w.schoolA1.id}`)).json();
    expect(networkAdmin.ancestors.map((a: { name: string }) => a.name)).toEqual(['Test Network', 'State A', 'District A']);
  });
});

describe('POST /api/orgs (create)', () => {
  it('needs a session and the CSRF token', async () => {
    expectError(await anon.post('/api/orgs', { parentId: w.districtA.id, kind: 'school', code: 'NEW-1', name: 'New' }), 401, 'unauthenticated');
    expectError(await as.districtAdmin.withoutCsrf('POST', '/api/orgs', { parentId: w.districtA.id, kind: 'school', code: 'NEW-1', name: 'New' }), 403, 'csrf_failed');
  });

  it('creates a school under a district the caller administers, inheriting place and country', async () => {
    const before = await countRows(ctx.db, 'organizations');
    const res = await as.districtAdmin.post('/api/orgs', { parentId: w.districtA.id, kind: 'school', code: 'NEW-1', name: '  Willow Elementary ', gradeSpan: 'K-5', enrolment: 321, languages: ['en', 'es'] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ parentId: w.districtA.id, kind: 'school', code: 'NEW-1', name: 'Willow Elementary', gradeSpan: 'K-5', enrolment: 321, status: 'active', role: 'admin', languages: ['en', 'es'] });
    expect(await countRows(ctx.db, 'organizations')).toBe(before + 1);
    const row = await orgRow(body.id);
    expect(row).toMatchObject({ path: `${w.districtA.path}${body.id}/`, depth: 3, stateId: w.stateA.id, country: 'US', parentId: w.districtA.id });
    const audit = (await auditRowsOf(ctx.db, 'org.created')).filter((a) => a.target_id === String(body.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'distadmin@example.test', org_path: row.path });
  });

  it('answers 404 for a parent outside the caller\'s scope and 403 for a role that may not create', async () => {
    const body = { parentId: w.districtA.id, kind: 'school', code: 'NEW-2', name: 'Nope' };
    expectError(await as.otherAdmin.post('/api/orgs', body), 404, 'not_found');
    expectError(await as.districtCoordinator.post('/api/orgs', body), 403, 'forbidden');
    expectError(await as.schoolMember.post('/api/orgs', body), 404, 'not_found');
    // Only operators create top-level organisations.
    expectError(await as.networkAdmin.post('/api/orgs', { parentId: null, kind: 'network', code: 'NET-X', name: 'Rogue' }), 403, 'forbidden');
    expect((await as.operator.post('/api/orgs', { parentId: null, kind: 'network', code: 'NET-X', name: 'Operator Network' })).statusCode).toBe(201);
    const rows = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from organizations where code in ('NEW-2', 'NET-X')`);
    expect(rows[0].n).toBe(1);
  });

  it('refuses a kind that cannot sit under the parent (400 naming parentId)', async () => {
    expectError(await as.districtAdmin.post('/api/orgs', { parentId: w.districtA.id, kind: 'district', code: 'D-IN-D', name: 'Nested' }), 400, 'validation_failed', 'parentId');
    expectError(await as.districtAdmin.post('/api/orgs', { parentId: w.schoolA1.id, kind: 'school', code: 'S-IN-S', name: 'Nested' }), 400, 'validation_failed', 'parentId');
    expectError(await as.networkAdmin.post('/api/orgs', { parentId: w.network.id, kind: 'school', code: 'S-IN-N', name: 'Loose' }), 400, 'validation_failed', 'parentId');
    expectError(await as.networkAdmin.post('/api/orgs', { parentId: w.stateA.id, kind: 'network', code: 'N-IN-S', name: 'Upside down' }), 400, 'validation_failed', 'parentId');
  });

  it('refuses bad fields with 400 naming them', async () => {
    const ok = { parentId: w.districtA.id, kind: 'school', code: 'BAD-1', name: 'Bad' };
    expectError(await as.districtAdmin.post('/api/orgs', { ...ok, name: '   ' }), 400, 'validation_failed', 'name');
    expectError(await as.districtAdmin.post('/api/orgs', { ...ok, name: undefined }), 400, 'validation_failed', 'name');
    expectError(await as.districtAdmin.post('/api/orgs', { ...ok, code: 'has space' }), 400, 'validation_failed', 'code');
    expectError(await as.districtAdmin.post('/api/orgs', { ...ok, kind: 'city' }), 400, 'validation_failed', 'kind');
    expectError(await as.districtAdmin.post('/api/orgs', { ...ok, gradeSpan: 'K to 5' }), 400, 'validation_failed', 'gradeSpan');
    expectError(await as.districtAdmin.post('/api/orgs', { ...ok, enrolment: -1 }), 400, 'validation_failed', 'enrolment');
    expectError(await as.districtAdmin.post('/api/orgs', { ...ok, languages: ['de'] }), 400, 'validation_failed', 'languages.0');
    expectError(await as.districtAdmin.post('/api/orgs', { ...ok, parentId: 'x' }), 400, 'validation_failed', 'parentId');
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from organizations where code = 'BAD-1'`))[0].n).toBe(0);
  });

  it('refuses a code already used in the same state (409) but allows it in another state', async () => {
    await makeOrg(ctx.db, w.districtA, 'school', { code: 'TAKEN-1', name: 'Taken' });
    expectError(await as.networkAdmin.post('/api/orgs', { parentId: w.districtA.id, kind: 'school', code: 'TAKEN-1', name: 'Again' }), 409, 'conflict', 'code');
    expect((await as.networkAdmin.post('/api/orgs', { parentId: w.districtB.id, kind: 'school', code: 'TAKEN-1', name: 'Elsewhere' })).statusCode).toBe(201);
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from organizations where code = 'TAKEN-1'`))[0].n).toBe(2);
  });
});

describe('PATCH /api/orgs/:id (rename, edit)', () => {
  it('needs a session', async () => {
    expectError(await anon.patch(`/api/orgs/${w.schoolA2.id}`, { name: 'x' }), 401, 'unauthenticated');
  });

  it('answers 404 outside the scope and 403 for a role that may not edit', async () => {
    expectError(await as.otherAdmin.patch(`/api/orgs/${w.schoolA1.id}`, { name: 'Taken over' }), 404, 'not_found');
    expectError(await as.schoolViewer.patch(`/api/orgs/${w.schoolA1.id}`, { name: 'Renamed by viewer' }), 403, 'forbidden');
    expectError(await as.schoolMember.patch(`/api/orgs/${w.schoolA1.id}`, { name: 'Renamed by member' }), 403, 'forbidden');
    expectError(await as.districtCoordinator.patch(`/api/orgs/${w.schoolA1.id}`, { name: 'Renamed by coordinator' }), 403, 'forbidden');
    expect((await orgRow(w.schoolA1.id)).name).toBe('School A1');
  });

  it('renames and edits, and audits the before and after', async () => {
    const res = await as.districtAdmin.patch(`/api/orgs/${w.schoolA2.id}`, { name: 'School A2 Renamed', enrolment: 480, gradeSpan: '6-8' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'School A2 Renamed', enrolment: 480, gradeSpan: '6-8' });
    expect(await orgRow(w.schoolA2.id)).toMatchObject({ name: 'School A2 Renamed', enrolment: 480, gradeSpan: '6-8' });
    const audit = (await auditRowsOf(ctx.db, 'org.updated')).filter((a) => a.target_id === String(w.schoolA2.id));
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual({ before: { name: 'School A2', enrolment: null, gradeSpan: null }, after: { name: 'School A2 Renamed', enrolment: 480, gradeSpan: '6-8' } });
    // Sending the same values again changes nothing and writes no entry.
    await as.districtAdmin.patch(`/api/orgs/${w.schoolA2.id}`, { name: 'School A2 Renamed' });
    expect((await auditRowsOf(ctx.db, 'org.updated')).filter((a) => a.target_id === String(w.schoolA2.id))).toHaveLength(1);
  });

  it('refuses bad input with 400 and a used code with 409', async () => {
    expectError(await as.districtAdmin.patch(`/api/orgs/${w.schoolA2.id}`, { name: '' }), 400, 'validation_failed', 'name');
    expectError(await as.districtAdmin.patch(`/api/orgs/${w.schoolA2.id}`, { enrolment: 'many' }), 400, 'validation_failed', 'enrolment');
    expectError(await as.districtAdmin.patch(`/api/orgs/${w.schoolA2.id}`, {}), 400, 'validation_failed');
    expectError(await as.districtAdmin.patch(`/api/orgs/${w.schoolA2.id}`, { code: w.schoolA1.code }), 409, 'conflict', 'code');
    expect((await orgRow(w.schoolA2.id)).code).toBe(w.schoolA2.code);
  });
});

describe('POST /api/orgs/:id/move', () => {
  let mover: TestOrg;
  let moverSchools: TestOrg[];
  beforeAll(async () => {
    mover = await makeOrg(ctx.db, w.stateA, 'district', { code: 'MOVER', name: 'Moving District' });
    moverSchools = [await makeOrg(ctx.db, mover, 'school', { code: 'MOVER-1' }), await makeOrg(ctx.db, mover, 'school', { code: 'MOVER-2' })];
  });

  it('needs a session', async () => {
    expectError(await anon.post(`/api/orgs/${mover.id}/move`, { parentId: w.stateB.id }), 401, 'unauthenticated');
  });

  it('answers 404 when the organisation or the destination is outside the scope, 403 for a non-admin', async () => {
    expectError(await as.otherAdmin.post(`/api/orgs/${w.schoolA1.id}/move`, { parentId: w.districtB.id }), 404, 'not_found');
    // District A's admin can see School A1 but not District B.
    expectError(await as.districtAdmin.post(`/api/orgs/${w.schoolA1.id}/move`, { parentId: w.districtB.id }), 404, 'not_found');
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/move`, { parentId: w.districtA.id }), 403, 'forbidden');
    expect((await orgRow(w.schoolA1.id)).parentId).toBe(w.districtA.id);
  });

  it('refuses a move under itself or one of its own descendants (400)', async () => {
    expectError(await as.networkAdmin.post(`/api/orgs/${mover.id}/move`, { parentId: moverSchools[0].id }), 400, 'validation_failed', 'parentId');
    expectError(await as.networkAdmin.post(`/api/orgs/${mover.id}/move`, { parentId: mover.id }), 400, 'validation_failed', 'parentId');
    expectError(await as.networkAdmin.post(`/api/orgs/${w.stateA.id}/move`, { parentId: mover.id }), 400, 'validation_failed', 'parentId');
  });

  it('refuses a destination of the wrong kind (400) and bad input (400)', async () => {
    expectError(await as.networkAdmin.post(`/api/orgs/${w.schoolA1.id}/move`, { parentId: w.schoolA2.id }), 400, 'validation_failed', 'parentId');
    expectError(await as.networkAdmin.post(`/api/orgs/${mover.id}/move`, { parentId: w.districtB.id }), 400, 'validation_failed', 'parentId');
    expectError(await as.networkAdmin.post(`/api/orgs/${mover.id}/move`, { parentId: 'up' }), 400, 'validation_failed', 'parentId');
    expectError(await as.networkAdmin.post(`/api/orgs/${mover.id}/move`, {}), 400, 'validation_failed', 'parentId');
  });

  it('moves a district and its whole subtree to another state: paths, depth and state follow', async () => {
    const res = await as.networkAdmin.post(`/api/orgs/${mover.id}/move`, { parentId: w.stateB.id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: mover.id, parentId: w.stateB.id });
    const newPath = `${w.stateB.path}${mover.id}/`;
    expect(await orgRow(mover.id)).toMatchObject({ parentId: w.stateB.id, path: newPath, depth: 2, stateId: w.stateB.id });
    for (const s of moverSchools) {
      expect(await orgRow(s.id)).toMatchObject({ parentId: mover.id, path: `${newPath}${s.id}/`, depth: 3, stateId: w.stateB.id });
    }
    // Nothing is left under the old path.
    const left = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from organizations where path like ${`${w.stateA.path}${mover.id}/%`}`);
    expect(left[0].n).toBe(0);
    const audit = (await auditRowsOf(ctx.db, 'org.moved')).filter((a) => a.target_id === String(mover.id));
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual({ fromParentId: w.stateA.id, toParentId: w.stateB.id });
    // Access follows the tree: State B's admin now sees the moved schools, State A's no longer does.
    const stateBAdmin = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'admin', org: w.stateB })).email);
    const stateAAdmin = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'admin', org: w.stateA })).email);
    expect((await stateBAdmin.get(`/api/orgs/${moverSchools[0].id}`)).statusCode).toBe(200);
    expectError(await stateAAdmin.get(`/api/orgs/${moverSchools[0].id}`), 404, 'not_found');
    expect((await as.networkAdmin.get(`/api/orgs?parentId=${w.stateB.id}`)).json().items.map((i: { id: number }) => i.id)).toContain(mover.id);
  });

  it('lets a state admin move a school between two districts of the state', async () => {
    const other = await makeOrg(ctx.db, w.stateA, 'district', { code: 'TWIN' });
    const admin = await makeUser(ctx.db, { role: 'admin', org: w.stateA });
    const school = await makeOrg(ctx.db, w.districtA, 'school', { code: 'HOP-1' });
    const agent = await signIn(ctx.app, admin.email);
    expect((await agent.post(`/api/orgs/${school.id}/move`, { parentId: other.id })).statusCode).toBe(200);
    expect(await orgRow(school.id)).toMatchObject({ parentId: other.id, path: `${other.path}${school.id}/`, stateId: w.stateA.id });
  });

  it('refuses a move that would duplicate a code inside the destination state (409), changing nothing', async () => {
    const a = await makeOrg(ctx.db, w.districtA, 'school', { code: 'DUP-1' });
    await makeOrg(ctx.db, w.districtB, 'school', { code: 'DUP-1', country: 'CA' });
    expectError(await as.networkAdmin.post(`/api/orgs/${a.id}/move`, { parentId: w.districtB.id }), 409, 'conflict');
    expect(await orgRow(a.id)).toMatchObject({ parentId: w.districtA.id, path: a.path, stateId: w.stateA.id });
  });
});

describe('archive and restore', () => {
  let closing: TestOrg;
  let closingSchools: TestOrg[];
  let teacher: { email: string };
  let teacherAgent: Agent;
  beforeAll(async () => {
    closing = await makeOrg(ctx.db, w.stateA, 'district', { code: 'CLOSE', name: 'Closing District' });
    closingSchools = [await makeOrg(ctx.db, closing, 'school', { code: 'CLOSE-1', name: 'Closing School 1' }), await makeOrg(ctx.db, closing, 'school', { code: 'CLOSE-2', name: 'Closing School 2' })];
    teacher = await makeUser(ctx.db, { role: 'member', org: closingSchools[0] });
    teacherAgent = await signIn(ctx.app, teacher.email);
  });

  it('needs a session', async () => {
    expectError(await anon.post(`/api/orgs/${closing.id}/archive`), 401, 'unauthenticated');
    expectError(await anon.post(`/api/orgs/${closing.id}/restore`), 401, 'unauthenticated');
  });

  it('answers 404 outside the scope and 403 for a non-admin or a top-level organisation', async () => {
    expectError(await as.otherAdmin.post(`/api/orgs/${w.schoolA1.id}/archive`), 404, 'not_found');
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/archive`), 403, 'forbidden');
    expectError(await teacherAgent.post(`/api/orgs/${closingSchools[0].id}/archive`), 403, 'forbidden');
    expectError(await as.networkAdmin.post(`/api/orgs/${w.network.id}/archive`), 403, 'forbidden');
    expectError(await as.networkAdmin.post('/api/orgs/abc/archive'), 400, 'validation_failed', 'id');
    expect((await orgRow(w.network.id)).status).toBe('active');
  });

  it('archives a district with its schools; roles held there stop applying', async () => {
    expect((await teacherAgent.get(`/api/orgs/${closingSchools[0].id}`)).statusCode).toBe(200);
    const res = await as.networkAdmin.post(`/api/orgs/${closing.id}/archive`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'archived', archivedAt: expect.any(String) });
    for (const id of [closing.id, ...closingSchools.map((s) => s.id)]) {
      const row = await orgRow(id);
      expect(row.status).toBe('archived');
      expect(row.archivedAt).not.toBeNull();
    }
    // The teacher's role at an archived school no longer applies.
    expectError(await teacherAgent.get(`/api/orgs/${closingSchools[0].id}`), 404, 'not_found');
    expect((await teacherAgent.get('/api/orgs')).json()).toEqual({ items: [], total: 0 });
    expect((await teacherAgent.get('/api/me')).json().memberships).toEqual([]);
    // Hidden from default lists, listed on request, still readable by the admin above.
    const stateKids = (await as.networkAdmin.get(`/api/orgs?parentId=${w.stateA.id}`)).json().items.map((i: { id: number }) => i.id);
    expect(stateKids).not.toContain(closing.id);
    expect(names(await as.networkAdmin.get(`/api/orgs?parentId=${w.stateA.id}&status=archived`))).toEqual(['Closing District']);
    expect((await as.networkAdmin.get(`/api/orgs/${closing.id}`)).json().status).toBe('archived');
    // No new work under an archived organisation.
    expectError(await as.networkAdmin.post('/api/orgs', { parentId: closing.id, kind: 'school', code: 'LATE-1', name: 'Late' }), 409, 'conflict', 'parentId');
    expect((await auditRowsOf(ctx.db, 'org.archived')).filter((a) => a.target_id === String(closing.id))).toHaveLength(1);
  });

  it('refuses to restore a school while its district is archived (409)', async () => {
    expectError(await as.networkAdmin.post(`/api/orgs/${closingSchools[0].id}/restore`), 409, 'conflict');
    expect((await orgRow(closingSchools[0].id)).status).toBe('archived');
  });

  it('restores the district with its schools; roles apply again', async () => {
    const res = await as.networkAdmin.post(`/api/orgs/${closing.id}/restore`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', archivedAt: null });
    for (const id of [closing.id, ...closingSchools.map((s) => s.id)]) expect(await orgRow(id)).toMatchObject({ status: 'active', archivedAt: null });
    expect((await teacherAgent.get(`/api/orgs/${closingSchools[0].id}`)).statusCode).toBe(200);
    expect((await auditRowsOf(ctx.db, 'org.restored')).filter((a) => a.target_id === String(closing.id))).toHaveLength(1);
  });

  it('restoring a district leaves a school that was archived on its own, before the district, archived', async () => {
    const [closedEarlier, stillOpen] = closingSchools;
    expect((await as.networkAdmin.post(`/api/orgs/${closedEarlier.id}/archive`)).statusCode).toBe(200);
    expect((await as.networkAdmin.post(`/api/orgs/${closing.id}/archive`)).statusCode).toBe(200);
    expect(await orgRow(stillOpen.id)).toMatchObject({ status: 'archived' });
    expect((await as.networkAdmin.post(`/api/orgs/${closing.id}/restore`)).statusCode).toBe(200);
    expect(await orgRow(closing.id)).toMatchObject({ status: 'active' });
    expect(await orgRow(stillOpen.id)).toMatchObject({ status: 'active' });
    expect(await orgRow(closedEarlier.id)).toMatchObject({ status: 'archived' });
    // It can still be restored by itself.
    expect((await as.networkAdmin.post(`/api/orgs/${closedEarlier.id}/restore`)).statusCode).toBe(200);
    expect(await orgRow(closedEarlier.id)).toMatchObject({ status: 'active' });
  });
});

describe('partner links', () => {
  it('needs a session', async () => {
    expectError(await anon.get(`/api/orgs/${w.schoolA1.id}/partners`), 401, 'unauthenticated');
    expectError(await anon.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.partner.id }), 401, 'unauthenticated');
    expectError(await anon.delete(`/api/orgs/${w.schoolA1.id}/partners/${w.partner.id}`), 401, 'unauthenticated');
  });

  it('answers 404 outside the scope, 403 for a role that may not link, 400 for a bad id', async () => {
    expectError(await as.otherAdmin.get(`/api/orgs/${w.schoolA1.id}/partners`), 404, 'not_found');
    expectError(await as.otherAdmin.get('/api/orgs/abc/partners'), 400, 'validation_failed', 'id');
    expectError(await as.otherAdmin.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.partner.id }), 404, 'not_found');
    expectError(await as.schoolViewer.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.partner.id }), 403, 'forbidden');
    expectError(await as.schoolMember.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.partner.id }), 403, 'forbidden');
    expect(await countRows(ctx.db, 'partner_links')).toBe(0);
  });

  it('links only organisations of kind partner, only to schools and districts', async () => {
    // Not a partner answers like a missing one, inside scope or out of it, so nothing leaks.
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.schoolA2.id }), 404, 'not_found');
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.schoolB1.id }), 404, 'not_found');
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.stateB.id }), 404, 'not_found');
    expectError(await as.networkAdmin.post(`/api/orgs/${w.stateA.id}/partners`, { partnerId: w.partner.id }), 400, 'validation_failed', 'id');
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: 987654 }), 404, 'not_found');
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: 'p' }), 400, 'validation_failed', 'partnerId');
    // A partner of another network is not there for this network.
    const network2 = await makeOrg(ctx.db, null, 'network', { name: 'Far Network' });
    const farPartner = await makeOrg(ctx.db, network2, 'partner', { name: 'Far Partner' });
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: farPartner.id }), 404, 'not_found');
    expect(await countRows(ctx.db, 'partner_links')).toBe(0);
  });

  it('links and unlinks a partner; everyone at the school sees the link', async () => {
    const linked = await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.partner.id });
    expect(linked.statusCode).toBe(200);
    expect(names(linked)).toEqual(['Partner P']);
    expect(await countRows(ctx.db, 'partner_links')).toBe(1);
    // Linking twice keeps one link.
    await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/partners`, { partnerId: w.partner.id });
    expect(await countRows(ctx.db, 'partner_links')).toBe(1);
    expect(names(await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/partners`))).toEqual(['Partner P']);
    // From the partner's side, the network admin and the partner's own people see the school it serves.
    expect(names(await as.networkAdmin.get(`/api/orgs/${w.partner.id}/partners`))).toEqual(['School A1']);
    expect(names(await as.partnerCoordinator.get(`/api/orgs/${w.partner.id}/partners`))).toEqual(['School A1']);
    // Others in the network read the partner's page, without any ability there; its served schools
    // are listed only as far as their own scope goes.
    const partnerPage = (await as.schoolViewer.get(`/api/orgs/${w.partner.id}`)).json();
    expect(partnerPage).toMatchObject({ name: 'Partner P', role: null });
    expect(Object.values(partnerPage.can).every((v) => v === false)).toBe(true);
    expect(names(await as.otherAdmin.get(`/api/orgs/${w.partner.id}/partners`))).toEqual([]);
    expect((await auditRowsOf(ctx.db, 'partner.linked')).at(-1)).toMatchObject({ actor_email: 'coord@example.test', org_id: w.schoolA1.id, target_id: String(w.partner.id) });

    expectError(await as.schoolViewer.delete(`/api/orgs/${w.schoolA1.id}/partners/${w.partner.id}`), 403, 'forbidden');
    expectError(await as.otherAdmin.delete(`/api/orgs/${w.schoolA1.id}/partners/${w.partner.id}`), 404, 'not_found');
    expectError(await as.districtCoordinator.delete(`/api/orgs/${w.schoolA1.id}/partners/x`), 400, 'validation_failed', 'partnerId');
    expect(await countRows(ctx.db, 'partner_links')).toBe(1);
    const unlinked = await as.districtCoordinator.delete(`/api/orgs/${w.schoolA1.id}/partners/${w.partner.id}`);
    expect(unlinked.json()).toEqual({ items: [], total: 0 });
    expect(await countRows(ctx.db, 'partner_links')).toBe(0);
    expect(await auditRowsOf(ctx.db, 'partner.unlinked')).toHaveLength(1);
  });
});
