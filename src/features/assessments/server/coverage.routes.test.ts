import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeWorld } from '../../../server/test/factories.js';
import { Agent, expectError, signIn, startTestApp, type TestContext } from '../../../server/test/harness.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
let coordinator: Agent;
const year = '2026-2027';

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  coordinator = await signIn(ctx.app, w.people.districtCoordinator.email);
});
afterAll(() => ctx.close());

async function assess(orgId: number, schoolYear: string, teaming: number | null, submit: boolean, instrumentId = 'quality_school') {
  const coordinator = await signIn(ctx.app, w.people.networkAdmin.email);
  const a = (await coordinator.post('/api/assessments', { orgId, instrumentId, schoolYear, term: 'full_year' })).json();
  if (teaming !== null) for (let i = 1; i <= 8; i++) await coordinator.request('PUT', `/api/assessments/${a.id}/answers/teaming_${i}`, { value: teaming });
  if (submit) {
    const r = await coordinator.post(`/api/assessments/${a.id}/submit`);
    expect(r.statusCode, r.body).toBe(200);
  }
}

let s3: number;
let s4: number;

describe('coverage and quality across schools', () => {
  beforeAll(async () => {
    s3 = (await makeOrg(ctx.db, w.districtA, 'school', { name: 'School A3' })).id;
    s4 = (await makeOrg(ctx.db, w.districtA, 'school', { name: 'School A4' })).id;
    // District A: A1 submitted this year (teaming 6 → mastery), A2 under way this year,
    // A3 submitted last year only (teaming 2 → emerging), A4 never. District B: B1 submitted (5).
    await assess(w.schoolA1.id, year, 6, true);
    await assess(w.schoolA2.id, year, 4, false);
    await assess(s3, '2025-2026', 2, true);
    await assess(w.schoolB1.id, year, 5, true);
  });

  it('counts schools by how far they are, in scope only', async () => {
    const res = await coordinator.get(`/api/orgs/${w.districtA.id}/coverage?schoolYear=${year}&instruments=quality_school`);
    expect(res.json()).toEqual({
      schoolYear: year,
      previousYear: '2025-2026',
      schools: 4,
      instruments: [{ instrumentId: 'quality_school', counts: { this_year: 1, in_progress: 1, last_year: 1, never: 1 } }],
    });
    const admin = await signIn(ctx.app, w.people.networkAdmin.email);
    const all = (await admin.get(`/api/orgs/${w.network.id}/coverage?schoolYear=${year}&instruments=quality_school`)).json();
    // Network: 5 schools, B1 submitted too.
    expect(all.instruments[0].counts).toEqual({ this_year: 2, in_progress: 1, last_year: 1, never: 1 });
    expectError(await new Agent(ctx.app).get(`/api/orgs/${w.districtA.id}/coverage?schoolYear=${year}`), 401, 'unauthenticated');
    expectError(await coordinator.get(`/api/orgs/${w.districtB.id}/coverage?schoolYear=${year}`), 404, 'not_found');
    expectError(await coordinator.get(`/api/orgs/${w.districtA.id}/coverage?schoolYear=2026`), 400, 'validation_failed', 'schoolYear');
  });

  it('lists schools with their level, filtered, sorted and paged', async () => {
    const base = `/api/orgs/${w.districtA.id}/coverage/schools?schoolYear=${year}&instruments=quality_school,school_mh_profile`;
    const page = (await coordinator.get(base)).json();
    expect(page.total).toBe(4);
    expect(page.items.map((i: { name: string; levels: string[] }) => [i.name, i.levels])).toEqual([
      ['School A1', ['this_year', 'never']],
      ['School A2', ['in_progress', 'never']],
      ['School A3', ['last_year', 'never']],
      ['School A4', ['never', 'never']],
    ]);
    expect((await coordinator.get(`${base}&level=never`)).json().items.map((i: { id: number }) => i.id)).toEqual([s4]);
    expect((await coordinator.get(`${base}&sort=level&limit=1`)).json()).toMatchObject({ total: 4, items: [{ name: 'School A1' }] });
    expect((await coordinator.get(`${base}&q=a3`)).json().items.map((i: { id: number }) => i.id)).toEqual([s3]);
  });

  it('heat map, bands and trend from the stored scores', async () => {
    const admin = await signIn(ctx.app, w.people.networkAdmin.email);
    const heat = (await admin.get(`/api/orgs/${w.network.id}/quality/heatmap?schoolYear=${year}`)).json();
    const teamingAt = heat.scales.indexOf('teaming');
    // State A: A1 (6) only submitted this year; State B: B1 (5).
    const byName = Object.fromEntries(heat.rows.map((r: { name: string; means: (number | null)[]; schools: number }) => [r.name, r]));
    expect(byName['State A']).toMatchObject({ schools: 1 });
    expect(byName['State A'].means[teamingAt]).toBe(6);
    expect(byName['State B'].means[teamingAt]).toBe(5);
    const bands = (await admin.get(`/api/orgs/${w.network.id}/quality/bands?schoolYear=${year}`)).json();
    expect(bands.scales.find((s: { scaleId: string }) => s.scaleId === 'teaming')).toEqual({ scaleId: 'teaming', counts: { mastery: 2 }, scored: 2 });
    const trend = (await admin.get(`/api/orgs/${w.network.id}/quality/trend`)).json();
    expect(trend.periods).toEqual([{ schoolYear: '2025-2026', term: 'full_year' }, { schoolYear: year, term: 'full_year' }]);
    // Teaming at mastery: last year 0 of 1 (A3 at 2), this year 2 of 2.
    expect(trend.scales.find((s: { scaleId: string }) => s.scaleId === 'teaming').shares).toEqual([{ share: 0, schools: 1 }, { share: 100, schools: 2 }]);
  });
});

