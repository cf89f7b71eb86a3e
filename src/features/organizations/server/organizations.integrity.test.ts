// Regression tests for the security review of the organisation tree: concurrent moves keep the
// materialised paths consistent, moving and archiving need rights above the organisation,
// imports respect regions, state codes are unique per network only, and ids in URLs are plain.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/client.js';
import { auditRowsOf, countRows, makeOrg, makeUser, makeWorld } from '../../../server/test/factories.js';
import { type Agent, expectError, signIn, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { memberships } from '../../members/server/members.tables.js';
import { findOrgsByCode } from './organizations.queries.js';
import { organizations } from './organizations.tables.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
let operator: Agent;
let networkAdmin: Agent;

beforeAll(async () => {
  ctx = await startTestApp();
  w = await makeWorld(ctx.db);
  operator = await signIn(ctx.app, w.people.operator.email);
  networkAdmin = await signIn(ctx.app, w.people.networkAdmin.email);
});
afterAll(() => ctx.close());

async function orgRow(id: number) {
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, id));
  return row;
}

/**
 * Every organisation whose materialised columns disagree with its parent: path must be the
 * parent's path + own id + '/', depth the parent's depth + 1 (top level: '/id/' and 0), and
 * state_id the state on its path (a state carries its own id; no state on the path: null).
 * One query over the whole table; an empty result means the tree is consistent.
 */
async function inconsistentOrgs() {
  return queryRows<{ id: number; parent_id: number | null; path: string; depth: number; state_id: number | null; parent_path: string | null; parent_depth: number | null; path_state: number | null }>(
    ctx.db,
    sql`select c.id, c.parent_id, c.path, c.depth, c.state_id, p.path as parent_path, p.depth as parent_depth,
               (select s.id from organizations s where s.kind = 'state' and c.path like s.path || '%') as path_state
        from organizations c
        left join organizations p on p.id = c.parent_id
        where (c.parent_id is null and (c.path <> '/' || c.id::text || '/' or c.depth <> 0))
           or (c.parent_id is not null and (p.id is null or c.path <> p.path || c.id::text || '/' or c.depth <> p.depth + 1))
           or c.state_id is distinct from (select s.id from organizations s where s.kind = 'state' and c.path like s.path || '%')
        order by c.id`,
  );
}

describe('concurrent moves keep every path, depth and state consistent', () => {
  it('the world starts consistent', async () => {
    expect(await inconsistentOrgs()).toEqual([]);
  });

  // Each round: a district moves to the other state while, at the same time, one of its schools
  // moves to a district of that other state (in either order of submission).
  const rounds: { from: 'A' | 'B'; schoolFirst: boolean; inRegion: boolean }[] = [
    { from: 'A', schoolFirst: false, inRegion: false },
    { from: 'B', schoolFirst: false, inRegion: false },
    { from: 'A', schoolFirst: true, inRegion: false },
    { from: 'B', schoolFirst: true, inRegion: true },
    { from: 'A', schoolFirst: false, inRegion: true },
  ];
  for (const [i, round] of rounds.entries()) {
    it(`round ${i + 1}: district of State ${round.from} → other state ‖ its school → a district there${round.inRegion ? ' (district in a region)' : ''}${round.schoolFirst ? ' (school sent first)' : ''}`, async () => {
      const src = round.from === 'A' ? w.stateA : w.stateB;
      const dst = round.from === 'A' ? w.stateB : w.stateA;
      const srcParent = round.inRegion ? await makeOrg(ctx.db, src, 'region') : src;
      const district = await makeOrg(ctx.db, srcParent, 'district');
      const mover = await makeOrg(ctx.db, district, 'school');
      const stayer = await makeOrg(ctx.db, district, 'school');
      const target = await makeOrg(ctx.db, dst, 'district');

      const moveDistrict = () => networkAdmin.post(`/api/orgs/${district.id}/move`, { parentId: dst.id });
      const moveSchool = () => networkAdmin.post(`/api/orgs/${mover.id}/move`, { parentId: target.id });
      const [d, s] = round.schoolFirst
        ? await Promise.all([moveSchool(), moveDistrict()]).then(([a, b]) => [b, a])
        : await Promise.all([moveDistrict(), moveSchool()]);
      expect(d.statusCode, d.body).toBe(200);
      expect(s.statusCode, s.body).toBe(200);

      // The whole table, in one query.
      expect(await inconsistentOrgs()).toEqual([]);

      const newDistrictPath = `${dst.path}${district.id}/`;
      expect(await orgRow(district.id)).toMatchObject({ parentId: dst.id, path: newDistrictPath, depth: 2, stateId: dst.id });
      expect(await orgRow(stayer.id)).toMatchObject({ parentId: district.id, path: `${newDistrictPath}${stayer.id}/`, depth: 3, stateId: dst.id });
      expect(await orgRow(mover.id)).toMatchObject({ parentId: target.id, path: `${target.path}${mover.id}/`, depth: 3, stateId: dst.id });
      const moved = (await auditRowsOf(ctx.db, 'org.moved')).filter((a) => a.target_id === String(district.id) || a.target_id === String(mover.id));
      expect(moved).toHaveLength(2);
    });
  }

  it('a school moving into a district while that district moves to the other state ends up below it', async () => {
    for (const from of ['A', 'B'] as const) {
      const src = from === 'A' ? w.stateA : w.stateB;
      const dst = from === 'A' ? w.stateB : w.stateA;
      const district = await makeOrg(ctx.db, src, 'district');
      const home = await makeOrg(ctx.db, src, 'district');
      const school = await makeOrg(ctx.db, home, 'school');
      const [d, s] = await Promise.all([
        networkAdmin.post(`/api/orgs/${district.id}/move`, { parentId: dst.id }),
        networkAdmin.post(`/api/orgs/${school.id}/move`, { parentId: district.id }),
      ]);
      expect(d.statusCode, d.body).toBe(200);
      expect(s.statusCode, s.body).toBe(200);
      expect(await inconsistentOrgs()).toEqual([]);
      expect(await orgRow(school.id)).toMatchObject({ parentId: district.id, path: `${dst.path}${district.id}/${school.id}/`, depth: 3, stateId: dst.id });
    }
  });
});

