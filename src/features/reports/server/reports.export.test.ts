import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/client.js';
import { type Agent, expectError, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';
import type { TestOrg } from '../../../server/test/factories.js';
import type { SurveyExportJob } from '../reports.export.contract.js';
import { makeReportWorld } from './reports.fixtures.js';

let ctx: TestContext;
let w: { state: TestOrg; d1: TestOrg; d2: TestOrg; s1: TestOrg; s2: TestOrg; s3: TestOrg; s4: TestOrg };
let admin: number;
let people: Record<'state' | 's1viewer' | 's2member', Agent>;


beforeAll(async () => {
  ctx = await startTestApp();
  const db = ctx.db;
  const world = await makeReportWorld(db);
  w = world;
  admin = world.admin;
  people = await signInAll(ctx.app, world.people);
});
afterAll(() => ctx.close());

/** Starts an export, follows its progress to the end, and fetches the file. */
async function exportOf(agent: Agent, body: Record<string, unknown>): Promise<{ jobId: string; progress: SurveyExportJob[]; file: LightMyRequestResponse }> {
  const start = await agent.post(`/api/surveys/${admin}/exports`, body);
  expect(start.statusCode, start.body).toBe(202);
  const { jobId } = start.json() as { jobId: string };
  const progress: SurveyExportJob[] = [];
  for (let i = 0; i < 400; i++) {
    const res = await agent.get(`/api/exports/${jobId}`);
    expect(res.statusCode, res.body).toBe(200);
    progress.push(res.json());
    if (['done', 'failed'].includes(progress.at(-1)!.status)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(progress.at(-1)).toMatchObject({ status: 'done' });
  const file = await agent.get(`/api/exports/${jobId}/file`);
  expect(file.statusCode).toBe(200);
  return { jobId, progress, file };
}

type Row = Record<string, string>;
const csvRows = (body: string): Row[] => parse(body.replace(/^\uFEFF/, ''), { columns: true }) as Row[];
/** The cells after n: mean, % favourable and every share. */
const figuresAfterN = (r: Row) => Object.entries(r).slice(Object.keys(r).indexOf('n') + 1).map(([, v]) => v);

describe('survey result exports', () => {
  it('writes a district and its schools as CSV, withheld schools in words and extremes coded', async () => {
    const { jobId, progress, file } = await exportOf(people.state, { org: w.d2.id, format: 'csv', scope: 'org_and_below', lang: 'en' });
    expect(progress.at(-1)).toEqual({ status: 'done', done: 3, total: 3, fileName: `survey-${admin}-D-2-and-below.csv` });
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="survey-${admin}-D-2-and-below.csv"`);
    expect(file.headers['cache-control']).toBe('no-store');
    const rows = csvRows(file.body);
    expect(Object.keys(rows[0]).slice(0, 11)).toEqual(['Organisation', 'Code', 'Level', 'Grouping', 'Group', 'Type', 'Id', 'Scale or question', 'n', 'Mean', '% favourable']);
    // D2's 35 on q1: five answered 1, thirty answered 3 → mean 95/35; under 40, so 0 % favourable reads ≤5.
    const q1 = rows.find((r) => r.Organisation === 'D2' && r.Grouping === 'All respondents' && r.Id === 'q1')!;
    expect(q1).toMatchObject({ Code: 'D-2', Level: 'District', Group: '', Type: 'question', n: '35', Mean: '', '% favourable': '≤5', '% SD': '14.3', '% D': '≤5', '% N': '85.7', '% A': '≤5', '% SA': '≤5', '% Low': '' });
    // S3 (5 students) and S4 (withheld, or 35 − 30 would give S3): words, and no figure beside them.
    const schools = rows.filter((r) => r.Group === 'S3' || r.Group === 'S4' || r.Organisation === 'S3' || r.Organisation === 'S4');
    // Each school as a column of D2 and on its own (overall, and by grade: g6 and g7), eight rows each.
    expect(schools.length).toBe(2 * (1 + 1 + 2) * 8);
    for (const r of schools) {
      const words = r.Group === 'S3' || r.Organisation === 'S3' ? 'fewer than 10' : 'withheld';
      // A grade nobody at the school gave is an empty group (0), not a withheld one.
      if (r.Grouping === 'Grade') expect([words, '0']).toContain(r.n);
      else expect(r.n).toBe(words);
      expect(figuresAfterN(r).every((v) => v === '')).toBe(true);
    }
    expect(rows.find((r) => r.Organisation === 'D2' && r.Grouping === 'School' && r.Group === 'S3' && r.Id === 'belonging')).toBeDefined();
    // Every export is on the audit log, with what and how much.
    const [audit] = await queryRows<{ actor_email: string; org_id: number; target_id: string; details: Record<string, unknown> }>(ctx.db, sql`select actor_email, org_id, target_id, details from audit_log where action = 'survey.results_exported' order by id desc limit 1`);
    expect(audit).toMatchObject({ org_id: w.d2.id, target_id: String(admin), details: { format: 'csv', scope: 'org_and_below', organisations: 3, administrationId: admin } });
    // Only its owner may follow or fetch it.
    expectError(await people.s2member.get(`/api/exports/${jobId}`), 404, 'not_found');
    expectError(await people.s2member.get(`/api/exports/${jobId}/file`), 404, 'not_found');
  });

  it('writes a school as XLSX with a sheet of scales, one of questions and a read-me', async () => {
    const { file } = await exportOf(people.s2member, { format: 'xlsx', scope: 'org_and_below', lang: 'en' });
    const { default: readXlsx } = await import('read-excel-file/node');
    const sheets = await readXlsx(file.rawPayload);
    expect(sheets.map((s) => s.sheet)).toEqual(['Scales', 'Questions', 'Read me']);
    const [scales, items, readMe] = sheets.map((s) => s.data);
    // S2 overall, by grade (g6, g7): each of 3 scales and 5 questions; no other group was answered.
    const groups = scales.slice(1).map((r) => `${r[3]}|${r[4]}`);
    expect([...new Set(groups)]).toEqual(['All respondents|null', 'Grade|g6', 'Grade|g7']);
    expect(scales.length).toBe(1 + 3 * 3);
    expect(items.length).toBe(1 + 3 * 5);
    expect(scales[0].slice(8)).toEqual(['n', 'Mean', '% favourable', '% Low', '% Mid', '% High']);
    // Belonging for S2's 40, by hand: mean 10/3, half favourable, bands 0 / 75 / 25.
    expect(scales[1]).toEqual(['S2', w.s2.code, 'School', 'All respondents', null, 'scale', 'belonging', 'Belonging', 40, 3.33, 50, 0, 75, 25]);
    expect(items[1].slice(0, 11)).toEqual(['S2', w.s2.code, 'School', 'All respondents', null, 'question', 'q1', 'q1', 40, 3, 50]);
    expect(readMe.map((r) => r[0]).join('\n')).toContain('fewer than k respondents (k = 10)');
  });

  it('lays out a PDF report per organisation, with each organisation bookmarked', async () => {
    const started = performance.now();
    const one = await exportOf(people.s2member, { format: 'pdf', scope: 'org', lang: 'fr' });
    const ms = performance.now() - started;
    const pdf = one.file.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(one.file.headers['content-type']).toBe('application/pdf');
    const pages = (b: Buffer) => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(b.toString('latin1'))?.[1]);
    // A school's report fits on one page here: headline, questions, grades, privacy.
    expect(pages(pdf)).toBe(1);
    console.info(`PDF of one school: ${pages(pdf)} pages, ${pdf.length} bytes, ${ms.toFixed(0)} ms from request to file`);
    const district = await exportOf(people.state, { org: w.d1.id, format: 'pdf', scope: 'org_and_below' });
    const text = district.file.rawPayload.toString('latin1');
    // Bookmarks name each organisation, parent first.
    const marks = [...text.matchAll(/\/Title \(([^)]*)\)/g)].map((m) => m[1]);
    expect(marks).toEqual(expect.arrayContaining(['D1', 'S1', 'S2']));
    expect(marks.indexOf('D1')).toBeLessThan(marks.indexOf('S1'));
    expect(pages(district.file.rawPayload)).toBeGreaterThanOrEqual(3);
    expect(district.progress.at(-1)).toMatchObject({ done: 3, total: 3 });
  });

  it('refuses what it cannot export, naming what to fix', async () => {
    expectError(await people.state.post(`/api/surveys/${admin}/exports`, { format: 'docx' }), 400, 'validation_failed', 'format');
    expectError(await people.state.post(`/api/surveys/${admin}/exports`, { format: 'csv', scope: 'everyone' }), 400, 'validation_failed', 'scope');
    expectError(await people.s1viewer.post(`/api/surveys/${admin}/exports`, { org: w.s2.id, format: 'csv' }), 404, 'not_found');
    expectError(await people.state.post(`/api/surveys/999999/exports`, { format: 'csv' }), 404, 'not_found');
    expectError(await people.state.get(`/api/exports/00000000-0000-4000-8000-000000000000`), 404, 'not_found');
    expectError(await people.state.get(`/api/exports/not-a-job`), 400, 'validation_failed', 'jobId');
    const anonymous = await ctx.app.inject({ method: 'POST', url: `/api/surveys/${admin}/exports`, payload: { format: 'csv' } });
    expect(anonymous.statusCode).toBe(401);
    await ctx.db.execute(sql`update survey_administrations set closes_at = now() + interval '1 day' where id = ${admin}`);
    expectError(await people.state.post(`/api/surveys/${admin}/exports`, { format: 'csv' }), 409, 'conflict');
    await ctx.db.execute(sql`update survey_administrations set closes_at = now() - interval '1 day' where id = ${admin}`);
  });
});
