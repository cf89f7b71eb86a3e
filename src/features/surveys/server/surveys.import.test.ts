import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createGzip, gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/client.js';
import { extdataPath } from '../../../server/test/extdata.js';
import { auditRowsOf, countRows, makeOrg, makeWorld, type TestOrg } from '../../../server/test/factories.js';
import { Agent, expectError, signInAll, startTestApp, type TestContext } from '../../../server/test/harness.js';
import type { InstrumentDefinition } from '../../instruments/model/instrument.schema.js';
import type { ImportJob, Inspection, RunImportBody } from '../surveys.import.contract.js';
import { rollUpResponses } from './surveys.rollup.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};
let gp: TestOrg;
let ms: TestOrg;
let pisaSchools: Record<string, TestOrg>;

const INSTRUMENT = 'past_results_test';
const tri = (en: string, fr: string, es: string) => ({ en, fr, es });
const agree4 = [tri('Strongly disagree', 'Tout à fait en désaccord', 'Totalmente en desacuerdo'), tri('Disagree', 'En désaccord', 'En desacuerdo'), tri('Agree', "D'accord", 'De acuerdo'), tri('Strongly agree', "Tout à fait d'accord", 'Totalmente de acuerdo')];
const level5 = [tri('Very low', 'Très bas', 'Muy bajo'), tri('Low', 'Bas', 'Bajo'), tri('Medium', 'Moyen', 'Medio'), tri('High', 'Élevé', 'Alto'), tri('Very high', 'Très élevé', 'Muy alto')];
const pisaItems = ['st24q01', 'st24q02', 'st24q03', 'st24q04', 'st24q05', 'st24q06', 'st24q07', 'st24q08', 'st24q09', 'st24q10', 'st24q11', 'st34q01'];

/** A survey with the UCI family items (ratings and 5-point likert), PISA's reading items on a 4-point agree set, and gender. */
function testInstrument(): InstrumentDefinition {
  const q = (id: string, type: 'rating' | 'likert', extra: Record<string, unknown>) => ({ id, type, text: tri(`Question ${id}`, `Question ${id}`, `Pregunta ${id}`), ...extra });
  return {
    schemaVersion: 1, id: INSTRUMENT, version: 1, kind: 'survey', audience: 'student', title: tri('Past results', 'Résultats passés', 'Resultados anteriores'),
    defaultLanguage: 'en', languages: ['en', 'fr', 'es'],
    labelSets: { agree4: { points: 4, labels: agree4 }, level5: { points: 5, labels: level5 } },
    sections: [
      { id: 'home', title: tri('Home', 'Maison', 'Casa'), items: [q('famrel', 'rating', { min: 1, max: 5 }), q('freetime', 'likert', { labelSet: 'level5' }), q('goout', 'rating', { min: 1, max: 5 }), q('health', 'likert', { labelSet: 'level5', dontKnow: true }), q('medu', 'rating', { min: 1, max: 5 })] },
      { id: 'reading', title: tri('Reading', 'Lecture', 'Lectura'), items: pisaItems.map((id) => q(id, 'likert', { labelSet: 'agree4' })) },
      {
        id: 'about', title: tri('About you', 'À propos de toi', 'Sobre ti'),
        items: [{ id: 'gender', type: 'single_choice', demographic: 'gender_identity', text: tri('Gender', 'Genre', 'Género'), choices: [{ value: 'girl', label: tri('Girl', 'Fille', 'Chica') }, { value: 'boy', label: tri('Boy', 'Garçon', 'Chico') }] }],
      },
    ],
    scales: [],
  } as InstrumentDefinition;
}
/** Stored rating positions (1-based, as PostgreSQL arrays count): rated slots in instrument order. */
const slot = (id: string) => ['famrel', 'freetime', 'goout', 'health', 'medu', ...pisaItems].indexOf(id) + 1;

const uciFile = () => readFileSync(extdataPath('likert_survey/uci_student_mat.csv'));
const pisaFile = () => readFileSync(extdataPath('likert_survey/pisa2009_pisaitems.csv.gz'));
/** The file split by hand (it has no quoted fields), independently of the importer's CSV reader. */
function table(text: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l !== '');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}
/** `bytes` of one letter, gzipped as a stream (a small file that unpacks huge). */
async function gzipBomb(bytes: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gz.on('data', (c: Buffer) => chunks.push(c));
  const block = Buffer.alloc(1 << 20, 0x41);
  for (let n = 0; n < bytes; n += block.length) if (!gz.write(block)) await once(gz, 'drain');
  gz.end();
  await once(gz, 'end');
  return Buffer.concat(chunks);
}
function tally<T>(list: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of list) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

