import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/client.js';
import { auditRowsOf, countRows, makeWorld } from '../../../server/test/factories.js';
import { Agent, expectError, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { hashCode } from './surveys.codes.js';
import { rollUpResponses } from './surveys.rollup.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};
let anon: Agent;
let admin: { id: number; sites: { orgId: number; linkCode: string }[] };
let link: string;

const utcIn = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);
const setUp = async (over: Record<string, unknown> = {}) => {
  const res = await as.districtCoordinator.post('/api/surveys/administrations', {
    orgId: w.districtA.id, instrumentId: 'student_connectedness_secondary', title: 'Fall student survey', languages: ['en', 'fr'],
    opensAt: utcIn(-1), closesAt: utcIn(24), timeZone: 'UTC', consent: 'passive',
    notice: { en: 'Families were told.', fr: 'Les familles ont été prévenues.' }, assent: { en: 'You can stop at any time.', fr: 'Tu peux arrêter à tout moment.' },
    demographics: ['grade', 'self_described_group'], accessCodes: true, ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};
const send = (code: string, answers: Record<string, unknown>, submissionId: string = randomUUID(), language = 'en') => anon.post('/api/public/responses', { code, submissionId, language, answers });

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  Object.assign(as, await signInAll(ctx.app, w.people));
  anon = new Agent(ctx.app);
  admin = await setUp();
  link = admin.sites.find((s) => s.orgId === w.schoolA1.id)!.linkCode;
});
afterAll(() => ctx.close());

describe('what the respondent page reads', () => {
  it('gives the survey in one language, without the demographic questions not asked', async () => {
    const res = await anon.get(`/api/public/surveys/${link.toLowerCase().replace(/(.{4})/, '$1-')}?lang=fr`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ state: 'open', code: link, languages: ['en', 'fr'], language: 'fr', title: 'Fall student survey', schoolName: 'School A1', consent: 'passive', assent: 'Tu peux arrêter à tout moment.' });
    expect(res.headers['cache-control']).toBe('no-store');
    const items = s.instrument.sections.flatMap((x: { items: { id: string }[] }) => x.items.map((i) => i.id));
    expect(items).toContain('grade');
    expect(items).toContain('self_described_group');
    expect(items).not.toContain('gender_identity');
    expect(items).not.toContain('home_language');
    // Every text in French only.
    expect(Object.keys(s.instrument.sections[0].items[0].text)).toEqual(['fr']);
    expect(Object.keys(s.instrument.labelSets.agree5.labels[0])).toEqual(['fr']);
    // A language not offered falls back to the first offered.
    expect((await anon.get(`/api/public/surveys/${link}?lang=es`)).json().language).toBe('en');
    expectError(await anon.get('/api/public/surveys/NOSUCHCODE'), 404, 'not_found');
    expectError(await anon.get('/api/public/surveys/a%20b'), 400, 'validation_failed', 'code');
  });

  it('says when a survey is not open yet or closed, without the questions', async () => {
    const later = await setUp({ title: 'Spring', opensAt: utcIn(24), closesAt: utcIn(48) });
    const s = (await anon.get(`/api/public/surveys/${later.sites[0].linkCode}`)).json();
    expect(s).toMatchObject({ state: 'not_open', instrument: null });
    expectError(await send(later.sites[0].linkCode, {}), 409, 'conflict');
    await as.districtCoordinator.post(`/api/surveys/administrations/${later.id}/extend`, { closesAt: utcIn(72) });
    const closed = await setUp({ title: 'Closed' });
    await as.districtCoordinator.post(`/api/surveys/administrations/${closed.id}/close`);
    expect((await anon.get(`/api/public/surveys/${closed.sites[0].linkCode}`)).json()).toMatchObject({ state: 'closed', instrument: null });
    expectError(await send(closed.sites[0].linkCode, {}), 409, 'conflict');
  });
});

