import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../../server/authz/scope.js';
import { queryRows } from '../../../../server/db/client.js';
import { AppError } from '../../../../server/http/errors.js';
import { actorOf, auditRowsOf, countRows, makeOrg, makeUser, makeWorld } from '../../../../server/test/factories.js';
import { Agent, expectError, signIn, startTestApp, type TestContext } from '../../../../server/test/harness.js';
import { importDirectory } from './directory.service.js';
import { extdataPath } from '../../../../server/test/extdata.js';

const DIR = extdataPath('school_directory');
const CDE = `${DIR}/ca_pubschls.csv`;
const HIFLD = `${DIR}/hifld_public_schools_FL.csv`;
const MA = `${DIR}/ma_public_schools_2017.csv`;
const NOT_A_DIRECTORY = extdataPath('likert_survey/psych_bfi.csv');

// Expected counts were worked out from the files with Python's csv module, independently of the
// importer (see directory.parse.test.ts for the per-file record counts):
//   CDE:   1 state + 1,424 districts + 16,439 schools = 17,864 records. Archived: 5,816 schools
//          (StatusType Closed/Merged) + 280 district rows Closed/Merged + 48 districts that have
//          no row and only Closed/Merged schools = 6,144. Created active: 17,864 - 6,144 = 11,720.
//   HIFLD: 1 + 76 + 4,337 = 4,414 records; 62 schools have STATUS 2 (closed); no district has
//          only closed schools. Created active 4,352, archived 62.
//   MA:    1 + 410 + 1,861 = 2,272 records, all active.
const CDE_RECORDS = 17_864;

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
let networkActor: Actor;
let admin: Agent;
let tmp: string;

beforeAll(async () => {
  ctx = await startTestApp();
  w = await makeWorld(ctx.db);
  networkActor = await actorOf(ctx.db, w.people.networkAdmin.id);
  admin = await signIn(ctx.app, w.people.networkAdmin.email);
  tmp = mkdtempSync(path.join(tmpdir(), 'schoolwell-import-'));
});
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await ctx.close();
});