beforeAll(async () => {
  ctx = await startTestApp({}, { content: true });
  w = await makeWorld(ctx.db);
  gp = await makeOrg(ctx.db, w.districtA, 'school', { code: 'GP', name: 'Gabriel Pereira School' });
  ms = await makeOrg(ctx.db, w.districtA, 'school', { code: 'MS', name: 'Mousinho da Silveira School' });
  pisaSchools = {
    Canada: await makeOrg(ctx.db, w.districtA, 'school', { name: 'Maple Secondary' }),
    Mexico: await makeOrg(ctx.db, w.districtA, 'school', { name: 'Escuela Secundaria Sol' }),
    'United States': await makeOrg(ctx.db, w.districtA, 'school', { name: 'Liberty High' }),
  };
  Object.assign(as, await signInAll(ctx.app, w.people));
  const coord = as.districtCoordinator;
  const clone = await coord.post('/api/instruments/student_connectedness_secondary/versions/1/clone', { ownerOrgId: w.districtA.id, newId: INSTRUMENT });
  expect(clone.statusCode, clone.body).toBe(201);
  const put = await coord.request('PUT', `/api/instruments/${INSTRUMENT}/versions/1`, { definition: testInstrument() } as Record<string, unknown>);
  expect(put.statusCode, put.body).toBe(200);
  const published = await coord.post(`/api/instruments/${INSTRUMENT}/versions/1/publish`);
  expect(published.statusCode, published.body).toBe(200);
});
afterAll(() => ctx.close());

