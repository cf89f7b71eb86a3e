// `npm run bench`: the product's performance figures on this machine, for docs/benchmarks.md.
// Runs on PGlite, or on PostgreSQL when TEST_DATABASE_URL is set (scripts/bench.mjs does both).
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.js';
import { testConfig } from '../src/server/config.js';
import { openDatabase, queryRows } from '../src/server/db/client.js';
import { importDirectory } from '../src/features/organizations/server/directory/directory.service.js';
import { reserveOrgIds } from '../src/features/organizations/server/organizations.queries.js';
import { organizations } from '../src/features/organizations/server/organizations.tables.js';
import type { Actor } from '../src/server/authz/scope.js';
import { createTestDatabase } from '../src/server/test/test-db.js';
import { syncShippedContent } from '../src/features/instruments/server/content.sync.js';
import { refreshAllRollups } from '../src/features/assessments/server/coverage.queries.js';
import { makeOrg, makeUser, TEST_PASSWORD } from '../src/server/test/factories.js';
import { extdataPath } from '../src/server/test/extdata.js';
import { jsonPoster, makeSurveyWorld, startServerProcess, syntheticAnswers } from '../src/server/test/survey-world.js';
import { textArray } from '../src/server/db/arrays.js';
import { load, machine, percentile, summary } from './lib.js';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const engine = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const cdeFile = extdataPath('school_directory/ca_pubschls.csv');
const operator: Actor = { userId: 0, email: 'bench', isOperator: true, grants: [] };

async function benchImport() {
  const database = await createTestDatabase();
  const network = await makeOrg(database.db, null, 'network', { code: 'BENCH' });
  let t = performance.now();
  const first = await importDirectory(database.db, operator, { input: cdeFile, underCode: network.code, dryRun: false });
  const firstMs = performance.now() - t;
  t = performance.now();
  const again = await importDirectory(database.db, operator, { input: cdeFile, underCode: network.code, dryRun: false });
  const againMs = performance.now() - t;
  console.log(`import CDE (17,813 rows): first ${(firstMs / 1000).toFixed(2)} s (${first.created} created, ${first.archived} archived), again ${(againMs / 1000).toFixed(2)} s (${again.unchanged} unchanged) — goal ≤ 10 s`);
  await database.close();
}

