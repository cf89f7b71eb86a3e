import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, makeOrg, makeUser, makeWorld } from '../../../server/test/factories.js';
import { Agent, expectError, signIn, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { makeReportWorld } from '../../reports/server/reports.fixtures.js';
import { resources } from '../../resources/server/resources.tables.js';

const quality = JSON.parse(readFileSync(new URL('../../../../content/plan-templates/quality_starter.json', import.meta.url), 'utf8'));

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};
let spring: number;

/** Starts, answers and submits a quality assessment of a school: teaming answers as given, screening all 4. */
async function assess(orgId: number, schoolYear: string, term: string, teaming: number[]) {
  const a = (await as.networkAdmin.post('/api/assessments', { orgId, instrumentId: 'quality_school', schoolYear, term })).json();
  for (const [i, v] of teaming.entries()) await as.networkAdmin.request('PUT', `/api/assessments/${a.id}/answers/teaming_${i + 1}`, { value: v });
  for (let i = 1; i <= 7; i++) await as.networkAdmin.request('PUT', `/api/assessments/${a.id}/answers/screening_${i}`, { value: 4 });
  const res = await as.networkAdmin.post(`/api/assessments/${a.id}/submit`);
  expect(res.statusCode, res.body).toBe(200);
  return a.id as number;
}

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  Object.assign(as, await signInAll(ctx.app, w.people));
  // Teaming 2, 2, 3, 3, 2, 2, 3, 3 → 2.5 (hand-computed mean of eight answers).
  spring = await assess(w.schoolA1.id, '2026-2027', 'spring', [2, 2, 3, 3, 2, 2, 3, 3]);
});
afterAll(() => ctx.close());

const newPlan = (extra: Record<string, unknown> = {}) => ({ title: 'Mental health action plan 2026–2027', frameworkId: 'quality', startsOn: '2026-09-01', endsOn: '2027-06-30', ...extra });

