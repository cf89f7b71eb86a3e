import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, makeWorld } from '../../../server/test/factories.js';
import { Agent, expectError, signIn, startTestApp, type TestContext, signInAll } from '../../../server/test/harness.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  Object.assign(as, await signInAll(ctx.app, w.people));
});
afterAll(() => ctx.close());

const start = (agent: Agent, body: Record<string, unknown>) => agent.post('/api/assessments', { instrumentId: 'quality_school', schoolYear: '2026-2027', term: 'fall', ...body });

describe('starting an assessment', () => {
  it('needs a session, a coordinator or admin, the organisation in scope, and good input', async () => {
    expectError(await start(new Agent(ctx.app), { orgId: w.schoolA1.id }), 401, 'unauthenticated');
    expectError(await start(as.schoolMember, { orgId: w.schoolA1.id }), 403, 'forbidden');
    expectError(await start(as.otherAdmin, { orgId: w.schoolA1.id }), 404, 'not_found');
    expectError(await start(as.districtCoordinator, { orgId: w.schoolA1.id, schoolYear: '2026-2028' }), 400, 'validation_failed', 'schoolYear');
    expectError(await start(as.districtCoordinator, { orgId: w.schoolA1.id, term: 'summer' }), 400, 'validation_failed', 'term');
    expectError(await start(as.districtCoordinator, { orgId: w.schoolA1.id, instrumentId: 'student_connectedness_secondary' }), 400, 'validation_failed', 'instrumentId');
    expectError(await start(as.districtCoordinator, { orgId: w.schoolA1.id, instrumentId: 'nope' }), 400, 'validation_failed', 'instrumentId');
    expect(await countRows(ctx.db, 'assessments')).toBe(0);
  });

  it('starts one per organisation, instrument and period, audited', async () => {
    const res = await start(as.districtCoordinator, { orgId: w.schoolA1.id });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ orgId: w.schoolA1.id, instrumentId: 'quality_school', instrumentVersion: 1, status: 'in_progress', answered: 0, total: 50 });
    expect(res.json().progress.map((p: { total: number }) => p.total)).toEqual([8, 6, 7, 7, 8, 7, 7]);
    expectError(await start(as.districtCoordinator, { orgId: w.schoolA1.id }), 409, 'conflict', 'term');
    expect(await auditRowsOf(ctx.db, 'assessment.started')).toHaveLength(1);
  });
});

