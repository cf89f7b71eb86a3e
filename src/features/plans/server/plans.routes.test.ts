import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, makeWorld } from '../../../server/test/factories.js';
import { Agent, expectError, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';

const quality = JSON.parse(readFileSync(new URL('../../../../content/instruments/quality_school/v1.json', import.meta.url), 'utf8'));
const teaming2 = quality.sections.find((s: { id: string }) => s.id === 'teaming').items.find((i: { id: string }) => i.id === 'teaming_2');

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};
let assessmentId: number;

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  Object.assign(as, await signInAll(ctx.app, w.people));
  const a = (await as.networkAdmin.post('/api/assessments', { orgId: w.schoolA1.id, instrumentId: 'quality_school', schoolYear: '2026-2027', term: 'full_year' })).json();
  assessmentId = a.id;
  for (let i = 1; i <= 8; i++) await as.networkAdmin.request('PUT', `/api/assessments/${a.id}/answers/teaming_${i}`, { value: i === 2 ? 2 : 5 });
});
afterAll(() => ctx.close());

const propose = (agent: Agent, slotId: string, id = assessmentId) => agent.post(`/api/assessments/${id}/goal-proposals`, { slotId });

describe('make this a plan goal', () => {
  it('only from submitted results', async () => {
    expectError(await propose(as.schoolMember, 'teaming_2'), 409, 'conflict');
    expect((await as.networkAdmin.post(`/api/assessments/${assessmentId}/submit`)).statusCode).toBe(200);
  });

  it('keeps the question in every language, its domain and the team\'s rating; once per question', async () => {
    expectError(await propose(new Agent(ctx.app), 'teaming_2'), 401, 'unauthenticated');
    expectError(await propose(as.schoolViewer, 'teaming_2'), 403, 'forbidden');
    expectError(await propose(as.otherAdmin, 'teaming_2'), 404, 'not_found');
    expectError(await propose(as.schoolMember, 'no_such_question'), 400, 'validation_failed', 'slotId');
    expectError(await as.schoolMember.post(`/api/assessments/${assessmentId}/goal-proposals`, {}), 400, 'validation_failed', 'slotId');
    const res = await propose(as.schoolMember, 'teaming_2');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      orgId: w.schoolA1.id, assessmentId, instrumentId: 'quality_school', schoolYear: '2026-2027', term: 'full_year',
      slotId: 'teaming_2', scaleId: 'teaming', title: teaming2.text, value: 2, status: 'open', proposedBy: expect.any(String),
    });
    expectError(await propose(as.districtCoordinator, 'teaming_2'), 409, 'conflict', 'slotId');
    expect(await countRows(ctx.db, 'goal_proposals')).toBe(1);
    expect(await auditRowsOf(ctx.db, 'plan.goal_proposed')).toHaveLength(1);
  });

  it('waits on the organisation\'s plans page, for everyone who may read it', async () => {
    await propose(as.districtCoordinator, 'teaming_5');
    const list = (await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/goal-proposals`)).json();
    expect(list.items.map((p: { slotId: string }) => p.slotId)).toEqual(['teaming_5', 'teaming_2']);
    expect((await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/goal-proposals?assessmentId=${assessmentId}`)).json().items).toHaveLength(2);
    expect((await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/goal-proposals?assessmentId=999999`)).json().items).toHaveLength(0);
    expectError(await as.otherAdmin.get(`/api/orgs/${w.schoolA1.id}/goal-proposals`), 404, 'not_found');
  });

  it('can be set aside by the team (and proposed again later)', async () => {
    const [first] = (await as.schoolMember.get(`/api/orgs/${w.schoolA1.id}/goal-proposals`)).json().items;
    expectError(await as.schoolViewer.request('DELETE', `/api/goal-proposals/${first.id}`), 403, 'forbidden');
    expectError(await as.otherAdmin.request('DELETE', `/api/goal-proposals/${first.id}`), 404, 'not_found');
    expect((await as.schoolMember.request('DELETE', `/api/goal-proposals/${first.id}`)).statusCode).toBe(200);
    expectError(await as.schoolMember.request('DELETE', `/api/goal-proposals/${first.id}`), 404, 'not_found');
    expect((await as.schoolMember.get(`/api/orgs/${w.schoolA1.id}/goal-proposals`)).json().items.map((p: { slotId: string }) => p.slotId)).toEqual(['teaming_2']);
    expect((await propose(as.schoolMember, first.slotId)).statusCode).toBe(201);
    expect(await auditRowsOf(ctx.db, 'plan.goal_dismissed')).toHaveLength(1);
  });
});
