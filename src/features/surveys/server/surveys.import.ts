/**
 * Importing past survey results as a closed administration, so reports treat them like any other.
 * Step one reads the file and proposes how its columns match the instrument ("inspect"); step two
 * imports with the confirmed matching in the background ("run"), all in one transaction.
 *
 * Privacy: a file is held in this process's memory between the two steps (never on disk), only
 * for the person who uploaded it, and dropped when imported or after two hours. Only answers to
 * the instrument's rated items and demographic questions are stored, with the school and the day
 * the survey was given: no line numbers, no column the coordinator did not match, no identifier
 * (columns with a different value on every row cannot be matched), and rows are written in a
 * random order, so the stored order says nothing of the file's.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Actor, assertCan } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { AppError, badRequest, conflict, notFound } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import type { InstrumentDefinition } from '../../instruments/model/instrument.schema.js';
import { findOrg, inSubtree, type OrgRow } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { ImportColumn, ImportJob, ImportReport, ImportSchool, ImportTarget, Inspection, RowIssue } from '../surveys.import.contract.js';
import { type Answer, proposeSchoolColumn, proposeTarget } from '../surveys.import.mapping.js';
import { MAX_CELLS, readTable, type Table } from './surveys.import.parse.js';
import { type ColumnPlan, columnLabel, importTargets, isIdentifier, nextDay, planColumns, planSchools, type RunBody, type SchoolPlan } from './surveys.import.plan.js';
import { encodeResponse } from './surveys.public.js';
import { insertSites, surveyDefinition } from './surveys.service.js';
import { surveyAdministrations } from './surveys.tables.js';
import { zonedToInstant } from './surveys.time.js';
import { type ResponseRow, responseColumns, responseValues } from './surveys.writer.js';

const UPLOAD_TTL_MS = 2 * 3_600_000;
const MAX_UPLOADS = 20;
/** Cells of all files held at once (two bytes each): about 200 MB. */
const MAX_HELD_CELLS = 2.5 * MAX_CELLS;
const JOB_TTL_MS = 24 * 3_600_000;
/** Rows per multi-row insert: 11 parameters each, well under PostgreSQL's 65,535. */
const BATCH = 1_000;
const MAX_INVALID_REPORTED = 500;
const MAX_LINES = 5;
/** Values listed per column (by frequency) for the matching page: enough for a state's schools. */
const MAX_VALUES_SHOWN = 1_000;

interface Upload {
  id: string;
  userId: number;
  orgId: number;
  fileName: string | null;
  def: InstrumentDefinition;
  targets: ImportTarget[];
  table: Table;
  expiresAt: number;
}

type Job = ImportJob & { userId: number; finishedAt: number | null };

const uploads = new Map<string, Upload>();
const jobs = new Map<string, Job>();

function forgetExpired(now = Date.now()): void {
  for (const [id, u] of uploads) if (u.expiresAt <= now) uploads.delete(id);
  for (const [id, j] of jobs) if (j.finishedAt !== null && j.finishedAt + JOB_TTL_MS <= now) jobs.delete(id);
}

/** Keeps one file per person (a new upload replaces theirs) and at most MAX_UPLOADS in all. */
function keep(upload: Upload): void {
  forgetExpired();
  for (const [id, u] of uploads) if (u.userId === upload.userId) uploads.delete(id);
  const cells = (u: Upload) => u.table.rows * u.table.columns.length;
  let held = [...uploads.values()].reduce((n, u) => n + cells(u), cells(upload));
  // Oldest first, until the files held fit in memory together.
  for (const [id, u] of uploads) {
    if (uploads.size < MAX_UPLOADS && held <= MAX_HELD_CELLS) break;
    uploads.delete(id);
    held -= cells(u);
  }
  uploads.set(upload.id, upload);
}