describe('answering together, submitting, scores', () => {
  let id: number;
  beforeAll(async () => {
    id = (await start(as.districtCoordinator, { orgId: w.schoolA2.id, term: 'spring' })).json().id;
  });

  it('saves each answer as it is given, with who and when; bad values name the item', async () => {
    const member = await signIn(ctx.app, w.people.schoolMember.email);
    const save = (agent: Agent, slot: string, body: Record<string, unknown>) => agent.request('PUT', `/api/assessments/${id}/answers/${slot}`, body);
    expect((await save(as.districtCoordinator, 'teaming_1', { value: 5 })).json()).toMatchObject({ slotId: 'teaming_1', value: 5, updatedBy: expect.any(String) });
    expect((await save(as.districtAdmin, 'teaming_2', { value: 'DK', note: 'Ask the counsellor', evidence: ['https://example.test/minutes'] })).json()).toMatchObject({ value: 'DK', note: 'Ask the counsellor', evidence: ['https://example.test/minutes'] });
    // The member belongs to School A1, not A2, where this assessment is.
    expectError(await save(member, 'teaming_3', { value: 2 }), 404, 'not_found');
    const admin = as.districtAdmin;
    expectError(await save(admin, 'teaming_3', { value: 7 }), 400, 'validation_failed', 'teaming_3');
    expectError(await save(admin, 'teaming_3', { value: 'NA' }), 400, 'validation_failed', 'teaming_3');
    expectError(await save(admin, 'no_such', { value: 1 }), 400, 'validation_failed', 'no_such');
    expectError(await save(admin, 'teaming_3', { evidence: ['not a link'] }), 400, 'validation_failed');
    expectError(await save(as.schoolViewer, 'teaming_3', { value: 2 }), 404, 'not_found');
    expectError(await save(as.otherAdmin, 'teaming_3', { value: 2 }), 404, 'not_found');
    expect(await countRows(ctx.db, 'assessment_answers', `assessment_id = ${id}`)).toBe(2);
  });

  it('shows what others changed since a moment', async () => {
    // The change cursor starts two seconds early (a save committed during the read is never
    // missed), so let the earlier answers age past it first.
    await new Promise((r) => setTimeout(r, 2100));
    const first = (await as.districtCoordinator.get(`/api/assessments/${id}`)).json();
    await as.districtAdmin.request('PUT', `/api/assessments/${id}/answers/teaming_3`, { value: 4 });
    const changes = (await as.districtCoordinator.get(`/api/assessments/${id}/changes?since=${encodeURIComponent(first.readAt)}`)).json();
    expect(changes.answers.map((a: { slotId: string }) => a.slotId)).toContain('teaming_3');
    expect(changes.answers.map((a: { slotId: string }) => a.slotId)).not.toContain('teaming_1');
  });

  it('submits with hand-computed scores, then refuses answers (409) until reopened', async () => {
    // Teaming: 5, DK, 4, 6, 6, 3, 2, 6 → DK left out: (5+4+6+6+3+2+6)/7 = 32/7 = 4.571… → progressing (3–4.99).
    const teaming = { teaming_4: 6, teaming_5: 6, teaming_6: 3, teaming_7: 2, teaming_8: 6 };
    // Screening: 6, 5, 6 of 7 answered → 3/7 < 50 %: no score.
    const screening = { screening_1: 6, screening_2: 5, screening_3: 6 };
    // Impact: all seven at 5 → 5.0 → mastery.
    const impact = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`impact_${i + 1}`, 5]));
    for (const [slot, value] of Object.entries({ ...teaming, ...screening, ...impact })) {
      expect((await as.districtAdmin.request('PUT', `/api/assessments/${id}/answers/${slot}`, { value })).statusCode).toBe(200);
    }
    expectError(await as.schoolViewer.post(`/api/assessments/${id}/submit`), 404, 'not_found');
    const submitted = await as.districtCoordinator.post(`/api/assessments/${id}/submit`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', can: { answer: false, submit: false, reopen: true } });
    const scores = Object.fromEntries(
      ((await ctx.db.execute((await import('drizzle-orm')).sql`select scale_id, score, band, answered, total from assessment_scores where assessment_id = ${id}`)) as unknown as { rows: { scale_id: string; score: number | null; band: string | null; answered: number; total: number }[] }).rows.map((r) => [r.scale_id, r]),
    );
    expect(scores.teaming.score).toBeCloseTo(32 / 7, 12);
    expect(scores.teaming).toMatchObject({ band: 'progressing', answered: 7, total: 8 });
    expect(scores.screening).toMatchObject({ score: null, band: null, answered: 3, total: 7 });
    expect(scores.impact).toMatchObject({ score: 5, band: 'mastery', answered: 7, total: 7 });
    // 17 of 50 answered overall: under half, no overall score.
    expect(scores.overall).toMatchObject({ score: null, answered: 17, total: 50 });
    expectError(await as.districtAdmin.request('PUT', `/api/assessments/${id}/answers/teaming_1`, { value: 1 }), 409, 'conflict');
    expectError(await as.districtCoordinator.post(`/api/assessments/${id}/submit`), 409, 'conflict');
    expect((await as.districtCoordinator.post(`/api/assessments/${id}/reopen`)).json()).toMatchObject({ status: 'in_progress' });
    expect(await countRows(ctx.db, 'assessment_scores', `assessment_id = ${id}`)).toBe(0);
    expect((await as.districtAdmin.request('PUT', `/api/assessments/${id}/answers/teaming_1`, { value: 1 })).statusCode).toBe(200);
    expect((await auditRowsOf(ctx.db, 'assessment.reopened')).length).toBe(1);
  });

  it('lists the assessments of a district and its schools, not to outsiders', async () => {
    const list = (await as.districtCoordinator.get(`/api/assessments?orgId=${w.districtA.id}`)).json();
    expect(list.items.map((i: { orgId: number }) => i.orgId).sort()).toEqual([w.schoolA1.id, w.schoolA2.id].sort());
    expectError(await as.otherAdmin.get(`/api/assessments?orgId=${w.districtA.id}`), 404, 'not_found');
    expect((await as.schoolViewer.get(`/api/assessments?orgId=${w.schoolA1.id}`)).json().items).toHaveLength(1);
  });

  it('copies the previous answers into a new period when asked', async () => {
    const next = await start(as.districtCoordinator, { orgId: w.schoolA2.id, schoolYear: '2027-2028', term: 'fall', copyPrevious: true });
    expect(next.statusCode).toBe(201);
    const copied = next.json().answers as { slotId: string; value: unknown }[];
    expect(Object.fromEntries(copied.map((a) => [a.slotId, a.value]))).toMatchObject({ teaming_1: 1, teaming_2: 'DK', impact_7: 5 });
  });
});

