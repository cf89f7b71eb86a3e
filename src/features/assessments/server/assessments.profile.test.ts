import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeWorld } from '../../../server/test/factories.js';
import { type Agent, signIn, startTestApp, type TestContext } from '../../../server/test/harness.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
let admin: Agent;

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  admin = await signIn(ctx.app, w.people.networkAdmin.email);
});
afterAll(() => ctx.close());

interface Profile {
  enrolment: number;
  counsellors: number;
  team: boolean;
  tier1: string[];
}

/** Starts, fills and submits a profile; returns its id. */
async function submitProfile(orgId: number, p: Profile): Promise<number> {
  const a = (await admin.post('/api/assessments', { orgId, instrumentId: 'school_mh_profile', schoolYear: '2026-2027', term: 'full_year' })).json();
  const answers = { enrolment: p.enrolment, grade_span: 'elementary', staff_counsellor_school: p.counsellors, team_exists: p.team, services_tier1: p.tier1 };
  for (const [slot, value] of Object.entries(answers)) {
    const r = await admin.request('PUT', `/api/assessments/${a.id}/answers/${slot}`, { value });
    expect(r.statusCode, r.body).toBe(200);
  }
  const r = await admin.post(`/api/assessments/${a.id}/submit`);
  expect(r.statusCode, r.body).toBe(200);
  return a.id;
}

describe('profile results beside the district and state', () => {
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    const more = [];
    for (const name of ['School A3', 'School A4', 'School A5', 'School A6']) more.push(await makeOrg(ctx.db, w.districtA, 'school', { name }));
    // District A: six profiles. B1 alone in District B (and State B).
    ids.a1 = await submitProfile(w.schoolA1.id, { enrolment: 600, counsellors: 1.5, team: true, tier1: ['sel_curriculum', 'mh_literacy'] });
    await submitProfile(w.schoolA2.id, { enrolment: 400, counsellors: 1, team: true, tier1: ['sel_curriculum'] });
    await submitProfile(more[0].id, { enrolment: 300, counsellors: 0, team: false, tier1: ['none'] });
    await submitProfile(more[1].id, { enrolment: 500, counsellors: 0.5, team: true, tier1: ['sel_curriculum', 'restorative'] });
    await submitProfile(more[2].id, { enrolment: 200, counsellors: 1, team: false, tier1: ['mh_literacy'] });
    await submitProfile(more[3].id, { enrolment: 1000, counsellors: 2, team: true, tier1: ['sel_curriculum'] });
    ids.b1 = await submitProfile(w.schoolB1.id, { enrolment: 700, counsellors: 1, team: true, tier1: ['none'] });
  });

  const factOf = async (id: number, slot: string) => {
    const res = await admin.get(`/api/assessments/${id}/results`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().facts.find((f: { slotId: string }) => f.slotId === slot);
  };
  type Around = { orgId: number; mean: number | null; shares: Record<string, number> | null };
  const at = (fact: { comparisons: Around[] }, orgId: number) => fact.comparisons.find((c) => c.orgId === orgId);

  it('gives means and students per counsellor, all students over all staff', async () => {
    const counsellors = await factOf(ids.a1, 'staff_counsellor_school');
    // A1: 600 students / 1.5 FTE = 400.
    expect(counsellors).toMatchObject({ value: 1.5, studentsPer: 400 });
    // District A: FTE 1.5+1+0+0.5+1+2 = 6 over six schools → mean 1; students 3,000 / 6 FTE = 500.
    expect(at(counsellors, w.districtA.id)).toEqual({ orgId: w.districtA.id, orgName: 'District A', kind: 'district', contributors: 6, enough: true, mean: 1, studentsPer: 500, shares: null });
    // The network adds B1: 3,700 students / 7 FTE = 528.57… → 529; mean FTE 7 / 7 = 1.
    expect(at(counsellors, w.network.id)).toMatchObject({ contributors: 7, mean: 1, studentsPer: 529 });
    const enrolment = await factOf(ids.a1, 'enrolment');
    expect(at(enrolment, w.districtA.id)).toMatchObject({ mean: 500, studentsPer: null });
    expect(at(enrolment, w.network.id)!.mean).toBeCloseTo(3700 / 7, 9);
  });

  it('gives the share of schools giving each answer to choices and yes/no', async () => {
    const team = await factOf(ids.a1, 'team_exists');
    // Four of six have a team: 67 %; two do not: 33 %. With B1: 5 of 7 = 71 %, 2 of 7 = 29 %.
    expect(at(team, w.districtA.id)).toMatchObject({ contributors: 6, mean: null, shares: { true: 67, false: 33 } });
    expect(at(team, w.network.id)!.shares).toEqual({ true: 71, false: 29 });
    const tier1 = await factOf(ids.a1, 'services_tier1');
    // SEL curriculum 4/6, mental health literacy 2/6, restorative 1/6, none 1/6.
    expect(at(tier1, w.districtA.id)!.shares).toEqual({ sel_curriculum: 67, mh_literacy: 33, restorative: 17, none: 17 });
  });

  it('withholds a district or state where fewer than five schools answered', async () => {
    const counsellors = await factOf(ids.b1, 'staff_counsellor_school');
    expect(counsellors.studentsPer).toBe(700);
    expect(at(counsellors, w.districtB.id)).toEqual({ orgId: w.districtB.id, orgName: 'District B', kind: 'district', contributors: 1, enough: false, mean: null, studentsPer: null, shares: null });
    expect(at(counsellors, w.stateB.id)).toMatchObject({ contributors: 1, enough: false, mean: null });
    expect(at(counsellors, w.network.id)).toMatchObject({ contributors: 7, enough: true, mean: 1 });
  });
});