describe('submitting a response', () => {
  it('stores it once however often it is retried, with nothing identifying', async () => {
    const id = randomUUID();
    const answers = { belong_part: 5, belong_myself: 4, grade: 'g9', self_described_group: ['newcomer', 'moves_often'], adult_trust: 2 };
    const first = await send(link, answers, id);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ ok: true, submissionId: id });
    const again = await send(link, answers, id);
    expect(again.statusCode).toBe(200);
    expect(await countRows(ctx.db, 'survey_responses')).toBe(1);
    const [row] = await queryRows<Record<string, unknown>>(ctx.db, sql`select * from survey_responses`);
    // Only these columns exist: no user, address, agent or time of day.
    expect(Object.keys(row).sort()).toEqual(['administration_id', 'blank', 'groups', 'instrument_version', 'language', 'org_id', 'other', 'ratings', 'rolled', 'state_id', 'submission_id', 'submitted_on'].sort());
    expect(row).toMatchObject({ org_id: w.schoolA1.id, language: 'en', blank: false, groups: { grade: 'g9', self_described_group: ['newcomer', 'moves_often'] }, other: {} });
    const ratings = row.ratings as (number | null)[];
    // belong_part is the first rated question, belong_myself the second, adult_trust the sixth.
    expect(ratings.slice(0, 7)).toEqual([5, 4, null, null, null, 2, null]);
    expect(ratings).toHaveLength(36);
  });

  it('stores many at once in group commits, each once, even when the same submission races itself', async () => {
    const before = await countRows(ctx.db, 'survey_responses');
    const ids = Array.from({ length: 40 }, () => randomUUID());
    // Every submission sent twice at the same moment (a retry racing the original).
    const all = await Promise.all(ids.flatMap((id, i) => [send(link, { belong_part: 1 + (i % 5) }, id), send(link, { belong_part: 1 + (i % 5) }, id.toUpperCase())]));
    for (let i = 0; i < ids.length; i++) expect([all[2 * i].statusCode, all[2 * i + 1].statusCode].sort()).toEqual([200, 201]);
    expect(await countRows(ctx.db, 'survey_responses')).toBe(before + 40);
    await ctx.db.execute(sql`delete from survey_responses where submission_id in ${ids}`);
  });

  it('refuses bad answers naming the question, and stores nothing', async () => {
    const before = await countRows(ctx.db, 'survey_responses');
    expectError(await send(link, { belong_part: 6 }), 400, 'validation_failed', 'belong_part');
    expectError(await send(link, { nope: 1 }), 400, 'validation_failed', 'nope');
    // Asked by the instrument, but not by this administration.
    expectError(await send(link, { gender_identity: 'girl' }), 400, 'validation_failed', 'gender_identity');
    expectError(await send(link, { grade: 'g13' }), 400, 'validation_failed', 'grade');
    expectError(await send(link, {}, 'not-a-uuid'), 400, 'validation_failed', 'submissionId');
    expectError(await send(link, {}, randomUUID(), 'es'), 400, 'validation_failed', 'language');
    expectError(await send('NOSUCHCODE', {}), 404, 'not_found');
    expect(await countRows(ctx.db, 'survey_responses')).toBe(before);
  });

  it('acknowledges a response that skips everything, as blank', async () => {
    expect((await send(link, {})).statusCode).toBe(201);
    expect(await countRows(ctx.db, 'survey_responses', 'blank')).toBe(1);
  });

  it('uses a single-use code once, never recording which response it gave', async () => {
    const [batch] = await queryRows<{ id: number }>(ctx.db, sql`insert into survey_code_batches (administration_id, org_id, label, count) values (${admin.id}, ${w.schoolA2.id}, 'Room 12', 1) returning id`);
    await ctx.db.execute(sql`insert into survey_access_codes (code_hash, batch_id, administration_id, org_id) values (${hashCode('ABCDEFGHJKMN')}, ${batch.id}, ${admin.id}, ${w.schoolA2.id})`);
    expect((await anon.get('/api/public/surveys/abcd-efgh-jkmn')).json()).toMatchObject({ state: 'open', schoolName: 'School A2' });
    const id = randomUUID();
    expect((await send('ABCD-EFGH-JKMN', { belong_part: 3 }, id)).statusCode).toBe(201);
    // The same submission again (its acknowledgement was lost): acknowledged, still one response.
    expect((await send('ABCDEFGHJKMN', { belong_part: 3 }, id)).statusCode).toBe(200);
    expectError(await send('ABCDEFGHJKMN', { belong_part: 4 }), 409, 'conflict', 'code');
    expect((await anon.get('/api/public/surveys/ABCDEFGHJKMN')).json()).toMatchObject({ state: 'used', instrument: null });
    expect(await countRows(ctx.db, 'survey_responses', `org_id = ${w.schoolA2.id}`)).toBe(1);
    // Not even the transaction id ties the used code to the response in the live rows.
    const linked = await queryRows(ctx.db, sql`select 1 from survey_access_codes c join survey_responses r on r.xmin = c.xmin where c.used`);
    expect(linked).toEqual([]);
  });

  it('counts "no thanks" and nothing else', async () => {
    const before = await countRows(ctx.db, 'survey_responses');
    expect((await anon.post(`/api/public/surveys/${link}/decline`, {})).statusCode).toBe(200);
    const detail = (await as.districtCoordinator.get(`/api/surveys/administrations/${admin.id}`)).json();
    expect(detail.sites.find((s: { orgId: number }) => s.orgId === w.schoolA1.id).declined).toBe(1);
    expect(await countRows(ctx.db, 'survey_responses')).toBe(before);
  });
});