describe('plans of an organisation', () => {
  let planId: number;

  it('are created by coordinators, for a real framework and period', async () => {
    const url = `/api/orgs/${w.schoolA1.id}/plans`;
    expectError(await new Agent(ctx.app).post(url, newPlan()), 401, 'unauthenticated');
    expectError(await as.schoolMember.post(url, newPlan()), 403, 'forbidden');
    expectError(await as.otherAdmin.post(url, newPlan()), 404, 'not_found');
    expectError(await as.districtCoordinator.post(url, newPlan({ frameworkId: 'no_such' })), 400, 'validation_failed', 'frameworkId');
    expectError(await as.districtCoordinator.post(url, newPlan({ endsOn: '2026-08-01' })), 400, 'validation_failed', 'endsOn');
    expectError(await as.districtCoordinator.post(url, newPlan({ startsOn: '2026-02-30' })), 400, 'validation_failed', 'startsOn');
    expectError(await as.districtCoordinator.post(url, newPlan({ title: ' ' })), 400, 'validation_failed', 'title');
    const res = await as.districtCoordinator.post(url, newPlan());
    expect(res.statusCode, res.body).toBe(201);
    planId = res.json().id;
    expect(res.json()).toMatchObject({ orgId: w.schoolA1.id, title: 'Mental health action plan 2026–2027', status: 'active', goals: [], can: { manage: true, own: true, publishTemplate: false } });
    expect(await auditRowsOf(ctx.db, 'plan.created')).toHaveLength(1);
  });

  it('take a goal from the weakest domain of results: baseline, tags and measure from the result', async () => {
    const goal = { title: 'Meet as a team every month', target: 3.5, targetDate: '2027-06-30', from: { kind: 'assessment', assessmentId: spring, scaleId: 'teaming' } };
    expectError(await as.schoolViewer.post(`/api/plans/${planId}/goals`, goal), 403, 'forbidden');
    expectError(await as.schoolMember.post(`/api/plans/${planId}/goals`, { ...goal, from: { ...goal.from, scaleId: 'nope' } }), 400, 'validation_failed', 'from.scaleId');
    expectError(await as.schoolMember.post(`/api/plans/${planId}/goals`, { ...goal, elements: ['quality:nope'] }), 400, 'validation_failed', 'elements');
    const res = await as.schoolMember.post(`/api/plans/${planId}/goals`, goal);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      title: 'Meet as a team every month',
      elements: ['quality:teaming'],
      baseline: 2.5,
      target: 3.5,
      measure: { source: 'assessment', instrumentId: 'quality_school', scaleId: 'teaming' },
      source: { kind: 'assessment', id: spring, scaleId: 'teaming', value: 2.5, period: '2026-2027 spring' },
      // The only result is the one the goal starts from.
      check: { status: 'waiting', current: 2.5 },
      plan: { id: planId, orgName: 'School A1' },
    });
  });

  it('refuse results of another organisation, and write nothing when a goal of a new plan fails', async () => {
    const other = await assess(w.schoolA2.id, '2026-2027', 'spring', [5, 5, 5, 5, 5, 5, 5, 5]);
    const before = await countRows(ctx.db, 'plans');
    const bad = newPlan({ goals: [{ title: 'From another school', from: { kind: 'assessment', assessmentId: other, scaleId: 'teaming' } }] });
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, bad), 400, 'validation_failed', 'from.assessmentId');
    expect(await countRows(ctx.db, 'plans')).toBe(before);
    // The same request for its own school creates the plan and its first goal in one step.
    const ok = await as.districtCoordinator.post(`/api/orgs/${w.schoolA2.id}/plans`, newPlan({ goals: [{ title: 'Keep the team strong', target: 5, from: { kind: 'assessment', assessmentId: other, scaleId: 'teaming' } }] }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().goals).toMatchObject([{ title: 'Keep the team strong', baseline: 5, check: { status: 'waiting' } }]);
  });

  it('start from a template in the chosen language, with actions dated within the period', async () => {
    const templates = (await as.districtCoordinator.get(`/api/orgs/${w.schoolA1.id}/plan-templates?frameworkId=quality`)).json().items;
    const shipped = templates.find((t: { key: string }) => t.key === 'quality_starter');
    expect(shipped).toMatchObject({ ownerOrgId: null, goals: quality.goals.length, canDelete: false });
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan({ frameworkId: 'connectedness', templateId: shipped.id })), 400, 'validation_failed', 'templateId');
    const res = await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan({ title: 'Plan 2027–2028', startsOn: '2027-09-01', endsOn: '2028-06-30', templateId: shipped.id, language: 'fr' }));
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json();
    expect(plan.goals.map((g: { title: string }) => g.title)).toEqual(quality.goals.map((g: { title: { fr: string } }) => g.title.fr));
    const first = quality.goals[0].actions[0];
    const action = plan.goals[0].actions[0];
    expect(action.title).toBe(first.title.fr);
    // Month offsets from 1 September 2027, ending the day before the next month boundary.
    const start = new Date(Date.UTC(2027, 8 + first.startMonth, 1)).toISOString().slice(0, 10);
    const due = new Date(Date.UTC(2027, 8 + first.startMonth + first.months, 0)).toISOString().slice(0, 10);
    expect([action.startsOn, action.dueOn]).toEqual([start, due > '2028-06-30' ? '2028-06-30' : due]);
    for (const g of plan.goals) for (const a of g.actions) expect(a.dueOn <= '2028-06-30' && a.startsOn >= '2027-09-01').toBe(true);
    expect((await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/plans`)).json()).toMatchObject({ can: { create: false, manage: false } });
  });
});

describe('actions, notes and attachments', () => {
  let planId: number;
  let goalId: number;
  let actionId: number;

  beforeAll(async () => {
    const plan = (await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan({ title: 'Actions plan', goals: [{ title: 'Screen every student', elements: ['quality:screening'] }] }))).json();
    planId = plan.id;
    goalId = plan.goals[0].id;
  });

  it('have owners with a role at the school or above, or just a name', async () => {
    const url = `/api/goals/${goalId}/actions`;
    expectError(await as.schoolMember.post(url, { title: 'Pick a screener', ownerId: w.people.otherAdmin.id }), 400, 'validation_failed', 'ownerId');
    expectError(await as.schoolMember.post(url, { title: 'Pick a screener', startsOn: '2026-10-01', dueOn: '2026-09-01' }), 400, 'validation_failed', 'dueOn');
    expectError(await as.schoolMember.post(url, { title: 'Pick a screener', priority: { importance: 6, cost: 1, time: 1, commitment: 1, feasibility: 1 } }), 400, 'validation_failed', 'priority.importance');
    const res = await as.schoolMember.post(url, { title: 'Pick a screener', ownerId: w.people.districtCoordinator.id, startsOn: '2026-09-01', dueOn: '2026-10-15', priority: { importance: 5, cost: 4, time: 3, commitment: 4, feasibility: 5 } });
    expect(res.statusCode, res.body).toBe(201);
    actionId = res.json().id;
    expect(res.json()).toMatchObject({ owner: { id: w.people.districtCoordinator.id }, status: 'not_started', priorityScore: 21, overdue: true });
    const named = (await as.schoolMember.post(url, { title: 'Ask the clinic about follow-up', ownerName: 'Dr. Rivera (community clinic)' })).json();
    expect(named.owner).toEqual({ id: null, name: 'Dr. Rivera (community clinic)' });
    const people = (await as.schoolViewer.get(`/api/plans/${planId}/people`)).json().items.map((p: { id: number }) => p.id);
    expect(people).toEqual(expect.arrayContaining([w.people.schoolMember.id, w.people.schoolViewer.id, w.people.districtCoordinator.id, w.people.networkAdmin.id]));
    expect(people).not.toContain(w.people.otherAdmin.id);
  });

  it('move through statuses; done is stamped and no longer overdue', async () => {
    expectError(await as.schoolViewer.patch(`/api/actions/${actionId}`, { status: 'done' }), 403, 'forbidden');
    expectError(await as.otherAdmin.patch(`/api/actions/${actionId}`, { status: 'done' }), 404, 'not_found');
    expectError(await as.schoolMember.patch(`/api/actions/${actionId}`, { status: 'finished' }), 400, 'validation_failed', 'status');
    const done = (await as.schoolMember.patch(`/api/actions/${actionId}`, { status: 'done' })).json();
    expect(done).toMatchObject({ status: 'done', overdue: false, completedAt: expect.any(String) });
    expect((await as.schoolMember.patch(`/api/actions/${actionId}`, { status: 'in_progress' })).json()).toMatchObject({ status: 'in_progress', completedAt: null, overdue: true });
  });

  it('keep progress notes on actions and comments, deleted by their author or a coordinator', async () => {
    expectError(await as.schoolMember.post(`/api/goals/${goalId}/notes`, { kind: 'progress', body: 'Started' }), 400, 'validation_failed', 'actionId');
    await as.schoolMember.post(`/api/goals/${goalId}/notes`, { kind: 'progress', body: 'Compared three screeners', actionId });
    const detail = (await as.districtCoordinator.post(`/api/goals/${goalId}/notes`, { kind: 'comment', body: 'Talk to families first' })).json();
    expect(detail.notes.map((n: { kind: string; body: string }) => [n.kind, n.body])).toEqual([['progress', 'Compared three screeners'], ['comment', 'Talk to families first']]);
    const coordinatorNote = detail.notes[1].id;
    expectError(await as.schoolMember.delete(`/api/plan-notes/${coordinatorNote}`), 403, 'forbidden');
    expect((await as.districtCoordinator.delete(`/api/plan-notes/${detail.notes[0].id}`)).statusCode).toBe(200);
  });

  it('attach resources of the library once, and links', async () => {
    const [mine] = await ctx.db.insert(resources).values({ type: 'guide', title: { en: 'Choosing a screener' }, summary: { en: 'How to choose.' }, languages: ['en'], elements: ['quality:screening'] }).returning();
    const otherNetwork = await makeOrg(ctx.db, null, 'network');
    const [theirs] = await ctx.db.insert(resources).values({ ownerOrgId: otherNetwork.id, type: 'guide', title: { en: 'Theirs' }, summary: { en: 'Not yours.' }, languages: ['en'] }).returning();
    const url = `/api/goals/${goalId}/attachments`;
    expectError(await as.schoolMember.post(url, { resourceId: theirs.id }), 400, 'validation_failed', 'resourceId');
    expectError(await as.schoolMember.post(url, { url: 'javascript:alert(1)', title: 'x' }), 400, 'validation_failed');
    expect((await as.schoolMember.post(url, { resourceId: mine.id })).statusCode).toBe(201);
    expectError(await as.schoolMember.post(url, { resourceId: mine.id }), 409, 'conflict', 'resourceId');
    const detail = (await as.schoolMember.post(url, { url: 'https://example.org/consent-letter', title: 'Consent letter draft', actionId })).json();
    expect(detail.attachments).toMatchObject([{ resource: { id: mine.id, title: { en: 'Choosing a screener' } } }, { url: 'https://example.org/consent-letter', title: 'Consent letter draft', actionId }]);
    expect(detail.counts).toEqual({ comments: 1, attachments: 2 });
  });

  it('are mine to see across plans', async () => {
    const coordinator = await signIn(ctx.app, w.people.districtCoordinator.email);
    const items = (await coordinator.get('/api/me/actions')).json().items;
    expect(items.map((a: { title: string }) => a.title)).toEqual(['Pick a screener']);
    expect(items[0]).toMatchObject({ planTitle: 'Actions plan', goalTitle: 'Screen every student', orgName: 'School A1', priorityScore: 21, owner: { id: w.people.districtCoordinator.id } });
    expect((await as.schoolViewer.get('/api/me/actions')).json().items).toEqual([]);
  });
});

describe('goals checked against later results', () => {
  it('reads the newest assessment: improving, met, not improving, missed', async () => {
    const plan = (await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan({ title: 'Checks', goals: [
      { title: 'Teaming to 3.5', target: 3.5, targetDate: '2030-06-30', from: { kind: 'assessment', assessmentId: spring, scaleId: 'teaming' } },
      { title: 'Teaming to 3.5, late', target: 3.5, targetDate: '2020-06-30', from: { kind: 'assessment', assessmentId: spring, scaleId: 'teaming' } },
      { title: 'No target', from: { kind: 'assessment', assessmentId: spring, scaleId: 'teaming' } },
    ] }))).json();
    const statuses = async () => (await as.schoolViewer.get(`/api/plans/${plan.id}`)).json().goals.map((g: { check: { status: string; current: number | null } }) => [g.check.status, g.check.current]);
    // Fall 2027: 3, 3, 3, 3, 3, 3, 3, 3 → 3.0, above 2.5 but short of 3.5.
    await assess(w.schoolA1.id, '2027-2028', 'fall', [3, 3, 3, 3, 3, 3, 3, 3]);
    expect(await statuses()).toEqual([['improving', 3], ['missed', 3], ['unmeasured', 3]]);
    // Spring 2028: 4 × 4 and 4 × 3 → 3.5, the target.
    await assess(w.schoolA1.id, '2027-2028', 'spring', [4, 4, 4, 4, 3, 3, 3, 3]);
    expect(await statuses()).toEqual([['met', 3.5], ['met', 3.5], ['unmeasured', 3.5]]);
    // Fall 2028: all 2 → 2.0, below the start.
    await assess(w.schoolA1.id, '2028-2029', 'fall', [2, 2, 2, 2, 2, 2, 2, 2]);
    expect(await statuses()).toEqual([['not_improving', 2], ['missed', 2], ['unmeasured', 2]]);
  });

  it('reads a survey scale for one group through the report and its privacy rules', async () => {
    const r = await makeReportWorld(ctx.db, { earlier: true });
    const coordinator = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'coordinator', org: r.s2 })).email);
    const [springAdmin] = (await coordinator.get(`/api/surveys/administrations?orgId=${r.s2.id}`)).json().items.filter((a: { title: string }) => a.title === 'Spring').map((a: { id: number }) => a.id);
    // Spring at S2: forty answers of q1 5, q2 3, q3 2 (reversed → 4): two of three favourable → 66.7 %.
    const res = await coordinator.post(`/api/orgs/${r.s2.id}/plans`, newPlan({ frameworkId: 'connectedness', goals: [
      { title: 'Belonging to 70 %', target: 70, from: { kind: 'survey', administrationId: springAdmin, scaleId: 'belonging', metric: 'percent_favorable', group: null } },
      { title: 'Belonging of grade 7', target: 70, from: { kind: 'survey', administrationId: springAdmin, scaleId: 'belonging', metric: 'percent_favorable', group: { questionId: 'grade', value: 'g7' } } },
    ] }));
    expect(res.statusCode, res.body).toBe(201);
    const [all, g7] = res.json().goals;
    expect(all.baseline).toBeCloseTo(200 / 3, 10);
    expect(all.elements).toEqual(['connectedness:relationships']);
    // Fall at S2: q1 favourable for twenty of forty, q2 never, q3 always → 50 %, below the start.
    expect(all.check).toMatchObject({ status: 'not_improving', current: 50, link: expect.stringContaining(`org=${r.s2.id}`) });
    // Nobody in grade 7 answered in spring (no baseline). In fall twenty did at S2, but only four
    // at S1: the district's grade 7 figure minus S2's would give S1's away, so S2's is withheld too,
    // and the goal waits rather than showing it.
    expect(g7.baseline).toBeNull();
    expect(g7.check).toMatchObject({ status: 'waiting', current: null, withheld: true });
    // A reader outside the survey cannot make a goal from it.
    expectError(await as.districtCoordinator.post(`/api/plans/${(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan())).json().id}/goals`, { title: 'x', from: { kind: 'survey', administrationId: springAdmin, scaleId: 'belonging', metric: 'mean', group: null } }), 404, 'not_found');
  });
});

describe('proposals, templates, roll-up and PDF', () => {
  it('takes up a proposed goal once, and frees it when the goal goes', async () => {
    const proposal = (await as.schoolMember.post(`/api/assessments/${spring}/goal-proposals`, { slotId: 'teaming_1' })).json();
    const plan = (await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan({ title: 'From proposals' }))).json();
    const goal = (await as.schoolMember.post(`/api/plans/${plan.id}/goals`, { title: 'A team that meets', from: { kind: 'proposal', proposalId: proposal.id } })).json();
    expect(goal).toMatchObject({ baseline: 2.5, elements: ['quality:teaming'], source: { kind: 'proposal', slotId: 'teaming_1' } });
    expectError(await as.schoolMember.post(`/api/plans/${plan.id}/goals`, { title: 'Again', from: { kind: 'proposal', proposalId: proposal.id } }), 409, 'conflict');
    expect((await as.schoolMember.get(`/api/orgs/${w.schoolA1.id}/goal-proposals`)).json().items).toEqual([]);
    expect((await as.schoolMember.delete(`/api/goals/${goal.id}`)).statusCode).toBe(200);
    expect((await as.schoolMember.get(`/api/orgs/${w.schoolA1.id}/goal-proposals`)).json().items.map((p: { id: number }) => p.id)).toEqual([proposal.id]);
  });

  it('lets a district publish a plan as a template for its schools', async () => {
    const plan = (await as.districtCoordinator.post(`/api/orgs/${w.districtA.id}/plans`, newPlan({ title: 'District plan', goals: [{ title: 'Every school screens', elements: ['quality:screening'] }] }))).json();
    expect(plan.can.publishTemplate).toBe(true);
    await as.districtCoordinator.post(`/api/goals/${plan.goals[0].id}/actions`, { title: 'Train screening leads', startsOn: '2026-11-01', dueOn: '2027-01-31' });
    const schoolPlan = (await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan({ title: 'School', goals: [{ title: 'x', elements: ['quality:teaming'] }] }))).json();
    expectError(await as.districtCoordinator.post(`/api/plans/${schoolPlan.id}/template`, { title: 'No' }), 403, 'forbidden');
    expectError(await as.schoolMember.post(`/api/plans/${plan.id}/template`, { title: 'No' }), 404, 'not_found');
    const res = await as.districtCoordinator.post(`/api/plans/${plan.id}/template?lang=en`, { title: 'District A starter' });
    expect(res.statusCode, res.body).toBe(201);
    const offered = (await as.schoolMember.get(`/api/orgs/${w.schoolA1.id}/plan-templates`)).json().items.find((t: { id: number }) => t.id === res.json().id);
    expect(offered).toMatchObject({ ownerName: 'District A', title: { en: 'District A starter' }, goals: 1, actions: 1, canDelete: false });
    expect((await as.otherAdmin.get(`/api/orgs/${w.schoolB1.id}/plan-templates`)).json().items.some((t: { id: number }) => t.id === res.json().id)).toBe(false);
    const made = (await as.districtCoordinator.post(`/api/orgs/${w.schoolA2.id}/plans`, newPlan({ title: 'From district', startsOn: '2027-09-01', endsOn: '2028-08-31', templateId: res.json().id }))).json();
    // Two months after the plan's start, for three months.
    expect(made.goals[0].actions[0]).toMatchObject({ title: 'Train screening leads', startsOn: '2027-11-01', dueOn: '2028-01-31' });
    expect((await as.districtCoordinator.delete(`/api/plan-templates/${res.json().id}`)).statusCode).toBe(200);
    expect(await auditRowsOf(ctx.db, 'plan.template_published')).toHaveLength(1);
  });

  it('rolls progress up to the district by school and by framework element', async () => {
    const p = (await as.districtCoordinator.get(`/api/orgs/${w.districtA.id}/plan-progress`)).json();
    const a1 = p.rows.find((r: { orgName: string }) => r.orgName === 'School A1');
    const [goals, actions] = await Promise.all([
      countRows(ctx.db, 'plan_goals g join plans p on p.id = g.plan_id', `p.org_id = ${w.schoolA1.id} and p.starts_on <= current_date and p.ends_on >= current_date and p.status = 'active'`),
      countRows(ctx.db, 'plan_actions a join plans p on p.id = a.plan_id', `p.org_id = ${w.schoolA1.id} and p.starts_on <= current_date and p.ends_on >= current_date and p.status = 'active' and a.status = 'in_progress'`),
    ]);
    expect(a1).toMatchObject({ kind: 'school', organizations: 1, withPlan: 1, goals, actions: { in_progress: actions } });
    expect(p.total.organizations).toBe(2);
    expect(p.total.goals).toBe(p.rows.reduce((n: number, r: { goals: number }) => n + r.goals, 0) + 1);
    expect(p.byElement.find((e: { element: string }) => e.element === 'quality:screening').actions.in_progress).toBeGreaterThanOrEqual(1);
    expectError(await as.otherAdmin.get(`/api/orgs/${w.districtA.id}/plan-progress`), 404, 'not_found');
    const state = (await as.networkAdmin.get(`/api/orgs/${w.stateA.id}/plan-progress`)).json();
    expect(state.rows).toMatchObject([{ orgName: 'District A', kind: 'district', organizations: 2, goals: p.total.goals }]);
  });

  it('refuses a measure that points at nothing, and keeps opening when a later survey no longer fits', async () => {
    const plan = (await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan({ title: 'Au cœur de l’école', goals: [{ title: 'Teaming', from: { kind: 'assessment', assessmentId: spring, scaleId: 'teaming' } }] }))).json();
    const goal = plan.goals[0];
    expectError(await as.schoolMember.patch(`/api/goals/${goal.id}`, { measure: { source: 'assessment', instrumentId: 'quality_school', scaleId: 'nope' } }), 400, 'validation_failed', 'measure.scaleId');
    expectError(await as.schoolMember.patch(`/api/goals/${goal.id}`, { measure: { source: 'survey', instrumentId: 'quality_school', scaleId: 'teaming', metric: 'mean' } }), 400, 'validation_failed', 'measure.instrumentId');
    expectError(await as.schoolMember.patch(`/api/goals/${goal.id}`, { measure: { source: 'survey', instrumentId: 'student_connectedness_secondary', scaleId: 'belonging', metric: 'mean', group: { questionId: 'belonging_1', value: '1' } } }), 400, 'validation_failed', 'measure.group');
    // A title with letters beyond Latin-1 still names the file.
    const pdf = await as.schoolViewer.get(`/api/plans/${plan.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('Au-cœur-de-l-école.pdf')}`);
  });

  it('prints a plan as a PDF', async () => {
    const [plan] = (await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/plans`)).json().items;
    const res = await as.schoolViewer.get(`/api/plans/${plan.id}/pdf?lang=fr`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expectError(await as.otherAdmin.get(`/api/plans/${plan.id}/pdf`), 404, 'not_found');
  });

  it('archives and deletes plans (coordinators), freeing nothing else', async () => {
    const plan = (await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/plans`, newPlan({ title: 'To delete' }))).json();
    expectError(await as.schoolMember.patch(`/api/plans/${plan.id}`, { status: 'archived' }), 403, 'forbidden');
    expect((await as.schoolMember.patch(`/api/plans/${plan.id}`, { title: 'Renamed' })).json().title).toBe('Renamed');
    expect((await as.districtCoordinator.patch(`/api/plans/${plan.id}`, { status: 'archived' })).json()).toMatchObject({ status: 'archived', current: false });
    expectError(await as.schoolMember.delete(`/api/plans/${plan.id}`), 403, 'forbidden');
    expect((await as.districtCoordinator.delete(`/api/plans/${plan.id}`)).statusCode).toBe(200);
    expectError(await as.schoolViewer.get(`/api/plans/${plan.id}`), 404, 'not_found');
    expect(await auditRowsOf(ctx.db, 'plan.deleted')).toHaveLength(1);
  });
});