function inspect(agent: Agent, file: Buffer, q: Record<string, string | number> = {}) {
  const qs = new URLSearchParams(Object.entries({ orgId: w.districtA.id, instrumentId: INSTRUMENT, ...q }).map(([k, v]) => [k, String(v)]));
  return agent.request('POST', `/api/surveys/imports/inspect?${qs}`, file, { 'content-type': 'application/octet-stream' });
}
async function inspected(file: Buffer, q: Record<string, string | number> = {}, agent = as.districtCoordinator): Promise<Inspection> {
  const res = await inspect(agent, file, q);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const col = (i: Inspection, name: string) => {
  const c = i.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.index;
};
const run = (body: RunImportBody, agent = as.districtCoordinator) => agent.post('/api/surveys/imports', body as unknown as Record<string, unknown>);
async function finished(id: string, agent = as.districtCoordinator): Promise<ImportJob> {
  for (let i = 0; i < 6000; i++) {
    const res = await agent.get(`/api/surveys/imports/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const job: ImportJob = res.json();
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('import did not finish');
}
const base = (i: Inspection, over: Partial<RunImportBody> = {}): RunImportBody => ({ uploadId: i.uploadId, title: 'Past results', givenOn: '2019-05-14', timeZone: 'Europe/Lisbon', language: 'en', school: { schoolId: gp.id }, columns: [], ...over });
const written = async () => ({ administrations: await countRows(ctx.db, 'survey_administrations'), responses: await countRows(ctx.db, 'survey_responses'), sites: await countRows(ctx.db, 'survey_sites') });

describe('the UCI student file, by school and sex', () => {
  it('proposes a matching, imports a closed administration with hand-counted responses, and reports what it left out', async () => {
    const i = await inspected(uciFile(), { fileName: 'uci_student_mat.csv' });
    expect(i).toMatchObject({ rows: 395, delimiter: ',', instrumentId: INSTRUMENT, instrumentVersion: 1, skipped: [] });
    expect(i.columns).toHaveLength(33);
    // The school column is recognised by its values (the schools' codes), items and sex by their names.
    expect(i.schoolColumn).toBe(col(i, 'school'));
    const proposals = Object.fromEntries(i.columns.filter((c) => c.proposal).map((c) => [c.name, c.proposal]));
    expect(proposals).toEqual({ sex: 'gender', famrel: 'famrel', freetime: 'freetime', goout: 'goout', health: 'health', Medu: 'medu' });
    expect(i.columns[col(i, 'sex')].values).toEqual([{ value: 'F', count: 208 }, { value: 'M', count: 187 }]);
    expect(i.schools.map((s) => s.code)).toEqual(expect.arrayContaining(['GP', 'MS']));

    const before = await written();
    const res = await run(base(i, {
      title: 'UCI 2005 student survey', school: { column: col(i, 'school'), map: { GP: gp.id, MS: ms.id } },
      columns: [
        { column: col(i, 'sex'), target: 'gender', values: { F: 'girl', M: 'boy' } },
        ...['famrel', 'freetime', 'goout', 'health'].map((name) => ({ column: col(i, name), target: name })),
        { column: col(i, 'Medu'), target: 'medu' },
      ],
    }));
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json().id);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: 'done', phase: 'finished', read: 395, written: 395, total: 395 });

    // Expected figures worked out from the file by hand.
    const { header, rows } = table(uciFile().toString('utf8'));
    const at = (name: string) => header.indexOf(name);
    const bySchool = tally(rows.map((r) => r[at('school')]));
    expect(job.report!.imported).toBe(395);
    expect(job.report!.perSchool).toEqual([
      { orgId: gp.id, name: 'Gabriel Pereira School', responses: bySchool.get('GP') },
      { orgId: ms.id, name: 'Mousinho da Silveira School', responses: bySchool.get('MS') },
    ]);
    // Mother's education 0 ("none") is not on a 1–5 scale: reported, left unanswered.
    const medu0 = rows.map((r, n) => ({ v: r[at('Medu')], line: n + 2 })).filter((x) => x.v === '0');
    expect(job.report!.invalid).toEqual([{ column: 'Medu', target: 'medu', value: '0', count: medu0.length, lines: medu0.slice(0, 5).map((x) => x.line) }]);
    expect(medu0.length).toBeGreaterThan(0);
    expect(job.report!.unmappedColumns).toEqual(header.filter((h) => !['school', 'sex', 'famrel', 'freetime', 'goout', 'health', 'Medu'].includes(h)));
    expect(job.report!.skipped).toEqual([]);

    const a = job.administrationId!;
    const detail = (await as.districtCoordinator.get(`/api/surveys/administrations/${a}`)).json();
    expect(detail).toMatchObject({ title: 'UCI 2005 student survey', state: 'closed', responses: 395, schools: 2, languages: ['en'], demographics: ['gender'], openLink: false, accessCodes: false });
    expect(new Date(detail.opensAt).toISOString()).toBe('2019-05-13T23:00:00.000Z'); // midnight in Lisbon (summer time)
    expect(await written()).toEqual({ administrations: before.administrations + 1, responses: before.responses + 395, sites: before.sites + 2 });

    // Stored: school, day, language, version, answers; nothing else, and nothing yet counted.
    const stored = await queryRows<{ org_id: number; famrel: number; n: number }>(ctx.db, sql`select org_id, ratings[${slot('famrel')}]::int as famrel, count(*)::int as n from survey_responses where administration_id = ${a} group by 1, 2`);
    for (const school of ['GP', 'MS']) {
      const expected = tally(rows.filter((r) => r[at('school')] === school).map((r) => Number(r[at('famrel')])));
      const orgId = school === 'GP' ? gp.id : ms.id;
      expect(new Map(stored.filter((s) => s.org_id === orgId).map((s) => [s.famrel, s.n]))).toEqual(expected);
    }
    const [facts] = await queryRows<{ girls: number; boys: number; days: string[]; langs: string[]; other: number; rolled: number; medu_null: number; health_4: number }>(
      ctx.db,
      sql`select count(*) filter (where groups->>'gender' = 'girl')::int as girls, count(*) filter (where groups->>'gender' = 'boy')::int as boys,
            array_agg(distinct submitted_on::text) as days, array_agg(distinct language) as langs, count(*) filter (where other <> '{}'::jsonb)::int as other,
            count(*) filter (where rolled)::int as rolled, count(*) filter (where ratings[${slot('medu')}] is null)::int as medu_null,
            count(*) filter (where ratings[${slot('health')}] = 4)::int as health_4
          from survey_responses where administration_id = ${a}`,
    );
    const sexes = tally(rows.map((r) => r[at('sex')]));
    expect(facts).toEqual({ girls: sexes.get('F'), boys: sexes.get('M'), days: ['2019-05-14'], langs: ['en'], other: 0, rolled: 0, medu_null: medu0.length, health_4: rows.filter((r) => r[at('health')] === '4').length });
    const [audit] = await auditRowsOf(ctx.db, 'survey.imported');
    expect(audit).toMatchObject({ actor_email: 'coord@example.test', org_id: w.districtA.id, target_id: String(a), details: { instrument: `${INSTRUMENT}@1`, fileName: 'uci_student_mat.csv', rows: 395, imported: 395, schools: 2 } });

    // The roll-up counts them like any other responses.
    while ((await rollUpResponses(ctx.db, 5000)) > 0);
    const counted = await queryRows<{ value: number; n: number }>(ctx.db, sql`select value::int, n from survey_item_counts where administration_id = ${a} and org_id = ${gp.id} and item = ${slot('famrel')} and dim = '' order by value`);
    const gpFamrel = tally(rows.filter((r) => r[at('school')] === 'GP').map((r) => Number(r[at('famrel')])));
    expect(counted).toEqual([...gpFamrel].sort((x, y) => x[0] - y[0]).map(([value, n]) => ({ value, n })));

    // The file is not kept once imported.
    expectError(await run(base(i, { columns: [{ column: col(i, 'famrel'), target: 'famrel' }] })), 400, 'validation_failed', 'uploadId');
  });
});

describe('the PISA 2009 file (gzip), by country', () => {
  it('matches text labels onto a 4-point agree scale, reports invalid labels with counts, and imports every row', async () => {
    const started = performance.now();
    const i = await inspected(pisaFile(), { fileName: 'pisa2009_pisaitems.csv.gz' });
    const inspectSeconds = (performance.now() - started) / 1000;
    const text = gunzipSync(pisaFile()).toString('utf8');
    const { header, rows } = table(text);
    expect(i.rows).toBe(rows.length);
    expect(i.columns.map((c) => c.name)).toEqual(header);
    expect(i.columns[col(i, 'ST24Q01')].proposal).toBe('st24q01');
    expect(i.columns[col(i, 'CNT')].values.map((v) => v.value)).toEqual(['Mexico', 'Canada', 'United States']);

    const res = await run(base(i, {
      title: 'PISA 2009 reading', givenOn: '2009-04-20', timeZone: 'UTC',
      school: { column: col(i, 'CNT'), map: { Canada: pisaSchools.Canada.id, Mexico: pisaSchools.Mexico.id, 'United States': pisaSchools['United States'].id } },
      columns: [...pisaItems.map((id) => ({ column: col(i, id.toUpperCase()), target: id }))],
    }));
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json().id);
    const runSeconds = (performance.now() - started) / 1000 - inspectSeconds;
    console.log(`PISA import (${rows.length} rows × ${pisaItems.length} items): inspect ${inspectSeconds.toFixed(1)} s, run ${runSeconds.toFixed(1)} s (job: ${job.report?.seconds} s)`);
    expect(job.error).toBeNull();

    const at = (name: string) => header.indexOf(name);
    const answered = rows.filter((r) => pisaItems.some((id) => {
      const v = r[at(id.toUpperCase())];
      return v !== '' && v !== 'Strong agree';
    }));
    expect(job.report!.imported).toBe(answered.length);
    expect(job.report!.skipped).toEqual([{ reason: 'noAnswer', count: rows.length - answered.length, lines: expect.any(Array) }]);
    const perCountry = tally(answered.map((r) => r[at('CNT')]));
    expect(Object.fromEntries(job.report!.perSchool.map((s) => [s.name, s.responses]))).toEqual({ 'Maple Secondary': perCountry.get('Canada'), 'Escuela Secundaria Sol': perCountry.get('Mexico'), 'Liberty High': perCountry.get('United States') });
    // "Strong agree" is not a label of the scale (PISA's own misspelling of "Strongly agree"): reported with its count and first lines.
    const strong = rows.map((r, n) => ({ v: r[at('ST34Q01')], line: n + 2 })).filter((x) => x.v === 'Strong agree');
    expect(job.report!.invalid).toEqual([{ column: 'ST34Q01', target: 'st34q01', value: 'Strong agree', count: strong.length, lines: strong.slice(0, 5).map((x) => x.line) }]);
    expect(job.report!.unmappedColumns).toHaveLength(header.length - pisaItems.length - 1);

    const a = job.administrationId!;
    const labels = ['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree'];
    const stored = await queryRows<{ org_id: number; v: number | null; n: number }>(ctx.db, sql`select org_id, ratings[${slot('st24q01')}]::int as v, count(*)::int as n from survey_responses where administration_id = ${a} group by 1, 2`);
    for (const [country, school] of Object.entries(pisaSchools)) {
      const values = answered.filter((r) => r[at('CNT')] === country).map((r) => r[at('ST24Q01')]);
      const expected = new Map([...tally(values)].map(([label, n]) => [label === '' ? null : labels.indexOf(label) + 1, n]));
      expect(new Map(stored.filter((s) => s.org_id === school.id).map((s) => [s.v, s.n]))).toEqual(expected);
    }
    // Kept to the suite's pace on either engine (measured: see the log line above).
    expect(inspectSeconds + runSeconds).toBeLessThan(60);
  }, 180_000);
});

describe('what is checked before anything is written', () => {
  it('answers 401, 403 and 404 by role and organisation, and keeps each upload and job to its owner', async () => {
    const file = uciFile();
    expectError(await inspect(new Agent(ctx.app), file), 401, 'unauthenticated');
    expectError(await inspect(as.schoolMember, file, { orgId: w.schoolA1.id }), 403, 'forbidden');
    expectError(await inspect(as.schoolViewer, file, { orgId: w.schoolA1.id }), 403, 'forbidden');
    expectError(await inspect(as.otherAdmin, file), 404, 'not_found');
    expectError(await as.districtCoordinator.withoutCsrf('POST', `/api/surveys/imports/inspect?orgId=${w.districtA.id}&instrumentId=${INSTRUMENT}`, file, { 'content-type': 'application/octet-stream' }), 403, 'csrf_failed');

    // An upload is only its uploader's; so is the job and its report.
    const i = await inspected(file);
    expectError(await run(base(i, { columns: [{ column: col(i, 'famrel'), target: 'famrel' }] }), as.districtAdmin), 400, 'validation_failed', 'uploadId');
    const res = await run(base(i, { columns: [{ column: col(i, 'famrel'), target: 'famrel' }] }));
    const { id } = res.json();
    await finished(id);
    expectError(await as.districtAdmin.get(`/api/surveys/imports/${id}`), 404, 'not_found');
    expectError(await as.otherAdmin.get(`/api/surveys/imports/${id}`), 404, 'not_found');
    expectError(await new Agent(ctx.app).get(`/api/surveys/imports/${id}`), 401, 'unauthenticated');
    // Progress is counts only, by the job's random id, with no session.
    const progress = await new Agent(ctx.app).get(`/api/surveys/imports/${id}/progress`);
    expect(progress.json()).toEqual({ id, status: 'done', phase: 'finished', read: 395, written: 395, total: 395 });
    expectError(await new Agent(ctx.app).get('/api/surveys/imports/00000000-0000-4000-8000-000000000000/progress'), 404, 'not_found');
  });

  it('refuses bad files, unknown instruments and oversized uploads with a message naming what to fix', async () => {
    const before = await written();
    const bad = async (file: Buffer, code: string, field: string, match: RegExp, q: Record<string, string | number> = {}) => {
      const res = await inspect(as.districtCoordinator, file, q);
      expectError(res, code === 'payload_too_large' ? 413 : 400, code, field);
      expect(res.json().error.message).toMatch(match);
    };
    await bad(Buffer.alloc(0), 'bad_file', 'file', /empty/);
    await bad(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x2c, 0x00]), 'bad_file', 'file', /UTF-8/);
    await bad(Buffer.from('PK\u0003\u0004 spreadsheet'), 'bad_file', 'file', /CSV UTF-8/);
    await bad(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), 'bad_file', 'file', /cannot be unpacked/);
    await bad(Buffer.from('a,b,c\n'), 'bad_file', 'file', /no rows/);
    await bad(uciFile(), 'validation_failed', 'instrumentId', /no instrument "nope"/, { instrumentId: 'nope' });
    await bad(uciFile(), 'validation_failed', 'instrumentId', /Only surveys/, { instrumentId: 'quality_school' });
    await bad(uciFile(), 'validation_failed', 'version', /published version/, { version: 9 });
    await bad(Buffer.alloc(50 * 1024 * 1024 + 1, 0x41), 'payload_too_large', 'file', /50 MB/);
    // A gzip bomb is stopped where it unpacks past the limit.
    await bad(await gzipBomb(257 * 1024 * 1024), 'payload_too_large', 'file', /256 MB/);
    expect(await written()).toEqual(before);
  }, 120_000);

  it('refuses a matching that leaves school values unmatched or takes values the items do not, and writes nothing', async () => {
    const before = await written();
    // School values are matched by code or name unless the map says otherwise; the rest must be chosen.
    const small = await inspected(Buffer.from('school,famrel\nGP,4\nMS,3\nZZ,2\nYY,1\nGP,5\n'));
    const unmatched = await run(base(small, { school: { column: 0, map: { YY: ms.id } }, columns: [{ column: 1, target: 'famrel' }] }));
    expectError(unmatched, 400, 'validation_failed', 'school.map');
    expect(unmatched.json().error.message).toBe('Choose a school for this value of column "school": "ZZ".');
    const i = await inspected(uciFile());
    const famrel = { column: col(i, 'famrel'), target: 'famrel' };
    const refused = async (over: Partial<RunImportBody>, field: string, match: RegExp) => {
      const res = await run(base(i, over));
      expectError(res, 400, 'validation_failed', field);
      expect(res.json().error.message).toMatch(match);
    };
    await refused({ school: { column: col(i, 'school'), map: { GP: gp.id, MS: w.schoolB1.id } }, columns: [famrel] }, 'school.map', /not an active school of District A/);
    await refused({ school: { schoolId: w.schoolB1.id }, columns: [famrel] }, 'school.schoolId', /not an active school/);
    await refused({ columns: [] }, 'columns', /at least one column/);
    await refused({ columns: [{ column: 99, target: 'famrel' }] }, 'columns.0.column', /no column 100/);
    await refused({ columns: [famrel, { column: col(i, 'goout'), target: 'famrel' }] }, 'columns.1.target', /Two columns/);
    await refused({ columns: [{ column: col(i, 'famrel'), target: 'belong_part' }] }, 'columns.0.target', /not a rated or demographic question/);
    await refused({ columns: [{ column: col(i, 'famrel'), target: 'famrel', values: { '5': 6 } }] }, 'columns.0.values', /6 is not an answer "famrel" takes/);
    await refused({ columns: [{ column: col(i, 'sex'), target: 'gender', values: { F: 'woman' } }] }, 'columns.0.values', /"woman"/);
    await refused({ school: { column: col(i, 'school'), map: { GP: gp.id, MS: ms.id } }, columns: [{ column: col(i, 'school'), target: 'famrel' }] }, 'columns.0.column', /already gives the school/);
    await refused({ givenOn: new Date().toISOString().slice(0, 10), timeZone: 'UTC', columns: [famrel] }, 'givenOn', /day that is over/);
    await refused({ language: 'fr', columns: [famrel], givenOn: '2019-02-30' }, 'givenOn', /does not exist/);
    await refused({ timeZone: 'Mars/Olympus', columns: [famrel] }, 'timeZone', /time zone/);
    expect(await written()).toEqual(before);
  });
});

describe('a failure while writing', () => {
  it('leaves nothing behind, and keeps the file so the same matching can be run again', async () => {
    // The UCI rows nine times over: 3,555 responses, written in four inserts of up to 1,000 (and
    // line endings mixed: each copy's last line lost its \r, as when files are pasted together).
    const [head, ...lines] = uciFile().toString('utf8').trim().split('\n');
    const i = await inspected(Buffer.from([head, ...Array.from({ length: 9 }, () => lines).flat()].join('\n')));
    const body = base(i, { school: { column: col(i, 'school'), map: {} }, columns: [{ column: col(i, 'famrel'), target: 'famrel' }] });
    const before = { ...(await written()), audits: (await auditRowsOf(ctx.db, 'survey.imported')).length };
    // The third insert of responses fails, as a full disk or a dropped connection would.
    const ddl = [
      'create sequence import_fault',
      `create function import_fault() returns trigger language plpgsql as $$ begin if nextval('import_fault') >= 3 then raise exception 'disk full'; end if; return null; end $$`,
      'create trigger import_fault after insert on survey_responses for each statement execute function import_fault()',
    ];
    for (const statement of ddl) await ctx.db.execute(sql.raw(statement));
    try {
      const job = await finished((await run(body)).json().id);
      expect(job).toMatchObject({ status: 'failed', written: 2000, administrationId: null, report: null, error: 'The import failed; nothing was written. Try again, or split the file.' });
    } finally {
      for (const statement of ['drop trigger import_fault on survey_responses', 'drop function import_fault()', 'drop sequence import_fault']) await ctx.db.execute(sql.raw(statement));
    }
    expect({ ...(await written()), audits: (await auditRowsOf(ctx.db, 'survey.imported')).length }).toEqual(before);

    const again = await finished((await run(body)).json().id);
    expect(again.report?.skipped).toEqual([]);
    expect(again).toMatchObject({ status: 'done', written: 3555 });
    expect(again.report!.perSchool.map((s) => s.responses)).toEqual([349 * 9, 46 * 9]);
  });
});

describe('files as people save them', () => {
  it('reads semicolons and a BOM, drops an unnamed id column, recognises leading numbers and labels in other languages, and reports skipped rows', async () => {
    const csv = [
      '\uFEFF;school;FAMREL;Health;gender;comment',
      '101;GP;(5) Excellent;Très élevé;Girl;likes maths',
      '102;MS;4;très  ÉLEVÉ;boy;',
      '103;;3;Low;girl;no school given',
      '104;GP;NA;;;nothing answered',
      '105;GP;2;Medium',
      '106;MS;seven;don\u2019t know;Prefer not to say;',
      '107;GP;1;Very low;;',
      '108;GP;1;Very low;;',
      '',
    ].join('\r\n');
    const i = await inspected(Buffer.from(csv, 'utf8'));
    expect(i.delimiter).toBe(';');
    expect(i.columns.map((c) => [c.name, c.identifier, c.proposal])).toEqual([
      ['', true, null], ['school', false, null], ['FAMREL', false, 'famrel'], ['Health', false, 'health'], ['gender', false, 'gender'], ['comment', false, null],
    ]);
    expect(i.schoolColumn).toBe(1);
    expect(i.skipped).toEqual([{ reason: 'fields', count: 1, lines: [6] }]);
    // Row numbers and ids are never imported.
    expectError(await run(base(i, { columns: [{ column: 0, target: 'famrel' }] })), 400, 'validation_failed', 'columns.0.column');

    const res = await run(base(i, {
      school: { column: 1, map: { GP: gp.id, MS: ms.id } }, language: 'fr',
      columns: [{ column: 2, target: 'famrel', values: { seven: null } }, { column: 3, target: 'health' }, { column: 4, target: 'gender' }],
    }));
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json().id);
    expect(job.error).toBeNull();
    expect(job.report).toMatchObject({
      imported: 5,
      skipped: [{ reason: 'fields', count: 1, lines: [6] }, { reason: 'noSchool', count: 1, lines: [4] }, { reason: 'noAnswer', count: 1, lines: [5] }],
      unmappedColumns: ['(column 1, unnamed)', 'comment'],
      invalid: [],
    });
    const stored = await queryRows<{ org_id: number; famrel: number | null; health: number | null; gender: string | null }>(
      ctx.db,
      sql`select org_id, ratings[${slot('famrel')}]::int as famrel, ratings[${slot('health')}]::int as health, groups->>'gender' as gender from survey_responses where administration_id = ${job.administrationId} order by 2 nulls first, 3`,
    );
    expect(stored).toEqual([
      { org_id: ms.id, famrel: null, health: -2, gender: 'PNS' },
      { org_id: gp.id, famrel: 1, health: 1, gender: null },
      { org_id: gp.id, famrel: 1, health: 1, gender: null },
      { org_id: ms.id, famrel: 4, health: 5, gender: 'boy' },
      { org_id: gp.id, famrel: 5, health: 5, gender: 'girl' },
    ]);
    const [row] = await queryRows<{ ids: number }>(ctx.db, sql`select count(*)::int as ids from survey_responses where administration_id = ${job.administrationId} and (other::text like '%10%' or groups::text like '%10%')`);
    expect(row.ids).toBe(0);
  });
});
