import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, expectError, signIn, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { makeOrg, makeUser, type TestOrg } from '../../../server/test/factories.js';
import { rollUpResponses } from '../../surveys/server/surveys.rollup.js';
import type { SurveyReport } from '../reports.contract.js';
import { closedAdministration, makeReportWorld, storeResponses } from './reports.fixtures.js';

let ctx: TestContext;
let w: { network: TestOrg; state: TestOrg; d1: TestOrg; d2: TestOrg; s1: TestOrg; s2: TestOrg; s3: TestOrg; s4: TestOrg };
let admin: number;
let people: Record<'state' | 's1viewer' | 's2member', Agent>;

const repeat = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

beforeAll(async () => {
  ctx = await startTestApp();
  const db = ctx.db;
  const world = await makeReportWorld(db, { earlier: true });
  w = world;
  admin = world.admin;
  people = await signInAll(ctx.app, world.people);
});
afterAll(() => ctx.close());

async function report(agent: Agent, query: string): Promise<SurveyReport> {
  const res = await agent.get(`/api/surveys/${admin}/report?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const scale = (r: SurveyReport, id: string) => r.scales.find((s) => s.id === id)!;
const item = (r: SurveyReport, id: string) => r.items.find((s) => s.id === id)!;

describe('survey report figures', () => {
  it('gives a school its scales and items, computed by hand', async () => {
    const r = await report(people.s2member, `org=${w.s2.id}`);
    expect(r.respondents).toEqual({ n: 40, withheld: null });
    // q1: ten each of 1, 2, 4, 5 → mean 3, favourable (4 or 5) 50 %, a quarter on each.
    const q1 = item(r, 'q1').overall;
    expect(q1.n).toBe(40);
    expect(q1.mean).toBe(3);
    expect(q1.favourable).toEqual({ value: 50, coded: null });
    expect(q1.distribution.map((d) => d.value)).toEqual([25, 25, 0, 25, 25]);
    // Belonging = mean of q1, q2, q3 with q3 reversed (2 → 4): (8/3, 3, 11/3, 4) → mean 10/3; bands low/mid/high.
    const belonging = scale(r, 'belonging').overall;
    expect(belonging.n).toBe(40);
    expect(belonging.mean).toBeCloseTo(10 / 3, 12);
    expect(belonging.bands).toEqual([
      { id: 'low', percent: { value: 0, coded: null } },
      { id: 'mid', percent: { value: 75, coded: null } },
      { id: 'high', percent: { value: 25, coded: null } },
    ]);
    // Favourable answers: q1 (20 of 40), q2 none, q3 reversed all 40 → 60 of 120.
    expect(belonging.favourable).toEqual({ value: 50, coded: null });
    // Total = q1 + q2 + q4, every item needed: the ten without q4 have no score; (10 + 12 + 13) / 3.
    const total = scale(r, 'total').overall;
    expect(total.n).toBe(30);
    expect(total.mean).toBeCloseTo(35 / 3, 12);
    // Favourable share of q2, q4, r1 (reversed, 0 → 10 favourable): 1 of 2 for ten, 2 of 3 for thirty.
    const fav = scale(r, 'favourable').overall;
    expect(fav.n).toBe(40);
    expect(fav.mean).toBeCloseTo((10 * 50 + 30 * (200 / 3)) / 40, 12);
    expect(fav.favourable.value).toBeCloseTo((70 / 110) * 100, 12);
    // Beside its district: S1 and S2 together (52).
    expect(r.parent?.id).toBe(w.d1.id);
    expect(item(r, 'q1').parent?.n).toBe(52);
    expect(item(r, 'q1').parent?.mean).toBeCloseTo((10 + 20 + 40 + 50 + 8 * 4 + 4 * 2) / 52, 12);
  });

  it('shows the trend over earlier administrations of the same survey', async () => {
    const r = await report(people.s2member, `org=${w.s2.id}`);
    const trend = scale(r, 'belonging').trend;
    expect(trend.map((t) => t.title)).toEqual(['Spring', 'Fall']);
    // Spring: everyone (5 + 3 + 4) / 3 = 4.
    expect(trend[0].figure.mean).toBeCloseTo(4, 12);
    expect(trend[0].figure.favourable.value).toBeCloseTo(200 / 3, 12);
    // A late count in the earlier survey reaches the (cached) report of this one.
    const spring = trend[0].administrationId;
    await storeResponses(ctx.db, spring, w.s2.id, [{ q1: 1, q2: 3, q3: 2, grade: 'g6' }]);
    while ((await rollUpResponses(ctx.db)) > 0);
    const again = await report(people.s2member, `org=${w.s2.id}`);
    expect(scale(again, 'belonging').trend[0].figure.n).toBe(41);
  });

  it('withholds small groups and the next smallest, and says why', async () => {
    const r = await report(people.s1viewer, `org=${w.s1.id}&by=grade`);
    expect(r.columns).toEqual([
      { key: 'g6', label: 'g6', n: null, withheld: 'small' },
      { key: 'g7', label: 'g7', n: null, withheld: 'small' },
    ]);
    expect(item(r, 'q1').columns.every((c) => c.mean === null && c.n === null)).toBe(true);
    expect(item(r, 'q1').overall.favourable.value).toBeCloseTo(200 / 3, 12);
    // Percentages of a group under 40 are coded at the extremes: none of D2's 35 agree on q1.
    const d2 = await report(people.state, `org=${w.d2.id}`);
    expect(item(d2, 'q1').overall.favourable).toEqual({ value: 5, coded: 'at_most' });
    // Its mean (2.71) would tell how few agree: withheld beside the coded share.
    expect(item(d2, 'q1').overall.mean).toBeNull();
    expect(item(d2, 'q1').overall.distribution.map((d) => d.coded)).toEqual([null, 'at_most', null, 'at_most', 'at_most']);
  });

  it('gives every view of an organisation the same answer, so no subtraction recovers a small school', async () => {
    const byDistrict = await report(people.state, `org=${w.d2.id}&by=school`);
    expect(byDistrict.respondents.n).toBe(35);
    expect(byDistrict.columns.map((c) => [c.label, c.n, c.withheld])).toEqual([
      ['S3', null, 'small'],
      ['S4', null, 'complementary'],
    ]);
    // Asking for S4 on its own gives nothing either: 35 − 30 would have been S3's 5.
    const s4 = await report(people.state, `org=${w.s4.id}`);
    expect(s4.respondents).toEqual({ n: null, withheld: 'complementary' });
    expect(item(s4, 'q1').overall.mean).toBeNull();
    expect(scale(s4, 'belonging').overall.mean).toBeNull();
  });

  it('filters to one group, with the schools side by side under the same plan', async () => {
    const r = await report(people.state, `org=${w.d1.id}&by=school&filter=grade:g7`);
    expect(r.filter).toEqual({ dim: 'grade', group: 'g7', label: 'g7' });
    expect(r.respondents).toEqual({ n: 24, withheld: null });
    // S1's 4 grade-7 students are withheld, and with them S2's 20 (24 − 20 = 4).
    expect(r.columns.map((c) => [c.label, c.n, c.withheld])).toEqual([
      ['S1', null, 'small'],
      ['S2', null, 'complementary'],
    ]);
  });

  it('raises k where a network sets it, and lets those below raise it but never lower it', async () => {
    const netAdmin = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'admin', org: w.network })).email);
    const d1Admin = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'admin', org: w.d1 })).email);
    expectError(await netAdmin.request('PATCH', `/api/orgs/${w.network.id}`, { minCellSize: 4 }), 400, 'validation_failed', 'minCellSize');
    expect((await netAdmin.request('PATCH', `/api/orgs/${w.network.id}`, { minCellSize: 12 })).statusCode).toBe(200);
    const r = await report(people.state, `org=${w.d1.id}&by=school`);
    expect(r.k).toBe(12);
    // S1 has exactly 12: still shown.
    expect(r.columns.map((c) => c.n)).toEqual([12, 40]);
    // The district may not go below its network's 12, but may raise it to 13: S1 is then too small.
    const lower = await d1Admin.request('PATCH', `/api/orgs/${w.d1.id}`, { minCellSize: 11 });
    expectError(lower, 400, 'validation_failed', 'minCellSize');
    expect(lower.json().error.message).toContain('12');
    const raised = await d1Admin.request('PATCH', `/api/orgs/${w.d1.id}`, { minCellSize: 13 });
    expect(raised.json().privacy).toEqual({ minCellSize: 13, fromAbove: 12 });
    const r13 = await report(people.state, `org=${w.d1.id}&by=school`);
    expect(r13.k).toBe(13);
    expect(r13.columns.map((c) => c.withheld)).toEqual(['small', 'complementary']);
    // D2 keeps the network's 12.
    expect((await report(people.state, `org=${w.d2.id}`)).k).toBe(12);
    await d1Admin.request('PATCH', `/api/orgs/${w.d1.id}`, { minCellSize: null });
    await netAdmin.request('PATCH', `/api/orgs/${w.network.id}`, { minCellSize: null });
    expect((await report(people.state, `org=${w.d1.id}`)).k).toBe(10);
  });

  it('lists free-text answers only for groups of at least k, only to coordinators, alphabetically, audited', async () => {
    const coordinator = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'coordinator', org: w.state })).email);
    const s1 = (await coordinator.get(`/api/surveys/${admin}/comments?org=${w.s1.id}`)).json();
    expect(s1.withheld).toBeNull();
    expect(s1.questions).toEqual([{ id: 'comment', text: 'Anything else?', total: 2, answers: ['A quiet room', 'More clubs at lunch'] }]);
    // S3's five students: nothing listed, and S4 (withheld beside it) neither.
    const s3 = (await coordinator.get(`/api/surveys/${admin}/comments?org=${w.s3.id}`)).json();
    expect(s3.withheld).toBe('small');
    expect(s3.questions[0].answers).toEqual([]);
    expect((await coordinator.get(`/api/surveys/${admin}/comments?org=${w.s4.id}`)).json().withheld).toBe('complementary');
    // D2 as a whole (35) lists S3's comment: a group of at least k.
    expect((await coordinator.get(`/api/surveys/${admin}/comments?org=${w.d2.id}`)).json().questions[0].total).toBe(1);
    // Viewers and members do not read free text.
    expectError(await people.state.get(`/api/surveys/${admin}/comments?org=${w.s1.id}`), 403, 'forbidden');
    const audited = (await ctx.db.execute(sql`select count(*)::int as n from audit_log where action = 'survey.comments_read'`)) as unknown as { rows: { n: number }[] };
    expect(audited.rows[0].n).toBe(2);
  });

  it('combines two answers only where no crossed cell at or below the organisation is small', async () => {
    // A school's own survey: ten students in each of grade 6/7 × girl/boy; grade-7 girls all agree on q1.
    const own = await closedAdministration(ctx.db, w.s2, { title: 'School check-in', daysAgo: 10 });
    const cell = (grade: string, gender: string, q1: number) => repeat(10, { q1, q2: 4, grade, gender_identity: gender });
    await storeResponses(ctx.db, own.id, w.s2.id, [...cell('g6', 'girl', 1), ...cell('g6', 'boy', 1), ...cell('g7', 'girl', 5), ...cell('g7', 'boy', 1)]);
    while ((await rollUpResponses(ctx.db)) > 0);
    const get = (org: number, filter: string) => people.state.get(`/api/surveys/${own.id}/report?org=${org}&filter=${filter}`);
    const r: SurveyReport = (await get(w.s2.id, 'grade:g7,gender_identity:girl')).json();
    expect(r.filter?.group).toBe('g7');
    expect(r.alsoFilter).toEqual({ dim: 'gender_identity', group: 'girl', label: 'girl' });
    expect(r.respondents).toEqual({ n: 10, withheld: null });
    // All ten agree: the share reads "95 % or more", and no mean gives it away.
    expect(item(r, 'q1').overall).toMatchObject({ n: 10, mean: null, favourable: { value: 95, coded: 'at_least' } });
    expect(item(r, 'q2').overall).toMatchObject({ n: 10, mean: null });
    expect(scale(r, 'belonging').overall).toMatchObject({ n: 10, mean: null, favourable: { value: 95, coded: 'at_least' } });
    // Grade-7 boys (q1 = 1, q2 = 4): half favourable, means shown. Belonging from q1 and q2: (1 + 4) / 2.
    const boys: SurveyReport = (await get(w.s2.id, 'grade:g7,gender_identity:boy')).json();
    expect(scale(boys, 'belonging').overall).toMatchObject({ n: 10, mean: 2.5, favourable: { value: 50, coded: null } });
    expect(r.parent).toBeNull();
    // One grade-7 student answering "nb" makes a crossed cell of 1: nothing is shown, anywhere above either.
    await storeResponses(ctx.db, own.id, w.s2.id, [{ q1: 3, grade: 'g7', gender_identity: 'nb' }]);
    while ((await rollUpResponses(ctx.db)) > 0);
    for (const org of [w.s2.id, w.d1.id]) {
      const x: SurveyReport = (await get(org, 'grade:g7,gender_identity:girl')).json();
      expect(x.respondents).toEqual({ n: null, withheld: 'combination' });
      expect(item(x, 'q1').overall.mean).toBeNull();
    }
    expectError(await get(w.s2.id, 'grade:g7,grade:g6'), 400, 'validation_failed', 'filter');
    expectError(await get(w.s2.id, 'grade:g7,self_described_group:newcomer'), 400, 'validation_failed', 'filter');
    expectError(await people.state.get(`/api/surveys/${own.id}/report?org=${w.s2.id}&filter=grade:g7,gender_identity:girl&by=school`), 400, 'validation_failed', 'by');
  });

  it('refuses what it cannot answer, naming what to fix', async () => {
    expectError(await people.s1viewer.get(`/api/surveys/${admin}/report?org=${w.s2.id}`), 404, 'not_found');
    // Someone outside every school of the survey learns nothing of it, not even its questions.
    const elsewhere = await makeOrg(ctx.db, null, 'network');
    const outsider = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'admin', org: elsewhere })).email);
    expectError(await outsider.get(`/api/surveys/${admin}/report?by=shoe_size`), 404, 'not_found');
    expectError(await outsider.get(`/api/surveys/${admin}/comments`), 404, 'not_found');
    expectError(await people.state.get(`/api/surveys/${admin}/report?by=shoe_size`), 400, 'validation_failed', 'by');
    expectError(await people.state.get(`/api/surveys/${admin}/report?filter=grade:g7&by=gender_identity`), 400, 'validation_failed', 'filter');
    expectError(await people.state.get(`/api/surveys/${admin}/report?org=${w.s1.id}&by=school`), 400, 'validation_failed', 'by');
    expectError(await people.state.get(`/api/surveys/999999/report`), 404, 'not_found');
    const anonymous = await ctx.app.inject({ method: 'GET', url: `/api/surveys/${admin}/report` });
    expect(anonymous.statusCode).toBe(401);
    await ctx.db.execute(sql`update survey_administrations set closes_at = now() + interval '1 day' where id = ${admin}`);
    expectError(await people.state.get(`/api/surveys/${admin}/report`), 409, 'conflict');
    await ctx.db.execute(sql`update survey_administrations set closes_at = now() - interval '1 day' where id = ${admin}`);
  });
});