describe('results', () => {
  it('scores, change since the previous period, district averages only from five schools, strengths and priorities', async () => {
    const { makeOrg } = await import('../../../server/test/factories.js');
    const coordinator = as.districtCoordinator;
    const teamingAll = async (assessmentId: number, value: number) => {
      for (let i = 1; i <= 8; i++) expect((await coordinator.request('PUT', `/api/assessments/${assessmentId}/answers/teaming_${i}`, { value })).statusCode).toBe(200);
    };
    const run = async (orgId: number, value: number, schoolYear = '2028-2029') => {
      const a = (await start(coordinator, { orgId, schoolYear, term: 'full_year' })).json();
      await teamingAll(a.id, value);
      expect((await coordinator.post(`/api/assessments/${a.id}/submit`)).statusCode).toBe(200);
      return a.id as number;
    };
    const schools = [];
    for (let i = 0; i < 5; i++) schools.push(await makeOrg(ctx.db, w.districtA, 'school', { name: `Comparison School ${i}` }));
    // A year earlier, the first school scored 3 on teaming.
    await run(schools[0].id, 3, '2027-2028');
    // Four schools so far this year: 2, 3, 4, 5 → not enough for an average.
    const ids = [await run(schools[0].id, 6), await run(schools[1].id, 2), await run(schools[2].id, 3), await run(schools[3].id, 4)];
    let res = (await coordinator.get(`/api/assessments/${ids[0]}/results`)).json();
    let teaming = res.scales.find((s: { scaleId: string }) => s.scaleId === 'teaming');
    expect(teaming).toMatchObject({ score: 6, band: 'mastery', previous: { score: 3, schoolYear: '2027-2028', term: 'full_year' } });
    expect(teaming.comparisons.find((c: { kind: string }) => c.kind === 'district')).toMatchObject({ orgId: w.districtA.id, contributors: 4, enough: false, mean: null });
    // A fifth school (5): the district mean is (6 + 2 + 3 + 4 + 5) / 5 = 4.
    await run(schools[4].id, 5);
    res = (await coordinator.get(`/api/assessments/${ids[0]}/results`)).json();
    teaming = res.scales.find((s: { scaleId: string }) => s.scaleId === 'teaming');
    expect(teaming.comparisons.find((c: { kind: string }) => c.kind === 'district')).toMatchObject({ contributors: 5, enough: true, mean: 4 });
    expect(teaming.comparisons.find((c: { kind: string }) => c.kind === 'state')).toMatchObject({ orgId: w.stateA.id, contributors: 5, mean: 4 });
    // Every teaming answer is 6: the first three are strengths, the last three priorities.
    expect(res.strengths.map((s: { slotId: string }) => s.slotId)).toEqual(['teaming_1', 'teaming_2', 'teaming_3']);
    expect(res.priorities.map((s: { slotId: string }) => s.slotId)).toEqual(['teaming_8', 'teaming_7', 'teaming_6']);
    expect(res.minimumGroup).toBe(5);
    // The same results as a PDF, in French too.
    for (const lang of ['en', 'fr']) {
      const pdf = await coordinator.get(`/api/assessments/${ids[0]}/results.pdf?lang=${lang}`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.rawPayload.length).toBeGreaterThan(2000);
    }
    expectError(await as.otherAdmin.get(`/api/assessments/${ids[0]}/results.pdf`), 404, 'not_found');
    // Not before submission, not outside scope.
    const open = (await start(coordinator, { orgId: schools[1].id, schoolYear: '2029-2030', term: 'fall' })).json();
    expectError(await coordinator.get(`/api/assessments/${open.id}/results`), 409, 'conflict');
    expectError(await as.otherAdmin.get(`/api/assessments/${ids[0]}/results`), 404, 'not_found');
  });
});