describe('moving and archiving need admin rights above the organisation', () => {
  it('an admin of only a school can neither move nor archive that school (403), and nothing changes', async () => {
    const school = await makeOrg(ctx.db, w.districtA, 'school');
    const admin = await makeUser(ctx.db, { role: 'admin', org: school });
    const agent = await signIn(ctx.app, admin.email);
    const before = await orgRow(school.id);
    const audit = await countRows(ctx.db, 'audit_log');
    // The only destination this admin can name is the school itself; the rights check comes first.
    expectError(await agent.post(`/api/orgs/${school.id}/move`, { parentId: school.id }), 403, 'forbidden');
    expectError(await agent.post(`/api/orgs/${school.id}/archive`), 403, 'forbidden');
    expect(await orgRow(school.id)).toEqual(before);
    expect(await countRows(ctx.db, 'audit_log')).toBe(audit);
  });

  it('an admin of a district can neither archive nor move the district itself (403), but can archive a school in it (200)', async () => {
    const district = await makeOrg(ctx.db, w.stateA, 'district');
    const school = await makeOrg(ctx.db, district, 'school');
    const admin = await makeUser(ctx.db, { role: 'admin', org: district });
    const agent = await signIn(ctx.app, admin.email);
    // Also admin at State B: the destination is allowed, the district's own place is not.
    const dual = await makeUser(ctx.db, { role: 'admin', org: district });
    await ctx.db.insert(memberships).values({ userId: dual.id, orgId: w.stateB.id, role: 'admin' });
    const dualAgent = await signIn(ctx.app, dual.email);
    const before = await orgRow(district.id);
    const audit = await countRows(ctx.db, 'audit_log');

    expectError(await agent.post(`/api/orgs/${district.id}/archive`), 403, 'forbidden');
    expectError(await agent.post(`/api/orgs/${district.id}/move`, { parentId: district.id }), 403, 'forbidden');
    expectError(await dualAgent.post(`/api/orgs/${district.id}/move`, { parentId: w.stateB.id }), 403, 'forbidden');
    expectError(await dualAgent.post(`/api/orgs/${district.id}/archive`), 403, 'forbidden');
    expect(await orgRow(district.id)).toEqual(before);
    expect(await countRows(ctx.db, 'audit_log')).toBe(audit);

    const res = await agent.post(`/api/orgs/${school.id}/archive`);
    expect(res.statusCode, res.body).toBe(200);
    expect(await orgRow(school.id)).toMatchObject({ status: 'archived', parentId: district.id });
    expect(await orgRow(district.id)).toMatchObject({ status: 'active' });
    expect((await auditRowsOf(ctx.db, 'org.archived')).filter((a) => a.target_id === String(school.id))).toHaveLength(1);
    expect(await inconsistentOrgs()).toEqual([]);
  });

  it('an admin of School A2 and of District B cannot move School A2 into District B (403); the operator can', async () => {
    const person = await makeUser(ctx.db, { role: 'admin', org: w.schoolA2 });
    await ctx.db.insert(memberships).values({ userId: person.id, orgId: w.districtB.id, role: 'admin' });
    const agent = await signIn(ctx.app, person.email);
    const before = await orgRow(w.schoolA2.id);
    expectError(await agent.post(`/api/orgs/${w.schoolA2.id}/move`, { parentId: w.districtB.id }), 403, 'forbidden');
    expect(await orgRow(w.schoolA2.id)).toEqual(before);
    expect((await auditRowsOf(ctx.db, 'org.moved')).filter((a) => a.target_id === String(w.schoolA2.id))).toHaveLength(0);

    const res = await operator.post(`/api/orgs/${w.schoolA2.id}/move`, { parentId: w.districtB.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(await orgRow(w.schoolA2.id)).toMatchObject({ parentId: w.districtB.id, path: `${w.districtB.path}${w.schoolA2.id}/`, depth: 3, stateId: w.stateB.id });
    expect(await inconsistentOrgs()).toEqual([]);
  });
});

describe('directory import into a state with regions', () => {
  let state: { id: number };
  let region: { id: number };
  let district: { id: number };
  let school: { id: number };

  /** Uploads a CCD file under an organisation and waits for the job to finish. */
  async function importCsv(underId: number, csv: string) {
    const res = await operator.post(`/api/imports?underId=${underId}&fileName=regions.csv`, Buffer.from(csv), { 'content-type': 'text/csv' });
    expect(res.statusCode, res.body).toBe(202);
    for (let i = 0; i < 600; i++) {
      const job = await operator.get(`/api/imports/${res.json().id}`);
      expect(job.statusCode, job.body).toBe(200);
      if (job.json().status !== 'running') return job.json();
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('import did not finish');
  }

  async function create(body: Record<string, unknown>) {
    const res = await operator.post('/api/orgs', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number };
  }

  beforeAll(async () => {
    const network = await create({ parentId: null, kind: 'network', code: 'REGION-NET', name: 'Region Network' });
    state = await create({ parentId: network.id, kind: 'state', code: 'OR', name: 'Oregon' });
    region = await create({ parentId: state.id, kind: 'region', code: 'OR-NORTH', name: 'North Region' });
    district = await create({ parentId: region.id, kind: 'district', code: '4100001', name: 'Alpha School District' });
    school = await create({ parentId: district.id, kind: 'school', code: '410000100001', name: 'Alpha Elementary' });
  });

  const csv =
    'NCESSCH,SCH_NAME,LEAID,LEA_NAME,ST,SY_STATUS\n' +
    '410000100001,Alpha Elementary,4100001,Alpha School District,OR,1\n' +
    '410000100002,Beta Middle,4100001,Alpha School District,OR,1\n';

  it('leaves the district under its region and puts the new school under the district, with exact counts', async () => {
    const before = await orgRow(district.id);
    expect(before).toMatchObject({ parentId: region.id, depth: 3 });
    const job = await importCsv(state.id, csv);
    expect(job).toMatchObject({ status: 'done', orgId: state.id, preset: 'ccd', error: null });
    // State, district and the known school unchanged; one school created.
    expect(job.summary).toEqual({ preset: 'ccd', dryRun: false, created: 1, updated: 0, unchanged: 3, archived: 0, skipped: 0, errors: [] });

    expect(await orgRow(district.id)).toMatchObject({ parentId: region.id, path: before.path, depth: 3, stateId: state.id, name: 'Alpha School District' });
    expect(await orgRow(school.id)).toMatchObject({ parentId: district.id, path: `${before.path}${school.id}/`, depth: 4, stateId: state.id });
    const [created] = await ctx.db.select().from(organizations).where(eq(organizations.code, '410000100002'));
    expect(created).toMatchObject({ kind: 'school', name: 'Beta Middle', parentId: district.id, path: `${before.path}${created.id}/`, depth: before.depth + 1, stateId: state.id, status: 'active' });
    expect(await countRows(ctx.db, `organizations where path like '${(await orgRow(state.id)).path}%'`)).toBe(5);
    expect(await inconsistentOrgs()).toEqual([]);
  });

  it('re-importing the same file is all unchanged', async () => {
    const count = await countRows(ctx.db, 'organizations');
    const [{ latest }] = await queryRows<{ latest: string }>(ctx.db, sql`select max(updated_at)::text as latest from organizations`);
    const job = await importCsv(state.id, csv);
    expect(job.summary).toEqual({ preset: 'ccd', dryRun: false, created: 0, updated: 0, unchanged: 4, archived: 0, skipped: 0, errors: [] });
    expect(await countRows(ctx.db, 'organizations')).toBe(count);
    const [{ latest: after }] = await queryRows<{ latest: string }>(ctx.db, sql`select max(updated_at)::text as latest from organizations`);
    expect(after).toBe(latest);
    expect(await orgRow(district.id)).toMatchObject({ parentId: region.id, depth: 3 });
    expect(await inconsistentOrgs()).toEqual([]);
  });
});

describe('state codes are unique per network, not globally', () => {
  let netOne: { id: number };
  let netTwo: { id: number };
  let caOne: { id: number };
  let caTwo: { id: number };

  it('two networks may each have a state "CA"; a second "CA" in one network is 409 on code', async () => {
    const one = await operator.post('/api/orgs', { parentId: null, kind: 'network', code: 'NET-ONE', name: 'Network One' });
    const two = await operator.post('/api/orgs', { parentId: null, kind: 'network', code: 'NET-TWO', name: 'Network Two' });
    expect([one.statusCode, two.statusCode], one.body + two.body).toEqual([201, 201]);
    netOne = one.json();
    netTwo = two.json();

    const a = await operator.post('/api/orgs', { parentId: netOne.id, kind: 'state', code: 'CA', name: 'California' });
    expect(a.statusCode, a.body).toBe(201);
    const b = await operator.post('/api/orgs', { parentId: netTwo.id, kind: 'state', code: 'CA', name: 'California' });
    expect(b.statusCode, b.body).toBe(201);
    caOne = a.json();
    caTwo = b.json();

    const before = await countRows(ctx.db, 'organizations');
    expectError(await operator.post('/api/orgs', { parentId: netOne.id, kind: 'state', code: 'CA', name: 'California Again' }), 409, 'conflict', 'code');
    expect(await countRows(ctx.db, 'organizations')).toBe(before);
    expect(await countRows(ctx.db, "organizations where kind = 'state' and code = 'CA'")).toBe(2);
  });

  it('partners with the same code under two networks both succeed', async () => {
    const a = await operator.post('/api/orgs', { parentId: netOne.id, kind: 'partner', code: 'HELPERS', name: 'Helpers One' });
    const b = await operator.post('/api/orgs', { parentId: netTwo.id, kind: 'partner', code: 'HELPERS', name: 'Helpers Two' });
    expect([a.statusCode, b.statusCode], a.body + b.body).toEqual([201, 201]);
    expect(await countRows(ctx.db, "organizations where kind = 'partner' and code = 'HELPERS'")).toBe(2);
  });

  it('findOrgsByCode: a bare code names both states, a path of codes names one', async () => {
    const both = await findOrgsByCode(ctx.db, 'CA');
    expect(both.map((o) => o.id).sort((x, y) => x - y)).toEqual([caOne.id, caTwo.id].sort((x, y) => x - y));
    const one = await findOrgsByCode(ctx.db, 'NET-ONE/CA');
    expect(one.map((o) => o.id)).toEqual([caOne.id]);
    const two = await findOrgsByCode(ctx.db, 'NET-TWO/CA');
    expect(two.map((o) => o.id)).toEqual([caTwo.id]);
  });
});

describe('ids in URLs are plain whole numbers', () => {
  it.each(['1e0', '0x1', '%201', '1.0', '99999999999'])('GET /api/orgs/%s → 400 validation_failed naming id', async (raw) => {
    expectError(await networkAdmin.get(`/api/orgs/${raw}`), 400, 'validation_failed', 'id');
  });

  it('the same ids are refused on routes that change things, changing nothing', async () => {
    const audit = await countRows(ctx.db, 'audit_log');
    expectError(await networkAdmin.post('/api/orgs/1e0/archive'), 400, 'validation_failed', 'id');
    expectError(await networkAdmin.post('/api/orgs/0x1/move', { parentId: w.stateA.id }), 400, 'validation_failed', 'id');
    expectError(await networkAdmin.patch('/api/orgs/1.0', { name: 'Renamed' }), 400, 'validation_failed', 'id');
    expect(await countRows(ctx.db, 'audit_log')).toBe(audit);
  });

  it('a plain id still works', async () => {
    const res = await networkAdmin.get(`/api/orgs/${w.network.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: w.network.id });
  });
});
