import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { type Actor, assertCan } from '../../../../server/authz/scope.js';
import type { Db } from '../../../../server/db/client.js';
import { AppError, notFound } from '../../../../server/http/errors.js';
import { findOrg } from '../organizations.queries.js';
import { importJobs } from '../organizations.tables.js';
import { applyDirectory, assertFileFitsTarget, assertImportTarget, type ImportSummary, resolveImportTarget } from './directory.import.js';
import { DirectoryFormatError, parseDirectory, type PresetId } from './directory.parse.js';

/** Progress of imports running in this process, by job id. */
const liveProgress = new Map<string, { done: number; total: number }>();

export interface ImportRequest {
  input: string | Buffer;
  preset?: PresetId;
  dryRun: boolean;
  fileName?: string;
  ip?: string | null;
}

/** Parses a file and turns "not a directory" into a 400 that says what columns were expected. */
async function parseOrRefuse(req: ImportRequest, onRows?: (n: number) => void) {
  try {
    return await parseDirectory(req.input, { preset: req.preset, onProgress: onRows });
  } catch (err) {
    if (err instanceof DirectoryFormatError) throw new AppError('not_a_directory', err.message, 'file');
    throw err;
  }
}

/**
 * Imports a school directory synchronously (the command line): parse, then apply under the
 * organisation with code `underCode` (or the only network).
 * @throws AppError not_a_directory | not_found | forbidden | validation_failed
 */
export async function importDirectory(db: Db, actor: Actor, req: ImportRequest & { underCode?: string; onProgress?: (phase: 'parse' | 'write', done: number, total?: number) => void }): Promise<ImportSummary> {
  const target = await resolveImportTarget(db, actor, req.underCode);
  const parsed = await parseOrRefuse(req, (n) => req.onProgress?.('parse', n));
  assertFileFitsTarget(target, parsed, 'under');
  return applyDirectory(db, actor, target, parsed, { dryRun: req.dryRun, ip: req.ip, fileName: req.fileName, onProgress: (d, t) => req.onProgress?.('write', d, t) });
}

/**
 * Starts an import from the UI: checks access and the file's format right away (so a wrong file is
 * a 400, with nothing written), then writes in the background while the job row reports progress.
 */
export async function startImportJob(db: Db, actor: Actor, req: ImportRequest & { underId: number }): Promise<{ id: string; done: Promise<void> }> {
  // The organisation is the one the id names; codes are unique only within a state.
  const resolved = assertImportTarget(actor, await findOrg(db, req.underId), 'underId');
  const parsed = await parseOrRefuse(req);
  assertFileFitsTarget(resolved, parsed, 'underId');
  const id = randomUUID();
  await db.insert(importJobs).values({ id, orgId: resolved.id, userId: actor.userId, fileName: req.fileName ?? null, preset: parsed.preset, dryRun: req.dryRun, rowsRead: parsed.rowCount, rowsTotal: parsed.records.length });
  const done = (async () => {
    try {
      const summary = await applyDirectory(db, actor, resolved, parsed, {
        dryRun: req.dryRun,
        ip: req.ip,
        fileName: req.fileName,
        // Progress is kept in memory: the import's own transaction must not be interleaved with writes.
        onProgress: (d, t) => liveProgress.set(id, { done: d, total: t }),
      });
      await db.update(importJobs).set({ status: 'done', summary: summary as unknown as Record<string, unknown>, finishedAt: sql`now()` }).where(eq(importJobs.id, id));
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'The import failed; nothing was written.';
      await db.update(importJobs).set({ status: 'failed', error: message, finishedAt: sql`now()` }).where(eq(importJobs.id, id));
    } finally {
      liveProgress.delete(id);
    }
  })();
  return { id, done };
}

/** A job's progress and result, for whoever may import at its organisation. */
export async function getImportJob(db: Db, actor: Actor, id: string) {
  const [job] = await db.select().from(importJobs).where(eq(importJobs.id, id));
  if (!job) throw notFound('Import');
  const org = job.orgId ? await findOrg(db, job.orgId) : undefined;
  assertCan(actor, 'org.import', org, 'Import');
  const live = liveProgress.get(id);
  return {
    id: job.id,
    status: job.status as 'running' | 'done' | 'failed',
    orgId: job.orgId!,
    fileName: job.fileName,
    preset: job.preset,
    dryRun: job.dryRun,
    done: live?.done ?? (job.status === 'running' ? 0 : (job.rowsTotal ?? 0)),
    total: live?.total ?? job.rowsTotal,
    summary: (job.summary as unknown as ImportSummary | null) ?? null,
    error: job.error,
  };
}

/** At start: imports left "running" by a stopped server failed, and their transaction wrote nothing. */
export async function markInterruptedImports(db: Db): Promise<void> {
  await db
    .update(importJobs)
    .set({ status: 'failed', error: 'The server stopped during this import; nothing was written. Start it again.', finishedAt: sql`now()` })
    .where(eq(importJobs.status, 'running'));
}