/** A state with 10,000 schools in 50 districts, browsed and searched over HTTP. */
async function benchTreeAndLogin() {
  const database = await createTestDatabase();
  const db = database.db;
  const network = await makeOrg(db, null, 'network');
  const state = await makeOrg(db, network, 'state');
  const districtIds = await reserveOrgIds(db, 50);
  await db.insert(organizations).values(
    districtIds.map((id, d) => ({ id, parentId: state.id, stateId: state.id, kind: 'district', code: `D${d}`, name: `District ${d}`, path: `${state.path}${id}/`, depth: 2 })),
  );
  const schoolIds = await reserveOrgIds(db, 10_000);
  const levels = ['Elementary', 'Middle', 'High', 'Academy'];
  const rows = schoolIds.map((id, i) => {
    const d = districtIds[i % 50];
    return { id, parentId: d, stateId: state.id, kind: 'school', code: `S${100000 + i}`, name: `${levels[i % 4]} School ${i}`, path: `${state.path}${d}/${id}/`, depth: 3, enrolment: 200 + (i % 900) };
  });
  for (let i = 0; i < rows.length; i += 2000) await db.insert(organizations).values(rows.slice(i, i + 2000));
  await queryRows(db, sql`analyze organizations`);
  const admin = await makeUser(db, { role: 'admin', org: network, email: 'bench-admin@example.test' });
  const districtAdmin = await makeUser(db, { role: 'admin', org: { ...state, id: districtIds[7], path: `${state.path}${districtIds[7]}/` }, email: 'bench-district@example.test' });
  const logins = await Promise.all(Array.from({ length: 40 }, (_, i) => makeUser(db, { email: `bench-login-${i}@example.test` })));

  const app = await buildApp({ db, config: testConfig({ loginRateLimitPerMinute: 1_000_000 }), serveClient: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const signIn = async (email: string) => {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    if (res.status !== 200) throw new Error(`login ${res.status}`);
    return res.headers.get('set-cookie')!.split(';')[0];
  };
  const get = async (cookie: string, url: string) => {
    const res = await fetch(base + url, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${url} ${res.status}`);
    await res.arrayBuffer();
  };

  const adminCookie = await signIn(admin.email);
  const districtCookie = await signIn(districtAdmin.email);
  const cases: [string, string, string][] = [
    ['state children (50 districts)', adminCookie, `/api/orgs?parentId=${state.id}`],
    ['district children (200 schools, page of 50)', adminCookie, `/api/orgs?parentId=${districtIds[3]}&offset=100&limit=50`],
    ['search name in 10,000 schools ("middle school 77")', adminCookie, `/api/orgs?q=${encodeURIComponent('middle school 77')}`],
    ['search code prefix ("S1042")', adminCookie, '/api/orgs?q=S1042'],
    ['search across state, page 20 ("school")', adminCookie, '/api/orgs?q=school&offset=950&limit=50'],
    ['search as district admin ("school")', districtCookie, '/api/orgs?q=school'],
    ['one school with breadcrumb', adminCookie, `/api/orgs/${schoolIds[4321]}`],
  ];
  for (const [label, cookie, url] of cases) {
    await get(cookie, url);
    const { times } = await load(200, 4, () => get(cookie, url));
    console.log(`tree: ${label}: ${summary(times)}`);
  }

  // Sign-in is dominated by argon2id (19 MiB, 2 passes) by design.
  const { times, wallMs } = await load(200, 8, async (i) => {
    await signIn(logins[i % logins.length].email);
  });
  console.log(`login: ${(times.length / (wallMs / 1000)).toFixed(1)} sign-ins/s with 8 concurrent clients, ${summary(times)}`);
  await app.close();
  await database.close();
}

/** A state of 10,000 schools with three school years of profiles and self-assessments. */
async function benchAssessments() {
  const database = await createTestDatabase();
  const db = database.db;
  await syncShippedContent(db);
  const network = await makeOrg(db, null, 'network');
  const state = await makeOrg(db, network, 'state');
  const districtIds = await reserveOrgIds(db, 50);
  await db.insert(organizations).values(districtIds.map((id, d) => ({ id, parentId: state.id, stateId: state.id, kind: 'district', code: `D${d}`, name: `District ${d}`, path: `${state.path}${id}/`, depth: 2 })));
  const schoolIds = await reserveOrgIds(db, 10_000);
  const rows = schoolIds.map((id, i) => ({ id, parentId: districtIds[i % 50], stateId: state.id, kind: 'school', code: `S${i}`, name: `School ${i}`, path: `${state.path}${districtIds[i % 50]}/${id}/`, depth: 3, enrolment: 300 + (i % 700) }));
  for (let i = 0; i < rows.length; i += 2000) await db.insert(organizations).values(rows.slice(i, i + 2000));
  // Three years × two instruments; about 85 % submitted, the rest under way (deterministic).
  await queryRows(db, sql`insert into assessments (org_id, state_id, instrument_id, instrument_version, school_year, term, status, submitted_at)
    select o.id, o.state_id, i.inst, 1, y.year, 'full_year',
      case when (o.id * 31 + length(y.year || i.inst) * 7) % 100 < 85 then 'submitted' else 'in_progress' end, now()
    from organizations o cross join (values ('2024-2025'), ('2025-2026'), ('2026-2027')) y(year) cross join (values ('quality_school'), ('school_mh_profile')) i(inst)
    where o.kind = 'school' and o.state_id = ${state.id}`);
  const scales = ['teaming', 'needs_assessment', 'screening', 'promotion', 'early_intervention', 'funding', 'impact', 'overall'];
  await queryRows(db, sql`insert into assessment_scores (assessment_id, scale_id, score, band, answered, total)
    select a.id, s.scale, sc.v, case when sc.v >= 5 then 'mastery' when sc.v >= 3 then 'progressing' else 'emerging' end, 7, 7
    from assessments a cross join unnest(string_to_array(${scales.join(",")}, ',')) s(scale)
    cross join lateral (select 1 + ((a.id * 7 + length(s.scale) * 13) % 51) / 10.0 as v) sc
    where a.status = 'submitted' and a.instrument_id = 'quality_school'`);
  await refreshAllRollups(db);
  await queryRows(db, sql`analyze`);
  const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from assessment_scores`);
  const admin = await makeUser(db, { role: 'admin', org: state, email: 'bench-state@example.test' });
  const app = await buildApp({ db, config: testConfig({ loginRateLimitPerMinute: 1_000_000 }), serveClient: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: TEST_PASSWORD }) });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const get = async (url: string) => {
    const res = await fetch(base + url, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${url} ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  console.log(`assessments: 10,000 schools, 60,000 assessments, ${n.toLocaleString('en')} stored scale scores`);
  const cases: [string, string][] = [
    ['state coverage (2 instruments)', `/api/orgs/${state.id}/coverage?schoolYear=2026-2027`],
    ['state heat map (50 districts × 8 domains)', `/api/orgs/${state.id}/quality/heatmap?schoolYear=2026-2027`],
    ['district heat map (200 schools × 8 domains)', `/api/orgs/${districtIds[5]}/quality/heatmap?schoolYear=2026-2027`],
    ['state bands per domain', `/api/orgs/${state.id}/quality/bands?schoolYear=2026-2027`],
    ['state mastery trend (3 years)', `/api/orgs/${state.id}/quality/trend`],
    ['state school table, page 40', `/api/orgs/${state.id}/coverage/schools?schoolYear=2026-2027&offset=1950&limit=50`],
  ];
  for (const [label, url] of cases) {
    await get(url);
    const { times } = await load(60, 4, () => get(url));
    console.log(`coverage: ${label}: ${summary(times)}`);
  }
  // Answer saves on one live assessment, four people at once.
  const started = await fetch(`${base}/api/assessments`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify({ orgId: schoolIds[0], instrumentId: 'quality_school', schoolYear: '2026-2027', term: 'fall' }),
  });
  const { id } = (await started.json()) as { id: number };
  const slots = ['teaming', 'screening', 'promotion', 'impact'].flatMap((d) => Array.from({ length: 6 }, (_, i) => `${d}_${i + 1}`));
  const { times } = await load(300, 4, async (i) => {
    const res = await fetch(`${base}/api/assessments/${id}/answers/${slots[i % slots.length]}`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ value: 1 + (i % 6) }),
    });
    if (res.status !== 200) throw new Error(`save ${res.status}`);
    await res.arrayBuffer();
  });
  console.log(`assessment: answer save, 4 people at once: ${summary(times)} — goal p95 ≤ 20 ms`);
  await app.close();
  await database.close();
}