describe('the live monitor and the roll-up', () => {
  it('counts per school and day, and rolls answers up per item, value and group', async () => {
    // Three more at School A1: belong_part 5, 4, 5; grades g9, g9, g10.
    for (const [v, g] of [[5, 'g9'], [4, 'g9'], [5, 'g10']] as const) await send(link, { belong_part: v, grade: g });
    const monitor = (await as.districtCoordinator.get(`/api/surveys/administrations/${admin.id}/monitor`)).json();
    const a1 = monitor.sites.find((s: { orgId: number }) => s.orgId === w.schoolA1.id);
    // A1: the first response, the blank one and these three; A2: the single-use code.
    expect(a1).toMatchObject({ responses: 5, declined: 1 });
    expect(monitor).toMatchObject({ total: 6, blank: 1, days: [{ day: new Date().toISOString().slice(0, 10), responses: 6 }] });
    // The member of School A1 sees School A1 only.
    const mine = (await as.schoolMember.get(`/api/surveys/administrations/${admin.id}/monitor`)).json();
    expect(mine.sites.map((s: { orgId: number }) => s.orgId)).toEqual([w.schoolA1.id]);
    expect(mine.total).toBe(5);

    expect(await rollUpResponses(ctx.db, 4)).toBe(4);
    expect(await rollUpResponses(ctx.db)).toBe(2);
    expect(await rollUpResponses(ctx.db)).toBe(0);
    const counts = await queryRows<{ item: number; value: number; dim: string; grp: string; n: number }>(
      ctx.db,
      sql`select item, value, dim, grp, n from survey_item_counts where administration_id = ${admin.id} and org_id = ${w.schoolA1.id} and item in (0, 1) order by item, dim, grp, value`,
    );
    const at = (item: number, dim: string, grp: string) => Object.fromEntries(counts.filter((c) => c.item === item && c.dim === dim && c.grp === grp).map((c) => [c.value, c.n]));
    // belong_part at A1: 5 (first), 5, 4, 5 → value 5 three times, 4 once.
    expect(at(1, '', '')).toEqual({ 4: 1, 5: 3 });
    expect(at(1, 'grade', 'g9')).toEqual({ 4: 1, 5: 2 });
    expect(at(1, 'grade', 'g10')).toEqual({ 5: 1 });
    expect(at(1, 'self_described_group', 'newcomer')).toEqual({ 5: 1 });
    // Respondents: five at A1 (blank included), three in grade 9.
    expect(at(0, '', '')).toEqual({ 0: 5 });
    expect(at(0, 'grade', 'g9')).toEqual({ 0: 3 });
  });

  it('deletes every response and count of an administration, audited', async () => {
    expectError(await as.schoolMember.request('DELETE', `/api/surveys/administrations/${admin.id}/responses`), 403, 'forbidden');
    const res = await as.districtCoordinator.request('DELETE', `/api/surveys/administrations/${admin.id}/responses`);
    expect(res.json()).toEqual({ deleted: 6 });
    expect(await countRows(ctx.db, 'survey_responses', `administration_id = ${admin.id}`)).toBe(0);
    expect(await countRows(ctx.db, 'survey_item_counts', `administration_id = ${admin.id}`)).toBe(0);
    expect((await auditRowsOf(ctx.db, 'survey.responses_deleted'))[0]).toMatchObject({ details: { deleted: 6 } });
  });
});

