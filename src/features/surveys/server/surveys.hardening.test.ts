import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeWorld } from '../../../server/test/factories.js';
import { type Agent, expectError, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { itemTypes } from '../../instruments/model/item-types.js';
import { codeLimiter } from './surveys.limits.js';
import { writerFor } from './surveys.writer.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};
const utcIn = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  Object.assign(as, await signInAll(ctx.app, w.people));
});
afterAll(() => ctx.close());

const setUp = async (over: Record<string, unknown> = {}) => {
  const res = await as.districtCoordinator.post('/api/surveys/administrations', {
    orgId: w.districtA.id, instrumentId: 'student_connectedness_secondary', title: 'Hardening', languages: ['en'], opensAt: utcIn(-1), closesAt: utcIn(24),
    timeZone: 'UTC', consent: 'passive', notice: { en: 'n' }, assent: { en: 'a' }, ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};

describe('after review', () => {
  it('one row the database refuses fails alone, not the responses written with it', async () => {
    const a = await setUp();
    const row = (ratings: (number | null)[]) => ({ administrationId: a.id, orgId: w.schoolA1.id, stateId: null, instrumentVersion: 1, language: 'en', submissionId: randomUUID(), ratings, groups: {}, other: {}, blank: false, submittedOn: '2026-11-22' });
    // 99,999 does not fit a smallint: the multi-row insert fails and is retried row by row.
    const results = await Promise.allSettled([...Array.from({ length: 5 }, () => writerFor(ctx.db).write(row([3]))), writerFor(ctx.db).write(row([99_999]))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(await countRows(ctx.db, 'survey_responses', `administration_id = ${a.id}`)).toBe(5);
  });

  it('text with a broken character is refused as an answer, naming nothing else', () => {
    const text = { id: 'comment', type: 'text', text: { en: 'Anything else?' } } as never;
    expect(itemTypes.text.check(text, { id: 'comment' } as never, 'fine 👍', { labelSets: {} })).toBeNull();
    expect(itemTypes.text.check(text, { id: 'comment' } as never, 'x\udc00', { labelSets: {} })).toMatch(/broken character/);
  });

  it('closing a survey that has not opened closes it; "no thanks" counts only while open', async () => {
    const later = await setUp({ title: 'Later', opensAt: utcIn(24), closesAt: utcIn(48) });
    expect((await as.districtCoordinator.post(`/api/surveys/administrations/${later.id}/close`)).json().state).toBe('closed');
    expectError(await as.districtCoordinator.post(`/api/surveys/administrations/${later.id}/close`), 409, 'conflict');
    const code = later.sites[0].linkCode;
    const anon = (await import('../../../server/test/harness.js')).Agent;
    const who = new anon(ctx.app);
    expect((await who.get(`/api/public/surveys/${code}`)).json().state).toBe('closed');
    expectError(await who.post(`/api/public/surveys/${code}/decline`, {}), 409, 'conflict');
  });

  it('refuses dates that do not exist and UUIDs that carry a time', async () => {
    expectError(await as.districtCoordinator.post('/api/surveys/administrations', { ...(await bodyOf()), opensAt: '2026-02-30T10:00' }), 400, 'validation_failed', 'opensAt');
    expectError(await as.districtCoordinator.post('/api/surveys/administrations', { ...(await bodyOf()), closesAt: '2026-13-45T25:99' }), 400, 'validation_failed', 'closesAt');
    const a = await setUp({ title: 'UUIDs' });
    const anon = new (await import('../../../server/test/harness.js')).Agent(ctx.app);
    // A version 1 UUID (time and device address) is refused; version 4 is taken.
    expectError(await anon.post('/api/public/responses', { code: a.sites[0].linkCode, submissionId: 'c232ab00-9414-11ec-b3c8-9f68deced846', language: 'en', answers: {} }), 400, 'validation_failed', 'submissionId');
    expect((await anon.post('/api/public/responses', { code: a.sites[0].linkCode, submissionId: randomUUID(), language: 'en', answers: {} })).statusCode).toBe(201);
  });

  it('refuses a submission id already stored for another school or survey, and still takes retries', async () => {
    const a = await setUp({ title: 'Reuse' });
    const anon = new (await import('../../../server/test/harness.js')).Agent(ctx.app);
    const id = randomUUID();
    const [one, two] = a.sites.map((s: { linkCode: string }) => s.linkCode);
    expect((await anon.post('/api/public/responses', { code: one, submissionId: id, language: 'en', answers: {} })).statusCode).toBe(201);
    expect((await anon.post('/api/public/responses', { code: one, submissionId: id, language: 'en', answers: {} })).statusCode).toBe(200);
    expectError(await anon.post('/api/public/responses', { code: two, submissionId: id, language: 'en', answers: {} }), 409, 'conflict', 'submissionId');
  });

  it('a school team sees its own schools\' figures in the list too', async () => {
    const a = await setUp({ title: 'Two schools' });
    const anon = new (await import('../../../server/test/harness.js')).Agent(ctx.app);
    for (const s of a.sites) await anon.post('/api/public/responses', { code: s.linkCode, submissionId: randomUUID(), language: 'en', answers: {} });
    const mine = (await as.schoolViewer.get(`/api/surveys/administrations?orgId=${w.schoolA1.id}`)).json().items.find((i: { id: number }) => i.id === a.id);
    expect(mine).toMatchObject({ schools: 1, responses: 1 });
    const all = (await as.districtCoordinator.get(`/api/surveys/administrations?orgId=${w.districtA.id}`)).json().items.find((i: { id: number }) => i.id === a.id);
    expect(all).toMatchObject({ schools: 2, responses: 2 });
  });
});

describe('per-code limits', () => {
  it('share one budget among unknown codes, and a flood of new codes never refills a busy one', () => {
    const limiter = codeLimiter(3, 5);
    for (let i = 0; i < 3; i++) limiter.code('BUSY');
    expect(() => limiter.code('BUSY')).toThrow(/Wait a moment/);
    for (let i = 0; i < 100_005; i++) limiter.code(`K${i}`);
    expect(() => limiter.code('BUSY')).toThrow(/Wait a moment/);
    for (let i = 0; i < 5; i++) limiter.miss();
    expect(() => limiter.miss()).toThrow(/unknown codes/);
  });
});

async function bodyOf() {
  return { orgId: w.districtA.id, instrumentId: 'student_connectedness_secondary', title: 'Dates', languages: ['en'], opensAt: utcIn(-1), closesAt: utcIn(24), timeZone: 'UTC', consent: 'passive', notice: { en: 'n' }, assent: { en: 'a' } };
}