describe('exports', () => {
  it('downloads the coverage table and every submitted score as CSV and XLSX, audited, in scope only', async () => {
    const csv = await coordinator.get(`/api/orgs/${w.districtA.id}/coverage/export?schoolYear=${year}&instruments=quality_school&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(`code,school,district,quality_school ${year}`);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['School A1', 'School A2', 'School A3', 'School A4']);
    expect(lines[1].split(',')[3]).toBe('this_year');
    const xlsx = await coordinator.get(`/api/orgs/${w.districtA.id}/coverage/export?schoolYear=${year}&instruments=quality_school&format=xlsx`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const { default: readXlsx } = await import('read-excel-file/node');
    const [{ data: sheet }] = (await readXlsx(xlsx.rawPayload)) as unknown as { data: unknown[][] }[];
    expect(sheet[0]).toEqual(['code', 'school', 'district', `quality_school ${year}`]);
    expect(sheet).toHaveLength(5);

    const scores = await coordinator.get(`/api/orgs/${w.districtA.id}/quality/scores/export?format=csv`);
    const rows = scores.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    // A1 this year (teaming 6, mastery) and A3 last year (teaming 2, emerging); A2 is not submitted.
    expect(rows).toHaveLength(3);
    const header = rows[0].split(',');
    const at = (row: string, col: string) => row.split(',')[header.indexOf(col)];
    const a1 = rows.find((r) => r.includes('School A1'))!;
    expect([at(a1, 'teaming score'), at(a1, 'teaming band')]).toEqual(['6', 'mastery']);
    const a3 = rows.find((r) => r.includes('School A3'))!;
    expect([at(a3, 'school_year'), at(a3, 'teaming score'), at(a3, 'teaming band')]).toEqual(['2025-2026', '2', 'emerging']);
    expectError(await coordinator.get(`/api/orgs/${w.districtB.id}/quality/scores/export`), 404, 'not_found');
    expectError(await coordinator.get(`/api/orgs/${w.districtA.id}/quality/scores/export?format=pdf`), 400, 'validation_failed', 'format');
    const { auditRowsOf } = await import('../../../server/test/factories.js');
    expect((await auditRowsOf(ctx.db, 'export.coverage')).length).toBe(2);
    expect((await auditRowsOf(ctx.db, 'export.scores')).length).toBe(1);
  });
});

describe('roll-ups', () => {
  it('give the same figures as the schools\' own scores, and follow a reopening', async () => {
    const { heatmap, heatmapFromRollup, bandCounts, bandCountsFromRollup } = await import('./coverage.queries.js');
    const net = { id: w.network.id, path: w.network.path, depth: 0 };
    const sortRows = <T extends { child_id?: number; scale_id: string }>(rows: T[]) => [...rows].sort((a, b) => `${a.child_id}-${a.scale_id}`.localeCompare(`${b.child_id}-${b.scale_id}`));
    const direct = sortRows(await heatmap(ctx.db, net, 'quality_school', year));
    const rolled = sortRows(await heatmapFromRollup(ctx.db, net, 'quality_school', year));
    expect(rolled.map((r) => [r.child_id, r.scale_id, r.schools])).toEqual(direct.filter((r) => r.mean !== null).map((r) => [r.child_id, r.scale_id, r.schools]));
    for (const [i, r] of rolled.entries()) expect(r.mean).toBeCloseTo(direct.filter((x) => x.mean !== null)[i].mean!, 9);
    const b1 = (await bandCounts(ctx.db, w.network.path, 'quality_school', year)).filter((r) => r.band !== null);
    const b2 = await bandCountsFromRollup(ctx.db, w.network.path, 'quality_school', year);
    expect(sortRows(b2).map((r) => [r.scale_id, r.band, r.n])).toEqual(sortRows(b1).map((r) => [r.scale_id, r.band, r.n]));
    // Reopening School A1's assessment takes it out of the district's roll-up at once.
    const admin = await signIn(ctx.app, w.people.networkAdmin.email);
    const a1 = (await admin.get(`/api/assessments?orgId=${w.schoolA1.id}&status=submitted`)).json().items[0];
    expect((await admin.post(`/api/assessments/${a1.id}/reopen`)).statusCode).toBe(200);
    const heat = (await admin.get(`/api/orgs/${w.network.id}/quality/heatmap?schoolYear=${year}`)).json();
    const stateA = heat.rows.find((r: { name: string }) => r.name === 'State A');
    expect(stateA.means.every((m: number | null) => m === null)).toBe(true);
  });

  it('follow moves: a school to another district, a district to another state', async () => {
    const admin = await signIn(ctx.app, w.people.networkAdmin.email);
    const teamingOf = async (name: string) => {
      const heat = (await admin.get(`/api/orgs/${w.network.id}/quality/heatmap?schoolYear=${year}`)).json();
      const row = heat.rows.find((r: { name: string }) => r.name === name);
      return { mean: row.means[heat.scales.indexOf('teaming')], schools: row.schools };
    };
    // B1 (teaming 5, submitted) is State B's only score; A1 was reopened above.
    expect(await teamingOf('State B')).toEqual({ mean: 5, schools: 1 });
    expect((await admin.post(`/api/orgs/${w.schoolB1.id}/move`, { parentId: w.districtA.id })).statusCode).toBe(200);
    expect(await teamingOf('State A')).toEqual({ mean: 5, schools: 1 });
    expect(await teamingOf('State B')).toEqual({ mean: null, schools: 0 });
    expect((await admin.post(`/api/orgs/${w.districtA.id}/move`, { parentId: w.stateB.id })).statusCode).toBe(200);
    expect(await teamingOf('State B')).toEqual({ mean: 5, schools: 1 });
    expect(await teamingOf('State A')).toEqual({ mean: null, schools: 0 });
  });

  it('count coverage from the groups, in step with starts, closures and restores', async () => {
    const { coverageCountsDirect } = await import('./coverage.queries.js');
    const admin = await signIn(ctx.app, w.people.networkAdmin.email);
    const countsAt = async (orgId: number, schoolYear = year) => (await admin.get(`/api/orgs/${orgId}/coverage?schoolYear=${schoolYear}&instruments=quality_school`)).json().instruments[0].counts;
    const direct = async (schoolYear = year) => {
      const [r] = await coverageCountsDirect(ctx.db, w.network.path, schoolYear, ['quality_school']);
      return { this_year: r?.submitted ?? 0, in_progress: r?.started ?? 0, last_year: r?.last_year ?? 0 };
    };
    // A1 reopened and A2 under way; A3 last year only; B1 (now in district A) submitted; A4 never.
    expect(await countsAt(w.network.id)).toEqual({ this_year: 1, in_progress: 2, last_year: 1, never: 1 });
    expect(await countsAt(w.network.id)).toMatchObject(await direct());
    // Next year, this year's submission is "last year".
    expect(await countsAt(w.network.id, '2027-2028')).toEqual({ this_year: 0, in_progress: 0, last_year: 1, never: 4 });
    // Starting counts at once; closing a school takes it out, reopening brings it back.
    await admin.post('/api/assessments', { orgId: s4, instrumentId: 'quality_school', schoolYear: year, term: 'fall' });
    expect(await countsAt(w.districtA.id)).toEqual({ this_year: 1, in_progress: 3, last_year: 1, never: 0 });
    expect((await admin.post(`/api/orgs/${s3}/archive`)).statusCode).toBe(200);
    expect(await countsAt(w.districtA.id)).toEqual({ this_year: 1, in_progress: 3, last_year: 0, never: 0 });
    expect(await countsAt(w.network.id)).toMatchObject(await direct());
    expect((await admin.post(`/api/orgs/${s3}/restore`)).statusCode).toBe(200);
    expect(await countsAt(w.districtA.id)).toEqual({ this_year: 1, in_progress: 3, last_year: 1, never: 0 });
    // Archiving the whole district empties the state's figures.
    expect((await admin.post(`/api/orgs/${w.districtA.id}/archive`)).statusCode).toBe(200);
    expect(await countsAt(w.stateB.id)).toEqual({ this_year: 0, in_progress: 0, last_year: 0, never: 0 });
    expect(await countsAt(w.network.id)).toMatchObject(await direct());
    expect((await admin.post(`/api/orgs/${w.districtA.id}/restore`)).statusCode).toBe(200);
    expect(await countsAt(w.network.id)).toEqual({ this_year: 1, in_progress: 3, last_year: 1, never: 0 });
  });
});