describe('rate limits', () => {
  it('limit per code, not per address', async () => {
    const limited = await startTestApp({ surveyRateLimitPerMinute: 3 }, { content: true });
    try {
      const lw = await makeWorld(limited.db);
      const coordinator = (await signInAll(limited.app, { c: lw.people.districtCoordinator })).c;
      const a = (await coordinator.post('/api/surveys/administrations', {
        orgId: lw.districtA.id, instrumentId: 'student_connectedness_secondary', title: 'Limits', languages: ['en'], opensAt: utcIn(-1), closesAt: utcIn(1), timeZone: 'UTC',
        consent: 'passive', notice: { en: 'n' }, assent: { en: 'a' },
      })).json();
      const [one, two] = a.sites.map((s: { linkCode: string }) => s.linkCode);
      const who = new Agent(limited.app);
      for (let i = 0; i < 3; i++) expect((await who.get(`/api/public/surveys/${one}`)).statusCode).toBe(200);
      const over = await who.get(`/api/public/surveys/${one}`);
      expectError(over, 429, 'rate_limited');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      // Another school's link from the same address is not held back.
      expect((await who.get(`/api/public/surveys/${two}`)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('single-use codes on printed slips', () => {
  it('prints a PDF of fresh codes for classes, keeps only hashes, and each code opens the survey once', async () => {
    const make = (agent: Agent, over: Record<string, unknown> = {}) => agent.post(`/api/surveys/administrations/${admin.id}/codes`, { orgId: w.schoolA2.id, classes: [{ label: 'Room 7', count: 3 }, { label: 'Room 8', count: 2 }], lang: 'fr', ...over });
    expectError(await make(as.schoolMember), 403, 'forbidden');
    expectError(await make(as.districtCoordinator, { orgId: w.schoolB1.id }), 400, 'validation_failed', 'orgId');
    expectError(await make(as.districtCoordinator, { classes: [{ label: 'Hall', count: 501 }] }), 400, 'validation_failed');
    const before = await countRows(ctx.db, 'survey_access_codes');
    const res = await make(as.districtCoordinator);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await countRows(ctx.db, 'survey_access_codes')).toBe(before + 5);
    const detail = (await as.districtCoordinator.get(`/api/surveys/administrations/${admin.id}`)).json();
    expect(detail.sites.find((s: { orgId: number }) => s.orgId === w.schoolA2.id)).toMatchObject({ codesPrinted: before + 5 });
    // Stored as SHA-256 hashes only.
    const hashes = await queryRows<{ code_hash: string }>(ctx.db, sql`select code_hash from survey_access_codes`);
    for (const h of hashes) expect(h.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await auditRowsOf(ctx.db, 'survey.codes_made'))[0]).toMatchObject({ details: { codes: 5, classes: ['Room 7', 'Room 8'] } });
    // An open-link-only administration prints none.
    const open = await setUp({ title: 'Links only', accessCodes: false });
    expectError(await as.districtCoordinator.post(`/api/surveys/administrations/${open.id}/codes`, { orgId: w.schoolA1.id, classes: [{ label: 'x', count: 1 }] }), 409, 'conflict');
  });
});
