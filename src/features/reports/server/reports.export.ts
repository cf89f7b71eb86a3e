import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { type Actor, can } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { AppError, notFound } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import type { LanguageCode } from '../../instruments/model/lang.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { SurveyReport } from '../reports.contract.js';
import type { SurveyExportJob, SurveyExportRequest } from '../reports.export.contract.js';
import { PdfExport } from './reports.export.pdf.js';
import { type ExportFile, type OrgReports, TableExport } from './reports.export.table.js';
import { exportWords, levelWord } from './reports.export.words.js';
import { getSurveyReport } from './reports.service.js';

/** Exports running at once in this process; the rest wait their turn. */
const MAX_RUNNING = 2;
/** Exports one person may have waiting or running. */
const MAX_UNFINISHED_PER_USER = 3;
/** How long a finished export (and its file) is kept for its owner. */
const KEEP_MS = 60 * 60 * 1000;

interface Job {
  id: string;
  userId: number;
  /** The exported organisation's path: the owner must still be able to read it to fetch the file. */
  orgPath: string;
  status: SurveyExportJob['status'];
  done: number;
  total: number;
  error?: string;
  file?: ExportFile;
  cancelled: boolean;
  run: () => Promise<void>;
  db: Db;
}

const jobs = new Map<string, Job>();
const queue: Job[] = [];
const running = new Set<Promise<void>>();

/** Lets other requests in between two organisations of a long export. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

function pump(): void {
  while (running.size < MAX_RUNNING && queue.length) {
    const job = queue.shift()!;
    if (job.cancelled) {
      job.status = 'failed';
      job.error = 'The server stopped before this export was started; start it again.';
      continue;
    }
    job.status = 'running';
    const p = job.run().finally(() => {
      running.delete(p);
      // Kept an hour for its owner, then forgotten, file and all.
      setTimeout(() => jobs.delete(job.id), KEEP_MS).unref();
      pump();
    });
    running.add(p);
  }
}

type OrgRow = NonNullable<Awaited<ReturnType<typeof findOrg>>>;
interface Node {
  org: OrgRow;
  /** The report by organisation below (for any organisation that is not a school). */
  below: SurveyReport | null;
  /** The kinds of the organisations below, for the grouping's name. */
  childKinds: string[];
}

/**
 * The organisations an export covers, each with its report by organisation below: the chosen one
 * and, for `org_and_below`, every organisation below it with respondents (the report's own columns
 * name them), in reading order, parent before children.
 */
async function walk(db: Db, actor: Actor, administrationId: number, top: OrgRow, req: SurveyExportRequest, job: Job): Promise<Node[]> {
  const out: Node[] = [];
  const visit = async (org: OrgRow, depth: number): Promise<void> => {
    if (job.cancelled) return;
    const below = org.kind === 'school' ? null : await getSurveyReport(db, actor, administrationId, { org: org.id, by: 'school', lang: req.lang });
    const ids = below?.columns.map((c) => Number(c.key)) ?? [];
    const rows = ids.length ? await db.select().from(organizations).where(inArray(organizations.id, ids)) : [];
    // Only organisations the exporter may read themselves (grants reach downwards: all of them, unless that changes).
    const children = ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is OrgRow => !!r && can(actor, 'survey.read', r));
    out.push({ org, below, childKinds: [...new Set(children.map((c) => c.kind))] });
    job.total = out.length;
    if (depth === 0 && req.scope === 'org') return;
    for (const child of children) {
      if (child.kind === 'school') {
        out.push({ org: child, below: null, childKinds: [] });
        job.total = out.length;
      } else {
        await breathe();
        await visit(child, depth + 1);
      }
    }
  };
  await visit(top, 0);
  return out;
}

