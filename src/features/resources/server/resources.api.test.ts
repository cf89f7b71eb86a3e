import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, makeOrg, makeUser, makeWorld } from '../../../server/test/factories.js';
import { Agent, expectError, signIn, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchResult } from '../resources.contract.js';
import { resources } from './resources.tables.js';

const starter = JSON.parse(readFileSync(new URL('../../../../content/resources/starter.json', import.meta.url), 'utf8'));
const fileDir = mkdtempSync(path.join(tmpdir(), 'schoolwell-files-'));

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};
let outsider: Agent;

beforeAll(async () => {
  ctx = await startTestApp({ fileDir }, { content: true });
  w = await makeWorld(ctx.db);
  Object.assign(as, await signInAll(ctx.app, w.people));
  const elsewhere = await makeOrg(ctx.db, null, 'network', { name: 'Elsewhere' });
  outsider = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'admin', org: elsewhere })).email);
});
afterAll(async () => {
  await ctx.close();
  rmSync(fileDir, { recursive: true, force: true });
});

const search = async (agent: Agent, query: string): Promise<SearchResult> => {
  const res = await agent.get(`/api/resources?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const ids = (r: SearchResult) => r.items.map((i) => i.id);
const keyOf = async (id: number) => (await ctx.db.execute(`select key from resources where id = ${id}`) as unknown as { rows: { key: string }[] }).rows[0].key;

describe('the starter library', () => {
  it('is there on day one, in three languages', async () => {
    expect(await countRows(ctx.db, 'resources', 'owner_org_id is null')).toBe(starter.resources.length);
    const all = await search(as.schoolViewer, 'limit=50');
    expect(all.total).toBe(starter.resources.length);
    // Every count of a facet adds up: each resource has exactly one type.
    expect(all.facets.type.reduce((n, f) => n + f.count, 0)).toBe(all.total);
    const collections = (await as.schoolViewer.get('/api/resource-collections')).json().items;
    const first = collections.find((c: { title: { en: string } }) => c.title.en === 'Getting started with school connectedness');
    expect(first.resources).toBe(starter.collections.find((c: { id: string }) => c.id === 'getting_started_connectedness').resources.length);
    const inCollection = await search(as.schoolViewer, `collection=${first.id}&limit=50`);
    expect(inCollection.total).toBe(first.resources);
  });
});

describe('search', () => {
  it('finds words in any of the three languages, titles first, with highlights in the reader\'s language', async () => {
    const en = await search(as.schoolViewer, 'q=screening&lang=en');
    const fr = await search(as.schoolViewer, 'q=d%C3%A9pistage&lang=fr');
    expect(en.total).toBeGreaterThanOrEqual(8);
    // Every resource with the French word in its French title is found by it.
    const titledFr = starter.resources.filter((r: { title: { fr: string } }) => /dépistage/i.test(r.title.fr)).length;
    expect(fr.items.filter((i) => /dépistage/i.test(i.title.fr!)).length).toBe(Math.min(titledFr, 20));
    // Title matches rank above summary-only matches.
    const titled = en.items.map((i) => /screen/i.test(i.title.en!));
    expect(titled.indexOf(false) === -1 || titled.lastIndexOf(true) < titled.indexOf(false)).toBe(true);
    expect(fr.items[0].highlight!.title).toContain(`${HIGHLIGHT_START}dépistage${HIGHLIGHT_END}`);
    expect(en.corrected).toBeNull();
  });

  it('forgives typos: unknown words become the closest spelling in the library', async () => {
    const r = await search(as.schoolViewer, 'q=bulying');
    expect(r.corrected).toBe('bullying');
    expect(await keyOf(r.items[0].id)).toBe('bullying_response_toolkit');
    const two = await search(as.schoolViewer, 'q=screning%20consnt&lang=en');
    expect(two.corrected).toBe('screening consent');
    expect(two.total).toBe((await search(as.schoolViewer, 'q=screening%20consent')).total);
    // Words it knows stay as they are; nothing close means nothing found.
    expect((await search(as.schoolViewer, 'q=zzxqv')).corrected).toBeNull();
  });

  it('corrects only from words the reader may see', async () => {
    const elsewhere = (await ctx.db.execute(`select id from organizations where name = 'Elsewhere'`) as unknown as { rows: { id: number }[] }).rows[0].id;
    await ctx.db.insert(resources).values({ ownerOrgId: elsewhere, type: 'guide', title: { en: 'Thornbury circles' }, summary: { en: 'Their own.' }, languages: ['en'] });
    await ctx.db.insert(resources).values({ ownerOrgId: w.network.id, status: 'declined', type: 'guide', title: { en: 'Quillfeather method' }, summary: { en: 'Declined.' }, languages: ['en'] });
    expect((await search(outsider, 'q=thornbery')).corrected).toBe('thornbury');
    expect((await search(as.schoolViewer, 'q=thornbery')).corrected).toBeNull();
    expect((await search(as.networkAdmin, 'q=quilfeather')).corrected).toBeNull();
  });

  it('narrows by tags (any value within a tag, all tags together) and counts what matched', async () => {
    const videos = await search(as.schoolViewer, 'type=video&limit=50');
    expect(videos.total).toBe(starter.resources.filter((r: { type: string }) => r.type === 'video').length);
    expect(videos.items.every((i) => i.type === 'video')).toBe(true);
    const both = await search(as.schoolViewer, 'type=video,lesson&audience=students&limit=50');
    const expected = starter.resources.filter((r: { type: string; audiences: string[] }) => ['video', 'lesson'].includes(r.type) && r.audiences.includes('students'));
    expect(both.total).toBe(expected.length);
    expect(both.facets.audience.find((f) => f.value === 'students')!.count).toBe(expected.length);
    // A grade band keeps the resources written for every grade.
    const middle = await search(as.schoolViewer, 'grade=middle&limit=50');
    expect(middle.total).toBe(starter.resources.filter((r: { gradeBands: string[] }) => r.gradeBands.length === 0 || r.gradeBands.includes('middle')).length);
    const screening = await search(as.schoolViewer, 'element=quality:screening&q=families&limit=50');
    expect(screening.items.every((i) => i.elements.includes('quality:screening'))).toBe(true);
  });

  it('rejects what it cannot read, naming it', async () => {
    expectError(await as.schoolViewer.get('/api/resources?type=podcast'), 400, 'validation_failed', 'type.0');
    expectError(await as.schoolViewer.get(`/api/resources?q=${'x'.repeat(201)}`), 400, 'validation_failed', 'q');
    expectError(await as.schoolViewer.get('/api/resources?element=teaming'), 400, 'validation_failed', 'element.0');
    expectError(await new Agent(ctx.app).get('/api/resources'), 401, 'unauthenticated');
  });
});

describe('recommendations', () => {
  it('puts the most elements in common first, then the most focused', async () => {
    const res = (await as.schoolViewer.get('/api/resources/recommended?element=quality:screening,quality:early_intervention&limit=10')).json();
    expect(res.items.length).toBe(10);
    const overlap = res.items.map((i: { matched: string[] }) => i.matched.length);
    expect(overlap).toEqual([...overlap].sort((a, b) => b - a));
    expect(res.items[0].matched).toEqual(['quality:early_intervention', 'quality:screening']);
    const exclude = res.items[0].id;
    const next = (await as.schoolViewer.get(`/api/resources/recommended?element=quality:screening,quality:early_intervention&exclude=${exclude}`)).json();
    expect(next.items.map((i: { id: number }) => i.id)).not.toContain(exclude);
    expect((await as.schoolViewer.get('/api/resources/recommended')).json().items).toEqual([]);
  });
});

describe('a network\'s own library', () => {
  let id: number;
  const body = { type: 'guide', title: { en: 'Our district referral map' }, summary: { en: 'Who to call for which need, across the network.' }, languages: ['en'], elements: ['quality:early_intervention'] };

  it('is curated by the network\'s admins and coordinators, and seen only inside the network', async () => {
    // A district admin does not even see the network's organisation.
    expectError(await as.districtAdmin.post('/api/resources', { ...body, networkId: w.network.id }), 404, 'not_found');
    expectError(await as.networkAdmin.post('/api/resources', { ...body, networkId: w.schoolA1.id }), 403, 'forbidden');
    expectError(await as.networkAdmin.post('/api/resources', { ...body, elements: ['quality:nope'], networkId: w.network.id }), 400, 'validation_failed', 'elements');
    expectError(await as.networkAdmin.post('/api/resources', { ...body, url: 'ftp://x', networkId: w.network.id }), 400, 'validation_failed', 'url');
    const res = await as.networkAdmin.post('/api/resources', { ...body, networkId: w.network.id });
    expect(res.statusCode, res.body).toBe(201);
    id = res.json().id;
    expect(res.json()).toMatchObject({ status: 'published', shipped: false, can: { edit: true } });
    expect(ids(await search(as.schoolViewer, 'q=referral%20map'))).toContain(id);
    expect(ids(await search(outsider, 'q=referral%20map'))).not.toContain(id);
    expectError(await outsider.get(`/api/resources/${id}`), 404, 'not_found');
    expect((await as.schoolViewer.get(`/api/resources/${id}`)).json().can.edit).toBe(false);
    expectError(await as.schoolMember.patch(`/api/resources/${id}`, { licence: 'CC0' }), 403, 'forbidden');
    expect((await as.networkAdmin.patch(`/api/resources/${id}`, { licence: 'CC0' })).json()).toMatchObject({ licence: 'CC0', title: { en: 'Our district referral map' } });
  });

  it('keeps a file on disk, downloaded by readers, never by outsiders', async () => {
    const pdf = Buffer.from('%PDF-1.4 a tiny file');
    const put = (agent: Agent, bytes: Buffer, name = 'referral map.pdf') => agent.request('PUT', `/api/resources/${id}/file?name=${encodeURIComponent(name)}&type=application/pdf`, bytes, { 'content-type': 'application/octet-stream' });
    expectError(await put(as.schoolMember, pdf), 403, 'forbidden');
    expectError(await put(as.networkAdmin, Buffer.alloc(0)), 400, 'validation_failed', 'file');
    expectError(await put(as.networkAdmin, pdf, '../../etc/passwd'), 400, 'validation_failed', 'name');
    const res = await put(as.networkAdmin, pdf);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().file).toEqual({ name: 'referral map.pdf', type: 'application/pdf', size: pdf.length });
    const got = await as.schoolViewer.get(`/api/resources/${id}/file`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(pdf)).toBe(true);
    expect(got.headers['content-disposition']).toBe("attachment; filename*=UTF-8''referral%20map.pdf");
    expectError(await outsider.get(`/api/resources/${id}/file`), 404, 'not_found');
    expect((await as.networkAdmin.delete(`/api/resources/${id}`)).statusCode).toBe(200);
    expectError(await as.schoolViewer.get(`/api/resources/${id}/file`), 404, 'not_found');
    expect(await auditRowsOf(ctx.db, 'resource.deleted')).toHaveLength(1);
  });

  it('sends suggestions to a network\'s curators, and says so where there is none', async () => {
    const state = await makeOrg(ctx.db, null, 'state');
    const school = await makeOrg(ctx.db, state, 'school');
    const lone = await signIn(ctx.app, (await makeUser(ctx.db, { role: 'member', org: school })).email);
    expectError(await lone.post('/api/resources/suggestions', { ...body, orgId: school.id }), 400, 'validation_failed', 'orgId');
  });

  it('takes suggestions from schools, published or declined by curators', async () => {
    expectError(await as.schoolViewer.post('/api/resources/suggestions', { ...body, orgId: w.schoolA1.id }), 403, 'forbidden');
    const made = (await as.schoolMember.post('/api/resources/suggestions', { ...body, title: { en: 'Lunch clubs that work' }, orgId: w.schoolA1.id })).json();
    expect(made).toMatchObject({ status: 'suggested', suggestedOrgName: 'School A1', can: { edit: false } });
    expect(ids(await search(as.schoolViewer, 'q=lunch%20clubs'))).not.toContain(made.id);
    expectError(await as.schoolViewer.get(`/api/resources/${made.id}`), 404, 'not_found');
    expectError(await as.districtCoordinator.get(`/api/resources/suggestions?networkId=${w.network.id}`), 404, 'not_found');
    const waiting = (await as.networkAdmin.get(`/api/resources/suggestions?networkId=${w.network.id}`)).json().items;
    expect(waiting.map((s: { id: number }) => s.id)).toEqual([made.id]);
    expectError(await as.schoolMember.post(`/api/resources/${made.id}/review`, { decision: 'publish' }), 403, 'forbidden');
    expect((await as.networkAdmin.post(`/api/resources/${made.id}/review`, { decision: 'publish', note: 'Thank you!' })).json()).toMatchObject({ status: 'published', reviewNote: 'Thank you!' });
    expectError(await as.networkAdmin.post(`/api/resources/${made.id}/review`, { decision: 'decline' }), 409, 'conflict');
    expect(ids(await search(as.schoolViewer, 'q=lunch%20clubs'))).toContain(made.id);
  });
});

describe('counts and facets', () => {
  it('keeps counts per version of the library: a new resource counts at once', async () => {
    const before = (await search(as.schoolViewer, 'q=screening')).total;
    await ctx.db.insert(resources).values({ type: 'guide', title: { en: 'Screening in a small school' }, summary: { en: 'A short guide.' }, languages: ['en'] });
    expect((await search(as.schoolViewer, 'q=screening')).total).toBe(before + 1);
  });
});