/** Active schools of an organisation (itself when it is one), by name. */
async function schoolsOf(db: Db, org: OrgRow) {
  return db
    .select({ id: organizations.id, code: organizations.code, name: organizations.name, stateId: organizations.stateId })
    .from(organizations)
    .where(and(inSubtree(org.path), eq(organizations.kind, 'school'), eq(organizations.status, 'active')))
    .orderBy(asc(organizations.name))
    .limit(20_000);
}

/** The organisation whose schools the file is about, if the caller may run surveys there. */
async function runningOrg(db: Db, actor: Actor, orgId: number): Promise<OrgRow> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'survey.run', org);
  if (org!.status !== 'active') throw conflict('This organisation is archived.', 'orgId');
  return org!;
}

/**
 * Reads an uploaded file and proposes a matching: for each column its values and the slot its
 * name suggests, and the column that names each row's school.
 * @throws AppError not_found | forbidden | conflict (archived) | validation_failed (instrument) | bad_file | payload_too_large
 */
export async function inspectUpload(db: Db, actor: Actor, q: { orgId: number; instrumentId: string; version?: number; fileName?: string }, input: Buffer): Promise<Inspection> {
  const org = await runningOrg(db, actor, q.orgId);
  const def = await surveyDefinition(db, actor, q.instrumentId, q.version);
  const table = await readTable(input);
  const schools: ImportSchool[] = (await schoolsOf(db, org)).map(({ id, code, name }) => ({ id, code, name }));
  if (!schools.length) throw badRequest(`${org.name} has no active school to import results for.`, 'orgId');
  const targets = importTargets(def);
  const columns: ImportColumn[] = table.columns.map((c, index) => {
    const order = c.codes ? c.dict.map((value, code) => ({ value, count: c.counts[code] })).slice(1).sort((a, b) => b.count - a.count) : [];
    return { index, name: c.name, distinct: c.distinct, values: order.slice(0, MAX_VALUES_SHOWN), missing: c.counts[0], identifier: isIdentifier(c, table.rows), proposal: null };
  });
  const schoolColumn = proposeSchoolColumn(columns, (c) => table.columns[c.index].dict.slice(1), schools);
  const taken = new Set<string>();
  for (const c of columns) {
    if (c.identifier || c.index === schoolColumn) continue;
    c.proposal = proposeTarget(c.name, targets, taken);
    if (c.proposal) taken.add(c.proposal);
  }
  const upload: Upload = { id: randomUUID(), userId: actor.userId, orgId: org.id, fileName: q.fileName ?? null, def, targets, table, expiresAt: Date.now() + UPLOAD_TTL_MS };
  keep(upload);
  return {
    uploadId: upload.id, fileName: upload.fileName, instrumentId: def.id, instrumentVersion: def.version, languages: def.languages, rows: table.rows, delimiter: table.delimiter,
    columns, targets, schoolColumn, schools, skipped: table.skipped,
  };
}

/**
 * Starts importing an inspected file as a closed administration, after checking the matching
 * (a wrong one is a 400 and nothing runs). Rows are read into responses, then written in
 * multi-row inserts inside one transaction: a failure leaves nothing behind.
 * @throws AppError validation_failed (names the field) | not_found | forbidden | conflict
 */