/**
 * Survey ingest over HTTP: the product in its own process (as `npm start` runs it, with the
 * roll-up job on), 50 clients posting responses to 100 schools' open links as fast as it answers.
 */
async function benchIngest() {
  const dir = mkdtempSync(path.join(tmpdir(), 'sw-bench-ingest-'));
  const prepared = await createTestDatabase({ dataDir: dir });
  const { links } = await makeSurveyWorld(prepared.db, 100);
  if (!prepared.url) await prepared.close();
  const server = await startServerProcess(prepared.url ? { DATABASE_URL: prepared.url } : { DATA_DIR: dir });
  const bodies = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ code: links[i % links.length], submissionId: randomUUID(), language: 'en', answers: syntheticAnswers(i) }));
  const client = jsonPoster(server.base, 50);
  const post = async (body: string) => {
    const res = await client.post('/api/public/responses', body);
    if (res.status !== 201) throw new Error(`ingest ${res.status} ${res.body}`);
  };
  try {
    const warm = bodies(2000);
    await load(warm.length, 50, (i) => post(warm[i]));
    await fetch(`${server.base}/api/health`); // resets the event-loop figures
    const n = 40_000;
    const batch = bodies(n);
    const { times, wallMs } = await load(n, 50, (i) => post(batch[i]));
    const health = (await (await fetch(`${server.base}/api/health`)).json()) as { eventLoop: { p99Ms: number; maxMs: number } };
    console.log(`ingest: 50 clients, ${n.toLocaleString('en')} responses: ${Math.round((n / wallMs) * 1000).toLocaleString('en')} responses/s, p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; server event loop p99 ${health.eventLoop.p99Ms} ms, max ${health.eventLoop.maxMs} ms — goal ${engine === 'PGlite' ? '≥ 1,000' : '≥ 3,000'}/s, p99 ≤ 100 ms`);
    // The roll-up job runs beside the load; how far behind is it a few seconds later?
    await new Promise((r) => setTimeout(r, 5000));
  } finally {
    client.close();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  const after = prepared.url ? prepared : await openDatabase({ dataDir: dir });
  const [lag] = await queryRows<{ pending: number; total: number }>(after.db, sql`select (count(*) filter (where not rolled))::int as pending, count(*)::int as total from survey_responses`);
  console.log(`ingest: roll-up 5 s after the load: ${lag.pending.toLocaleString('en')} of ${lag.total.toLocaleString('en')} responses not yet counted`);
  await after.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Survey reports at scale: 1,000,000 responses × 20 items over 1,000 schools in 40 districts and
 * 2 states, counted by the roll-up, then read over HTTP; the same state figures are also computed
 * straight from the responses for the ratio.
 */
async function benchReports() {
  const { closedAdministration, publishReportInstrument, wideInstrument } = await import('../src/features/reports/server/reports.fixtures.js');
  const { rollUpResponses } = await import('../src/features/surveys/server/surveys.rollup.js');
  const database = await createTestDatabase();
  const db = database.db;
  await syncShippedContent(db);
  const def = wideInstrument(20);
  await publishReportInstrument(db, def);
  const network = await makeOrg(db, null, 'network');
  const states = [await makeOrg(db, network, 'state'), await makeOrg(db, network, 'state')];
  const districtIds = await reserveOrgIds(db, 40);
  await db.insert(organizations).values(districtIds.map((id, d) => ({ id, parentId: states[d % 2].id, stateId: states[d % 2].id, kind: 'district', code: `D${d}`, name: `District ${d}`, path: `${states[d % 2].path}${id}/`, depth: 2 })));
  const schoolIds = await reserveOrgIds(db, 1000);
  await db.insert(organizations).values(
    schoolIds.map((id, i) => {
      const d = i % 40;
      const state = states[d % 2];
      return { id, parentId: districtIds[d], stateId: state.id, kind: 'school', code: `S${i}`, name: `School ${String(i).padStart(4, '0')}`, path: `${state.path}${districtIds[d]}/${id}/`, depth: 3 };
    }),
  );
  const admin = await closedAdministration(db, network, { def, title: 'Bench' });
  const perSchool = Number(process.env.BENCH_RESPONSES_PER_SCHOOL ?? 1000);
  // 1,000 responses per school (BENCH_RESPONSES_PER_SCHOOL for a quicker look): 20 ratings (some skipped), grade, gender (a rare answer too), groups.
  let t = performance.now();
  for (let i = 0; i < schoolIds.length; i += 50) {
    const ids = schoolIds.slice(i, i + 50);
    await queryRows(db, sql`insert into survey_responses (submission_id, administration_id, org_id, state_id, instrument_version, language, submitted_on, ratings, groups, other, blank)
      select gen_random_uuid(), ${admin.id}::int, o.id, o.state_id, 1, 'en', '2026-10-01',
        array(select case when abs(hashint4(g * 7919 + x * 104729 + o.id)) % 23 = 0 then null else (1 + abs(hashint4(g * 31 + x * 17 + o.id * 13)) % 5)::smallint end from generate_series(1, 20) x),
        jsonb_build_object('grade', 'g' || (6 + g % 3), 'gender_identity', case when g % 200 = 1 then 'nb' when g % 2 = 0 then 'girl' else 'boy' end)
          || case when g % 7 = 0 then '{"self_described_group": ["newcomer"]}'::jsonb else '{}'::jsonb end,
        '{}'::jsonb, false
      from organizations o cross join generate_series(1, ${perSchool}::int) g where o.id = any(${`{${ids.join(',')}}`}::int[])`);
  }
  console.log(`reports: ${(perSchool * 1000).toLocaleString('en')} responses stored in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  let counted = 0;
  for (let n; (n = await rollUpResponses(db, 10_000)) > 0; ) {
    counted += n;
    if (counted % 100_000 === 0) console.log(`reports: roll-up ${counted.toLocaleString('en')} after ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  const rollMs = performance.now() - t;
  await queryRows(db, sql`analyze`);
  const [{ rows }] = await queryRows<{ rows: number }>(db, sql`select (select count(*) from survey_item_counts)::int + (select count(*) from survey_scale_counts)::int as rows`);
  console.log(`reports: roll-up counted ${counted.toLocaleString('en')} responses in ${(rollMs / 1000).toFixed(1)} s (${Math.round(counted / (rollMs / 1000)).toLocaleString('en')}/s) into ${rows.toLocaleString('en')} rows`);

  const lead = await makeUser(db, { role: 'viewer', org: network, email: 'bench-reports@example.test' });
  const app = await buildApp({ db, config: testConfig({ loginRateLimitPerMinute: 1_000_000 }), serveClient: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: lead.email, password: TEST_PASSWORD }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const get = async (url: string) => {
    const res = await fetch(base + url, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${url} ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  const report = `/api/surveys/${admin.id}/report`;
  const state = states[0].id;
  // The first read of a grouping makes its suppression plan for the whole administration.
  for (const [label, url] of [['everyone', `${report}?org=${state}`], ['by grade', `${report}?org=${state}&by=grade`], ['by groups (many answers)', `${report}?org=${state}&by=self_described_group`]] as const) {
    t = performance.now();
    await get(url);
    console.log(`reports: first read, plan ${label}: ${(performance.now() - t).toFixed(0)} ms`);
  }
  const cases: [string, string, string][] = [
    ['state dashboard (20 items, 4 scales, beside the network, trend)', `${report}?org=${state}`, engine === 'PGlite' ? '150' : '50'],
    ['state by district', `${report}?org=${state}&by=school`, ''],
    ['state by grade', `${report}?org=${state}&by=grade`, ''],
    ['district by school (25 schools)', `${report}?org=${districtIds[4]}&by=school`, ''],
    ['one school', `${report}?org=${schoolIds[123]}`, engine === 'PGlite' ? '' : '30'],
    ['one school by gender', `${report}?org=${schoolIds[123]}&by=gender_identity`, ''],
  ];
  let dashboardP50 = 0;
  for (const [label, url, goal] of cases) {
    await get(url);
    const { times } = await load(100, 4, () => get(url));
    if (url === cases[0][1]) dashboardP50 = percentile(times, 50);
    console.log(`reports: ${label}: ${summary(times)}${goal ? ` — goal p95 ≤ ${goal} ms` : ''}`);
  }
  // Views read for the first time (the report is made, the plan is warm): 100 different schools.
  {
    const { times } = await load(100, 4, (i) => get(`${report}?org=${schoolIds[200 + i]}`));
    console.log(`reports: one school, 100 different schools, each read once (report made from the warm plan): ${summary(times)}`);
  }
  // The same state figures (respondents and every item's distribution, overall) from the responses.
  const raw = async () =>
    queryRows(db, sql`select x.ord, x.v, count(*) from survey_responses r join organizations o on o.id = r.org_id
      cross join lateral unnest(r.ratings) with ordinality x(v, ord)
      where r.administration_id = ${admin.id} and o.path like ${`${states[0].path}%`} and x.v is not null group by 1, 2`);
  await raw();
  const rawTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await raw();
    rawTimes.push(performance.now() - t0);
  }
  const rawP50 = percentile(rawTimes, 50);
  console.log(`reports: the state's item figures from raw responses in SQL: p50 ${rawP50.toFixed(0)} ms; ratio to the dashboard's p50: ${(rawP50 / dashboardP50).toFixed(0)}× — goal ≥ 25×`);
  await app.close();
  await database.close();
}

/** The respondent page's JavaScript, gzipped, from a fresh build (the budget is 80 KB). */
async function benchRespondentBundle() {
  const { ensureClientBuilt } = await import('../scripts/build-client.mjs');
  ensureClientBuilt();
  const { respondentBundleBytes } = await import('../scripts/respondent-size.mjs');
  const { files, totalGzipBytes } = respondentBundleBytes();
  console.log(`respondent page: ${(totalGzipBytes / 1024).toFixed(1)} KB of gzipped JavaScript in ${files.length} file(s) — budget 80 KB`);
}

console.log(`Schoolwell bench on ${engine} — ${machine()}`);
/**
 * The resource library at 50,000 entries: the starter library repeated with varied titles, half
 * shipped and half a network's own. Searches over HTTP with four in flight, as a reader would.
 */
async function benchResources() {
  const database = await createTestDatabase();
  const db = database.db;
  await syncShippedContent(db);
  const network = await makeOrg(db, null, 'network');
  const school = await makeOrg(db, await makeOrg(db, await makeOrg(db, network, 'state'), 'district'), 'school');
  const variants: [string, string, string][] = [
    ['for rural schools', 'pour les écoles rurales', 'para escuelas rurales'], ['in practice', 'en pratique', 'en la práctica'], ['a short guide', 'un guide court', 'una guía breve'],
    ['for newcomer families', 'pour les familles nouvellement arrivées', 'para familias recién llegadas'], ['second edition', 'deuxième édition', 'segunda edición'],
    ['for small teams', 'pour les petites équipes', 'para equipos pequeños'], ['with examples', 'avec des exemples', 'con ejemplos'], ['district version', 'version du conseil', 'versión del distrito'],
    ['for secondary schools', 'pour le secondaire', 'para secundaria'], ['a checklist', 'une liste de vérification', 'una lista de control'], ['for coaches', 'pour les entraîneurs', 'para entrenadores'],
    ['in winter', 'en hiver', 'en invierno'], ['spring update', 'mise à jour du printemps', 'actualización de primavera'], ['for counsellors', 'pour les conseillers', 'para orientadores'],
  ];
  const [start] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from resources`);
  const t0 = performance.now();
  await queryRows(db, sql`
    insert into resources (owner_org_id, type, title, summary, audiences, grade_bands, languages, elements, source, licence)
    select case when g % 2 = 0 then null else ${network.id}::int end, r.type,
      jsonb_build_object('en', (r.title->>'en') || ' — ' || v.en || ' ' || g, 'fr', (r.title->>'fr') || ' — ' || v.fr || ' ' || g, 'es', (r.title->>'es') || ' — ' || v.es || ' ' || g),
      r.summary, r.audiences, r.grade_bands, r.languages, r.elements, r.source, r.licence
    from generate_series(1, ${50_000 - start.n}::int) g
    join (select row_number() over (order by id)::int - 1 as k, * from resources) r on r.k = g % ${start.n}::int
    join (select ordinality::int - 1 as k, en, fr, es from unnest(${textArray(variants.map((v) => v[0]))}, ${textArray(variants.map((v) => v[1]))}, ${textArray(variants.map((v) => v[2]))}) with ordinality as x(en, fr, es)) v on v.k = g % ${variants.length}::int`);
  const loadMs = performance.now() - t0;
  await queryRows(db, sql`analyze`);
  const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from resources`);
  console.log(`resources: ${n.toLocaleString('en')} resources written in ${(loadMs / 1000).toFixed(1)} s`);
  const reader = await makeUser(db, { role: 'member', org: school, email: 'bench-reader@example.test' });
  const app = await buildApp({ db, config: testConfig({ loginRateLimitPerMinute: 1_000_000 }), serveClient: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: reader.email, password: TEST_PASSWORD }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const cases: [string, string][] = [
    ['browse, no words (facets over everything)', '/api/resources'],
    ['one common word ("screening")', '/api/resources?q=screening'],
    ['two words ("family engagement")', '/api/resources?q=family%20engagement'],
    ['French word, French page ("dépistage")', '/api/resources?q=d%C3%A9pistage&lang=fr'],
    ['typo ("bulying")', '/api/resources?q=bulying'],
    ['words and three filters', '/api/resources?q=belonging&type=lesson,guide&audience=students,staff&grade=middle'],
    ['filters only, page 20', '/api/resources?element=quality:screening&language=fr&offset=380&limit=20'],
    ['recommendations for a goal', '/api/resources/recommended?element=quality:screening,quality:early_intervention&limit=5'],
  ];
  const all: number[] = [];
  const alone: number[] = [];
  for (const [label, url] of cases) {
    const get = async () => {
      const res = await fetch(base + url, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${url} ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const t = performance.now();
    await get();
    const first = performance.now() - t;
    const one = await load(40, 1, get);
    const { times } = await load(80, 4, get);
    alone.push(...one.times);
    all.push(...times);
    console.log(`resources: ${label}: first ${first.toFixed(1)} ms (counts made); then one at a time ${summary(one.times)}; four at a time ${summary(times)}`);
  }
  console.log(`resources: every search above, one at a time: ${summary(alone)} — goal p95 ≤ 50 ms`);
  console.log(`resources: every search above, four at a time: ${summary(all)}`);
  await app.close();
  await database.close();
}

const only = process.env.BENCH_ONLY;
if (!only || only === 'import') await benchImport();
if (!only || only === 'tree') await benchTreeAndLogin();
if (!only || only === 'assessments') await benchAssessments();
if (!only || only === 'ingest') await benchIngest();
if (!only || only === 'reports') await benchReports();
if (!only || only === 'resources') await benchResources();
if ((!only && engine === 'PGlite') || only === 'bundle') await benchRespondentBundle();