/** Every report of one organisation an export prints: overall (or by organisation below) and by each demographic question. */
async function reportsOf(db: Db, actor: Actor, administrationId: number, node: Node, lang: LanguageCode): Promise<OrgReports> {
  const w = exportWords[lang];
  // By organisation below uses the plan of everyone, so its overall figures are the report's overall ones.
  const main = node.below ?? (await getSurveyReport(db, actor, administrationId, { org: node.org.id, lang }));
  const groupings: OrgReports['groupings'] = [];
  if (node.below?.columns.length) {
    const kind = node.childKinds.length === 1 ? node.childKinds[0] : null;
    groupings.push({ label: kind ? levelWord(w, kind, node.org.country) : w.below, report: node.below });
  }
  for (const d of main.dimensions) groupings.push({ label: d.label, report: await getSurveyReport(db, actor, administrationId, { org: node.org.id, by: d.id, lang }) });
  return { org: { id: node.org.id, name: node.org.name, code: node.org.code, kind: node.org.kind, country: node.org.country }, main, groupings };
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'org';

export interface ExportOptions {
  ip?: string | null;
  /** Where a failure's cause goes (the server log); the owner sees a plain message. */
  onError?: (err: unknown) => void;
}

/**
 * Starts an export of a closed survey's results for an organisation (and those below it): the
 * same reports the caller may read on screen, through the same suppression plan, flattened to CSV
 * or XLSX or laid out as one PDF report per organisation. Refuses at once what the report would
 * refuse; builds in the background, at most two at a time per process, and writes the audit entry
 * when the file is ready.
 * @throws AppError not_found | conflict (survey not closed) | validation_failed | rate_limited
 */
export async function startSurveyExport(db: Db, actor: Actor, administrationId: number, req: SurveyExportRequest, opts: ExportOptions = {}): Promise<{ jobId: string }> {
  // The top organisation's report, once now: unknown, out of scope and still open answer before anything is queued.
  const top = await getSurveyReport(db, actor, administrationId, { org: req.org, lang: req.lang });
  const org = await findOrg(db, top.org.id);
  if (!org) throw notFound('Results for this organisation');
  const unfinished = [...jobs.values()].filter((j) => j.userId === actor.userId && (j.status === 'queued' || j.status === 'running'));
  if (unfinished.length >= MAX_UNFINISHED_PER_USER) throw new AppError('rate_limited', 'Three of your exports are still being prepared; wait for one to finish.', undefined, 10);

  const id = randomUUID();
  const w = exportWords[req.lang];
  const name = `survey-${administrationId}-${safeName(org.code)}${req.scope === 'org_and_below' ? '-and-below' : ''}`;
  const job: Job = { id, userId: actor.userId, orgPath: org.path, status: 'queued', done: 0, total: 0, cancelled: false, db, run: async () => undefined };
  job.run = async () => {
    try {
      const nodes = await walk(db, actor, administrationId, org, req, job);
      const table = req.format === 'pdf' ? null : new TableExport(w, top);
      const pdf = req.format === 'pdf' ? new PdfExport(w, req.lang, `${top.administration.title}: ${org.name}`) : null;
      for (const node of nodes) {
        if (job.cancelled) throw new AppError('conflict', 'The server stopped before this export was finished; start it again.');
        const reports = await reportsOf(db, actor, administrationId, node, req.lang);
        table?.add(reports);
        await pdf?.add(reports);
        job.done++;
        await breathe();
      }
      const file = pdf ? await pdf.finish(name) : req.format === 'csv' ? await table!.csv(name) : await table!.xlsx(name, req.scope);
      // Every export of respondents' figures is on the audit log (DESIGN.md §3 rule 8), before anyone can fetch it.
      await writeAudit(db, {
        action: 'survey.results_exported',
        actor,
        org,
        targetType: 'survey_administration',
        targetId: administrationId,
        details: { administrationId, orgId: org.id, format: req.format, scope: req.scope, organisations: nodes.length, lang: req.lang },
        ip: opts.ip ?? null,
      });
      job.file = file;
      job.status = 'done';
    } catch (err) {
      job.status = 'failed';
      job.error = err instanceof AppError && err.statusCode < 500 ? err.message : 'The export could not be prepared; try again.';
      if (!(err instanceof AppError)) opts.onError?.(err);
    }
  };
  jobs.set(id, job);
  queue.push(job);
  pump();
  return { jobId: id };
}

/** A job of the caller's, while they may still read its organisation; anyone else's answers 404 alike. */
function ownJob(actor: Actor, jobId: string): Job {
  const job = jobs.get(jobId);
  if (!job || job.userId !== actor.userId || !can(actor, 'survey.read', { path: job.orgPath })) throw notFound('Export');
  return job;
}

/**
 * Progress of an export: organisations done out of all of them, and the file's name when ready.
 * @throws AppError not_found
 */
export function getSurveyExport(actor: Actor, jobId: string): SurveyExportJob {
  const job = ownJob(actor, jobId);
  return { status: job.status, done: job.done, total: job.total, ...(job.error ? { error: job.error } : {}), ...(job.file ? { fileName: job.file.fileName } : {}) };
}

/**
 * The finished file of an export.
 * @throws AppError not_found | conflict (not ready yet, or failed)
 */
export function getSurveyExportFile(actor: Actor, jobId: string): ExportFile {
  const job = ownJob(actor, jobId);
  if (!job.file) throw new AppError('conflict', job.status === 'failed' ? (job.error ?? 'This export failed.') : 'This export is not ready yet.');
  return job.file;
}

/** On shutdown: exports on this database stop between two organisations, and are waited for. */
export async function stopSurveyExports(db: Db): Promise<void> {
  for (const job of jobs.values()) if (job.db === db) job.cancelled = true;
  await Promise.allSettled([...running]);
}