/** Counts organisations below the state with this code, by kind and status. */
async function stateCounts(stateCode: string) {
  const rows = await queryRows<{ kind: string; status: string; n: number }>(
    ctx.db,
    sql`select o.kind, o.status, count(*)::int as n from organizations o
        join organizations s on s.kind = 'state' and s.code = ${stateCode} and o.path like s.path || '%' and o.id <> s.id
        group by o.kind, o.status order by o.kind, o.status`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.kind}:${r.status}`, r.n]));
}

async function orgByCode(code: string) {
  const [row] = await queryRows<{ id: number; parent_id: number; kind: string; name: string; path: string; status: string; grade_span: string | null; enrolment: number | null; state_id: number }>(
    ctx.db,
    sql`select id, parent_id, kind, name, path, status, grade_span, enrolment, state_id from organizations where code = ${code} and kind <> 'state' order by depth limit 1`,
  );
  return row;
}

async function serviceError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Uploads a file to POST /api/imports and returns the response. */
function upload(agent: Agent, query: string, body: Buffer | string) {
  return agent.post(`/api/imports?${query}`, typeof body === 'string' ? Buffer.from(body) : body, { 'content-type': 'text/csv' });
}

/** Polls GET /api/imports/:id until the job is no longer running. */
async function waitForJob(agent: Agent, id: string) {
  for (let i = 0; i < 1200; i++) {
    const res = await agent.get(`/api/imports/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json();
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} did not finish`);
}

/** Counts of everything an import could write. */
async function footprint() {
  return {
    organizations: await countRows(ctx.db, 'organizations'),
    imported: await countRows(ctx.db, "audit_log where action = 'org.imported'"),
    audit: await countRows(ctx.db, 'audit_log'),
  };
}

describe('through the service', () => {
  it('imports the California CDE file under the network with exact counts', async () => {
    const summary = await importDirectory(ctx.db, networkActor, { input: CDE, underCode: w.network.code, dryRun: false, fileName: 'ca_pubschls.csv' });
    expect(summary).toEqual({ preset: 'cde', dryRun: false, created: 11_720, updated: 0, unchanged: 0, archived: 6_144, skipped: 0, errors: [] });
    expect(await stateCounts('CA')).toEqual({
      // 1,424 districts of which 328 archived; 16,439 schools of which 5,816 archived.
      'district:active': 1_096, 'district:archived': 328, 'school:active': 10_623, 'school:archived': 5_816,
    });
    const state = (await queryRows<{ id: number; parent_id: number; name: string; state_id: number }>(ctx.db, sql`select id, parent_id, name, state_id from organizations where kind = 'state' and code = 'CA'`))[0];
    expect(state).toMatchObject({ parent_id: w.network.id, name: 'California', state_id: state.id });
    // Line 3 of the file: FAME Public Charter, Closed, under Alameda County Office of Education.
    const district = await orgByCode('0110017');
    const school = await orgByCode('01100170109835');
    expect(district).toMatchObject({ kind: 'district', name: 'Alameda County Office of Education', status: 'active', parent_id: state.id });
    expect(school).toMatchObject({ kind: 'school', name: 'FAME Public Charter', status: 'archived', grade_span: 'K-12', parent_id: district.id, path: `${district.path}${school.id}/`, state_id: state.id });
    const audit = await auditRowsOf(ctx.db, 'org.imported');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'netadmin@example.test', org_id: w.network.id, details: { fileName: 'ca_pubschls.csv', preset: 'cde', created: 11_720, archived: 6_144, updated: 0, unchanged: 0, skipped: 0 } });
  });

  it('re-importing the same file changes nothing and says so', async () => {
    const before = await footprint();
    const [{ latest }] = await queryRows<{ latest: string }>(ctx.db, sql`select max(updated_at)::text as latest from organizations`);
    const summary = await importDirectory(ctx.db, networkActor, { input: CDE, underCode: w.network.code, dryRun: false });
    expect(summary).toEqual({ preset: 'cde', dryRun: false, created: 0, updated: 0, unchanged: CDE_RECORDS, archived: 0, skipped: 0, errors: [] });
    expect((await footprint()).organizations).toBe(before.organizations);
    const [{ latest: after }] = await queryRows<{ latest: string }>(ctx.db, sql`select max(updated_at)::text as latest from organizations`);
    expect(after).toBe(latest);
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const before = await footprint();
    const summary = await importDirectory(ctx.db, networkActor, { input: MA, underCode: w.network.code, dryRun: true });
    expect(summary).toEqual({ preset: 'ma-dese', dryRun: true, created: 2_272, updated: 0, unchanged: 0, archived: 0, skipped: 0, errors: [] });
    expect(await footprint()).toEqual(before);
    expect(await stateCounts('MA')).toEqual({});
  });

  it('refuses a file that is not a directory, writing nothing', async () => {
    const before = await footprint();
    const err = await serviceError(importDirectory(ctx.db, networkActor, { input: NOT_A_DIRECTORY, underCode: w.network.code, dryRun: false }));
    expect([err.statusCode, err.code, err.field]).toEqual([400, 'not_a_directory', 'file']);
    expect(err.message).toMatch(/does not look like a school directory/);
    expect(await footprint()).toEqual(before);
  });

  it('refuses to import under a school (400) and refuses non-admins (403) and outsiders (404)', async () => {
    const under = await serviceError(importDirectory(ctx.db, networkActor, { input: MA, underCode: w.schoolA1.code, dryRun: false }));
    expect([under.statusCode, under.code, under.field]).toEqual([400, 'validation_failed', 'under']);
    const coordinator = await makeUser(ctx.db, { role: 'coordinator', org: w.network });
    const denied = await serviceError(importDirectory(ctx.db, await actorOf(ctx.db, coordinator.id), { input: MA, underCode: w.network.code, dryRun: false }));
    expect([denied.statusCode, denied.code]).toEqual([403, 'forbidden']);
    const outsider = await serviceError(importDirectory(ctx.db, await actorOf(ctx.db, w.people.otherAdmin.id), { input: MA, underCode: w.stateA.code, dryRun: false }));
    expect([outsider.statusCode, outsider.code]).toEqual([404, 'not_found']);
    expect(await stateCounts('MA')).toEqual({});
  });
});

describe('through POST /api/imports and GET /api/imports/:id', () => {
  let hifldJobId: string;

  it('needs a session and the CSRF token', async () => {
    expectError(await upload(new Agent(ctx.app), `underId=${w.network.id}`, 'a,b\n'), 401, 'unauthenticated');
    expectError(await admin.withoutCsrf('POST', `/api/imports?underId=${w.network.id}`, Buffer.from('a,b\n'), { 'content-type': 'text/csv' }), 403, 'csrf_failed');
    expectError(await new Agent(ctx.app).get('/api/imports/6f1c1c1e-0000-4000-8000-000000000000'), 401, 'unauthenticated');
  });

  it('a dry run of the Florida HIFLD file reports the counts and writes no organisation', async () => {
    const before = await footprint();
    const res = await upload(admin, `underId=${w.network.id}&dryRun=true&fileName=fl.csv`, readFileSync(HIFLD));
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(admin, res.json().id);
    expect(job).toMatchObject({ status: 'done', orgId: w.network.id, fileName: 'fl.csv', preset: 'hifld', dryRun: true, error: null });
    expect(job.summary).toEqual({ preset: 'hifld', dryRun: true, created: 4_352, updated: 0, unchanged: 0, archived: 62, skipped: 0, errors: [] });
    expect(await footprint()).toEqual(before);
    expect(await stateCounts('FL')).toEqual({});
  });

  it('imports the Florida HIFLD file with exact counts, and the job reports progress and the summary', async () => {
    const res = await upload(admin, `underId=${w.network.id}&fileName=hifld_public_schools_FL.csv`, readFileSync(HIFLD));
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().id).toMatch(/^[0-9a-f-]{36}$/);
    hifldJobId = res.json().id;
    const job = await waitForJob(admin, hifldJobId);
    expect(job).toMatchObject({ status: 'done', orgId: w.network.id, preset: 'hifld', dryRun: false, done: 4_414, total: 4_414, error: null });
    expect(job.summary).toEqual({ preset: 'hifld', dryRun: false, created: 4_352, updated: 0, unchanged: 0, archived: 62, skipped: 0, errors: [] });
    expect(await stateCounts('FL')).toEqual({ 'district:active': 76, 'school:active': 4_275, 'school:archived': 62 });
    expect(await orgByCode('1201440')).toMatchObject({ kind: 'district', name: 'Orange County School District' });
    expect(await orgByCode('120000207976')).toMatchObject({ name: 'FLORIDA VIRTUAL ELEMENTARY SCHOOL', enrolment: 2600, grade_span: 'K-5', status: 'active' });
    const audit = (await auditRowsOf(ctx.db, 'org.imported')).at(-1)!;
    expect(audit.details).toMatchObject({ fileName: 'hifld_public_schools_FL.csv', preset: 'hifld', created: 4_352, archived: 62 });
  });

  it('re-importing the same file through the API is all unchanged', async () => {
    const before = await countRows(ctx.db, 'organizations');
    const res = await upload(admin, `underId=${w.network.id}`, readFileSync(HIFLD));
    const job = await waitForJob(admin, res.json().id);
    expect(job.summary).toEqual({ preset: 'hifld', dryRun: false, created: 0, updated: 0, unchanged: 4_414, archived: 0, skipped: 0, errors: [] });
    expect(await countRows(ctx.db, 'organizations')).toBe(before);
  });

  it('imports the Massachusetts file, then a changed copy updates only the changed rows', async () => {
    const first = await waitForJob(admin, (await upload(admin, `underId=${w.network.id}`, readFileSync(MA))).json().id);
    expect(first.summary).toEqual({ preset: 'ma-dese', dryRun: false, created: 2_272, updated: 0, unchanged: 0, archived: 0, skipped: 0, errors: [] });
    expect(await stateCounts('MA')).toEqual({ 'district:active': 410, 'school:active': 1_861 });

    // A copy with three rows changed, one school added and one broken row (CRLF, as the original).
    const rows: string[][] = parse(readFileSync(MA), { relax_column_count: true });
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    expect(rows[1][col('School Name')]).toBe('Abington High'); // line 2
    expect(rows[2][col('School Name')]).toBe('Beaver Brook Elementary School'); // line 3
    expect(rows[3][col('TOTAL_Enrollment')]).toBe('203'); // line 4, Center Elementary School
    rows[1][col('School Name')] = 'Abington Senior High';
    rows[2][col('District Code')] = '30000';
    rows[2][col('District Name')] = 'Acushnet';
    rows[3][col('TOTAL_Enrollment')] = '250';
    const added = header.map(() => '');
    Object.assign(added, { [col('School Code')]: '10999', [col('School Name')]: 'Abington Early Learning Center', [col('District Code')]: '10000', [col('District Name')]: 'Abington', [col('Grade')]: 'PK', [col('TOTAL_Enrollment')]: '40', [col('State')]: 'MA' });
    const broken = [...added];
    broken[col('School Code')] = 'ABC';
    broken[col('School Name')] = 'Broken Row School';
    rows.push(added, broken); // lines 1863 and 1864
    const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const changed = path.join(tmp, 'ma_changed.csv');
    writeFileSync(changed, `${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`);

    const [{ t0 }] = await queryRows<{ t0: string }>(ctx.db, sql`select clock_timestamp()::text as t0`);
    const summary = await importDirectory(ctx.db, networkActor, { input: changed, underCode: w.network.code, dryRun: false });
    // 1 state + 410 districts + 1,862 schools = 2,273 records: 1 created, 3 updated, the rest unchanged.
    expect(summary).toEqual({
      preset: 'ma-dese', dryRun: false, created: 1, updated: 3, unchanged: 2_269, archived: 0, skipped: 1,
      errors: [{ line: 1864, message: 'School Code "ABC" is not a 8-digit code' }],
    });
    // Only the three changed rows were written to (the new one was created).
    const touched = await queryRows<{ code: string }>(ctx.db, sql`select code from organizations where updated_at > ${t0}::timestamptz and created_at <= ${t0}::timestamptz order by code`);
    expect(touched.map((r) => r.code)).toEqual(['00010002', '00010003', '00010505']);
    expect(await orgByCode('00010505')).toMatchObject({ name: 'Abington Senior High' });
    expect(await orgByCode('00010002')).toMatchObject({ name: 'Center Elementary School', enrolment: 250 });
    const abington = await orgByCode('00010000');
    const acushnet = await orgByCode('00030000');
    const moved = await orgByCode('00010003');
    expect(moved).toMatchObject({ parent_id: acushnet.id, path: `${acushnet.path}${moved.id}/` });
    expect(await orgByCode('00010999')).toMatchObject({ name: 'Abington Early Learning Center', parent_id: abington.id, grade_span: 'PK', enrolment: 40 });
    expect(await stateCounts('MA')).toEqual({ 'district:active': 410, 'school:active': 1_862 });

    // Importing the changed copy again: everything unchanged, the broken row reported again.
    const again = await importDirectory(ctx.db, networkActor, { input: changed, underCode: w.network.code, dryRun: false });
    expect(again).toEqual({ ...summary, created: 0, updated: 0, unchanged: 2_273 });
  });

  it('refuses a file covering several states, or another state, under one state (400 naming underId), writing nothing', async () => {
    const before = { ...(await footprint()), jobs: await countRows(ctx.db, 'import_jobs') };
    const csv = 'NCESSCH,SCH_NAME,LEAID,LEA_NAME,ST,SY_STATUS\n060001109818,Alpha Elementary,0600011,Alpha Unified,CA,1\n480001200001,Delta Academy,4800012,Delta ISD,TX,1\n';
    const several = await upload(admin, `underId=${w.stateA.id}`, csv);
    expectError(several, 400, 'validation_failed', 'underId');
    expect(several.json().error.message).toMatch(/several states \(CA, TX\)/);
    // State A is neither Texas by code nor by name.
    const texasOnly = 'NCESSCH,SCH_NAME,LEAID,LEA_NAME,ST,SY_STATUS\n480001200001,Delta Academy,4800012,Delta ISD,TX,1\n';
    const other = await upload(admin, `underId=${w.stateA.id}`, texasOnly);
    expectError(other, 400, 'validation_failed', 'underId');
    expect(other.json().error.message).toMatch(/Texas \(TX\)/);
    expect({ ...(await footprint()), jobs: await countRows(ctx.db, 'import_jobs') }).toEqual(before);
  });

  it('refuses a file that is not a directory with 400 not_a_directory, writing nothing', async () => {
    const before = { ...(await footprint()), jobs: await countRows(ctx.db, 'import_jobs') };
    const res = await upload(admin, `underId=${w.network.id}`, readFileSync(NOT_A_DIRECTORY));
    expectError(res, 400, 'not_a_directory', 'file');
    expect(res.json().error.message).toMatch(/expected columns/);
    // A named preset whose columns are missing is refused the same way.
    expectError(await upload(admin, `underId=${w.network.id}&preset=cde`, readFileSync(MA)), 400, 'not_a_directory', 'file');
    // So is binary data.
    expectError(await upload(admin, `underId=${w.network.id}`, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])), 400, 'not_a_directory', 'file');
    expect({ ...(await footprint()), jobs: await countRows(ctx.db, 'import_jobs') }).toEqual(before);
  });

  it('refuses to import under a school or district (400 naming underId)', async () => {
    const csv = 'NCESSCH,SCH_NAME,LEAID,LEA_NAME,ST,SY_STATUS\n060001109818,Alpha Elementary,0600011,Alpha Unified,CA,1\n';
    expectError(await upload(admin, `underId=${w.schoolA1.id}`, csv), 400, 'validation_failed', 'underId');
    expectError(await upload(admin, `underId=${w.districtA.id}`, csv), 400, 'validation_failed', 'underId');
    expect(await orgByCode('060001109818')).toBeUndefined();
  });

  it('imports under the organisation named by underId, even when another shares its code', async () => {
    // Codes are unique per state only: a school in State A may carry State B's code.
    const twin = await makeOrg(ctx.db, w.districtA, 'school', { code: w.stateB.code, name: 'Code Twin School' });
    const before = { ...(await footprint()), jobs: await countRows(ctx.db, 'import_jobs') };
    const csv = 'NCESSCH,SCH_NAME,LEAID,LEA_NAME,ST,SY_STATUS\n060001109818,Alpha Elementary,0600011,Alpha Unified,CA,1\n';
    expectError(await upload(admin, `underId=${twin.id}`, csv), 400, 'validation_failed', 'underId');
    expect({ ...(await footprint()), jobs: await countRows(ctx.db, 'import_jobs') }).toEqual(before);
    expect(await orgByCode('060001109818')).toBeUndefined();
  });

  it('answers 403 to a non-admin and 404 to someone outside the organisation', async () => {
    const csv = 'NCESSCH,SCH_NAME,LEAID,LEA_NAME,ST,SY_STATUS\n060001109818,Alpha Elementary,0600011,Alpha Unified,CA,1\n';
    const coordinator = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'coordinator', org: w.stateA })).email);
    expectError(await upload(coordinator, `underId=${w.stateA.id}`, csv), 403, 'forbidden');
    const districtAdmin = await signIn(ctx.app, w.people.districtAdmin.email);
    expectError(await upload(districtAdmin, `underId=${w.stateA.id}`, csv), 404, 'not_found');
    const otherAdmin = await signIn(ctx.app, w.people.otherAdmin.email);
    expectError(await upload(otherAdmin, `underId=${w.network.id}`, csv), 404, 'not_found');
    expectError(await upload(otherAdmin, 'underId=987654', csv), 404, 'not_found');
    expect(await orgByCode('060001109818')).toBeUndefined();
  });

  it('refuses bad query values naming the field', async () => {
    const csv = 'a,b\n';
    expectError(await upload(admin, '', csv), 400, 'validation_failed', 'underId');
    expectError(await upload(admin, 'underId=abc', csv), 400, 'validation_failed', 'underId');
    expectError(await upload(admin, `underId=${w.network.id}&dryRun=maybe`, csv), 400, 'validation_failed', 'dryRun');
    expectError(await upload(admin, `underId=${w.network.id}&preset=xlsx`, csv), 400, 'validation_failed', 'preset');
  });

  it('shows a job only to admins of its organisation', async () => {
    expectError(await admin.get('/api/imports/not-a-uuid'), 400, 'validation_failed', 'id');
    expectError(await admin.get('/api/imports/6f1c1c1e-0000-4000-8000-000000000000'), 404, 'not_found');
    const outsider = await signIn(ctx.app, w.people.districtAdmin.email);
    expectError(await outsider.get(`/api/imports/${hifldJobId}`), 404, 'not_found');
    const coordinator = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'coordinator', org: w.network })).email);
    expectError(await coordinator.get(`/api/imports/${hifldJobId}`), 403, 'forbidden');
    expect((await admin.get(`/api/imports/${hifldJobId}`)).json().status).toBe('done');
  });
});