export async function startImport(db: Db, actor: Actor, body: RunBody, opts: { ip: string | null; onError?: (err: unknown) => void }): Promise<{ id: string; done: Promise<void> }> {
  forgetExpired();
  const upload = uploads.get(body.uploadId);
  if (!upload || upload.userId !== actor.userId) throw badRequest('This file is no longer held (files are kept two hours, until imported). Upload it again.', 'uploadId');
  const org = await runningOrg(db, actor, upload.orgId);
  const { def } = upload;
  if (!def.languages.includes(body.language)) throw badRequest(`This instrument is not written in "${body.language}".`, 'language');
  const opensAt = zonedToInstant(`${body.givenOn}T00:00`, body.timeZone);
  const closesAt = zonedToInstant(`${nextDay(body.givenOn)}T00:00`, body.timeZone);
  if (closesAt.getTime() > Date.now()) throw badRequest('Choose a day that is over: imported results are a closed survey.', 'givenOn');
  const schools = await schoolsOf(db, org);
  const school = planSchools(upload, body, schools, org.name);
  const plans = planColumns(upload, body, school.column);

  // The file is this job's now: a second click cannot import it twice.
  uploads.delete(upload.id);
  const id = randomUUID();
  const job: Job = {
    id, userId: actor.userId, orgId: org.id, title: body.title, fileName: upload.fileName, status: 'running', phase: 'reading', read: 0, written: 0, total: upload.table.rows,
    administrationId: null, report: null, error: null, finishedAt: null,
  };
  jobs.set(id, job);
  const done = runImport(db, actor, { job, upload, body, org, schools, school, plans, opensAt, closesAt, ip: opts.ip }).catch((err) => {
    job.status = 'failed';
    if (!(err instanceof AppError)) opts.onError?.(err);
    job.error = err instanceof AppError ? err.message : 'The import failed; nothing was written. Try again, or split the file.';
    // The coordinator may fix the matching and try again without uploading the file anew.
    if (upload.expiresAt > Date.now()) keep(upload);
  }).finally(() => {
    job.finishedAt = Date.now();
  });
  return { id, done };
}

interface RunContext {
  job: Job;
  upload: Upload;
  body: RunBody;
  org: OrgRow;
  schools: Awaited<ReturnType<typeof schoolsOf>>;
  school: SchoolPlan;
  plans: ColumnPlan[];
  opensAt: Date;
  closesAt: Date;
  ip: string | null;
}

async function runImport(db: Db, actor: Actor, c: RunContext): Promise<void> {
  const started = performance.now();
  const { job, upload, body } = c;
  const { table, def } = upload;
  const schoolById = new Map(c.schools.map((s) => [s.id, s]));
  const skipped = new Map<RowIssue['reason'], RowIssue>(table.skipped.map((s) => [s.reason, { ...s, lines: [...s.lines] }]));
  const skip = (reason: RowIssue['reason'], line: number) => {
    let s = skipped.get(reason);
    if (!s) skipped.set(reason, (s = { reason, count: 0, lines: [] }));
    s.count++;
    if (s.lines.length < 10) s.lines.push(line);
  };
  const schoolCodes = c.school.column === null ? null : table.columns[c.school.column].codes!;
  const perSchool = new Map<number, number>();
  const rows: { orgId: number; ratings: (number | null)[]; groups: Record<string, string | string[]> }[] = [];

  for (let r = 0; r < table.rows; r++) {
    const orgId = c.school.fixed ?? c.school.bySchoolCode[schoolCodes![r]];
    if (!orgId) {
      skip('noSchool', table.lines[r]);
    } else {
      const answers: Record<string, Answer> = {};
      let any = false;
      for (const p of c.plans) {
        const code = p.codes[r];
        const reading = p.readings[code];
        if (reading.kind === 'answer') {
          answers[p.target.id] = reading.value;
          any = true;
        } else if (reading.kind === 'invalid') {
          let bad = p.invalid.get(code);
          if (!bad) p.invalid.set(code, (bad = { count: 0, lines: [] }));
          bad.count++;
          if (bad.lines.length < MAX_LINES) bad.lines.push(table.lines[r]);
        }
      }
      if (!any) skip('noAnswer', table.lines[r]);
      else {
        const { ratings, groups } = encodeResponse(def, answers);
        rows.push({ orgId, ratings, groups });
        perSchool.set(orgId, (perSchool.get(orgId) ?? 0) + 1);
      }
    }
    if ((r + 1) % 5_000 === 0) {
      job.read = r + 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  job.read = table.rows;
  if (!rows.length) throw new AppError('bad_file', 'No row has an answer in the matched columns with a school; nothing was imported. Check the matching of columns and values.');
  // Written in a random order: the stored order says nothing of the file's.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }

  job.phase = 'writing';
  const demographics = c.plans.filter((p) => p.target.kind === 'demographic').map((p) => p.target.id);
  const note = { en: 'Past results imported from a file; the notice given at the time is not recorded here.', fr: "Résultats passés importés d'un fichier ; l'avis donné à l'époque n'est pas conservé ici.", es: 'Resultados anteriores importados de un archivo; el aviso dado en su momento no se conserva aquí.' };
  const administrationId = await db.transaction(async (tx) => {
    const [a] = await tx
      .insert(surveyAdministrations)
      .values({
        orgId: c.org.id, stateId: c.org.stateId, instrumentId: def.id, instrumentVersion: def.version, title: body.title, audience: def.audience, languages: [body.language],
        opensAt: c.opensAt, closesAt: c.closesAt, timeZone: body.timeZone, consentModel: 'passive', notice: note, assent: note, demographics,
        openLink: false, accessCodes: false, createdBy: actor.userId || null,
      })
      .returning({ id: surveyAdministrations.id });
    await insertSites(tx, a.id, [...perSchool.keys()]);
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH).map(
        (row): ResponseRow => ({
          administrationId: a.id, orgId: row.orgId, stateId: schoolById.get(row.orgId)!.stateId, instrumentVersion: def.version, language: body.language,
          submissionId: randomUUID(), ratings: row.ratings, groups: row.groups, other: {}, blank: false, submittedOn: body.givenOn,
        }),
      );
      await tx.execute(sql`insert into survey_responses (${responseColumns}) values ${sql.join(batch.map((b) => sql`(${responseValues(b)})`), sql`, `)}`);
      job.written = i + batch.length;
    }
    await writeAudit(tx, {
      action: 'survey.imported', actor, org: c.org, targetType: 'survey_administration', targetId: a.id, ip: c.ip,
      details: { instrument: `${def.id}@${def.version}`, fileName: upload.fileName, rows: table.rows, imported: rows.length, schools: perSchool.size, columns: c.plans.length },
    });
    return a.id;
  });

  const invalid: ImportReport['invalid'] = c.plans
    .flatMap((p) => [...p.invalid].sort((a, b) => b[1].count - a[1].count).map(([code, v]) => ({ column: columnLabel(table, p.index), target: p.target.id, value: table.columns[p.index].dict[code], count: v.count, lines: v.lines })))
    .slice(0, MAX_INVALID_REPORTED);
  const used = new Set([...c.plans.map((p) => p.index), ...(c.school.column === null ? [] : [c.school.column])]);
  job.report = {
    imported: rows.length,
    skipped: [...skipped.values()],
    perSchool: [...perSchool].map(([orgId, n]) => ({ orgId, name: schoolById.get(orgId)!.name, responses: n })).sort((a, b) => a.name.localeCompare(b.name)),
    unmappedColumns: table.columns.map((_, i) => i).filter((i) => !used.has(i)).map((i) => columnLabel(table, i)),
    invalid,
    seconds: Math.round(performance.now() - started) / 1000,
  };
  job.administrationId = administrationId;
  job.phase = 'finished';
  job.status = 'done';
}

/** Counts only, by the job's unguessable id: answers while the embedded database is busy writing. */
export function getImportProgress(id: string) {
  forgetExpired();
  const job = jobs.get(id);
  if (!job) throw notFound('Import');
  const { status, phase, read, written, total } = job;
  return { id, status, phase, read, written, total };
}

/**
 * An import's progress and report, for the person who started it while they may still run
 * surveys at its organisation (the report quotes values of their file).
 * @throws AppError not_found | forbidden
 */
export async function getImportJob(db: Db, actor: Actor, id: string): Promise<ImportJob> {
  forgetExpired();
  const job = jobs.get(id);
  if (!job || job.userId !== actor.userId) throw notFound('Import');
  assertCan(actor, 'survey.run', await findOrg(db, job.orgId), 'Import');
  const { id: jobId, status, phase, read, written, total, orgId, title, fileName, administrationId, report, error } = job;
  return { id: jobId, status, phase, read, written, total, orgId, title, fileName, administrationId, report, error };
}
