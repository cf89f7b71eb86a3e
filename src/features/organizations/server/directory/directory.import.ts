import { eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { type Actor, assertCan } from '../../../../server/authz/scope.js';
import type { Db, Tx } from '../../../../server/db/client.js';
import { badRequest, notFound } from '../../../../server/http/errors.js';
import { writeAudit } from '../../../audit/server/audit.service.js';
import { findOrgsByCode, inSubtree, lockTrees, type OrgRow, reserveOrgIds } from '../organizations.queries.js';
import { organizations } from '../organizations.tables.js';
import type { DirectoryParseResult, DirectoryRecord } from './directory.parse.js';
import { STATE_NAMES } from './directory.presets.js';
import { emitSubtreeChange } from '../../../../server/tree-events.js';

/**
 * What an import did. Every record of the file lands in exactly one of created, updated,
 * unchanged, archived (closed or merged in the file and now archived here) or skipped.
 */
export interface ImportSummary {
  preset: string;
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
  skipped: number;
  errors: { line: number; message: string }[];
}

type Existing = Pick<OrgRow, 'id' | 'parentId' | 'kind' | 'code' | 'name' | 'gradeSpan' | 'enrolment' | 'status' | 'path' | 'depth' | 'stateId' | 'country'>;

const CHUNK = 1000;

/**
 * Finds where an import goes: the organisation named by `underCode`, or the only network when
 * none is named. A network receives states; a state receives districts directly.
 * @throws AppError not_found | validation_failed | forbidden
 */
export async function resolveImportTarget(db: Db, actor: Actor, underCode?: string): Promise<OrgRow> {
  let target: OrgRow | undefined;
  if (underCode) {
    const found = await findOrgsByCode(db, underCode);
    if (found.length > 1) throw badRequest(`Several organisations have the code ${underCode} (${found.map((o) => o.name).join(', ')}); name it by its path of codes, e.g. --under NETWORK/${underCode}.`, 'under');
    target = found[0];
    if (!target) throw notFound(`Organisation with code ${underCode}`);
  } else {
    const tops = await db.select().from(organizations).where(sql`${organizations.parentId} is null and ${organizations.kind} = 'network' and ${organizations.status} = 'active'`).limit(2);
    if (tops.length === 0) throw badRequest('There is no network yet. Create one in the web app first, then import under it (or name a state with --under CODE).', 'under');
    if (tops.length > 1) throw badRequest('There are several networks: name the one to import under with --under CODE (a network or a state).', 'under');
    target = tops[0];
  }
  return assertImportTarget(actor, target, 'under');
}

/**
 * Checks that the caller may import under this organisation (loaded from the database) and that
 * it can receive a directory: an active network or state. `field` names the input that chose it.
 * @throws AppError not_found | forbidden | validation_failed
 */
export function assertImportTarget(actor: Actor, target: OrgRow | undefined, field: string): OrgRow {
  assertCan(actor, 'org.import', target);
  if (target!.kind !== 'network' && target!.kind !== 'state') throw badRequest('Import under a network or a state.', field);
  if (target!.status !== 'active') throw badRequest('The organisation to import under is archived.', field);
  return target!;
}

/**
 * Refuses a file whose schools belong to another state than the state it is imported under
 * (matched by postal code or name), or that spans several states while aimed at one.
 * @throws AppError validation_failed
 */
export function assertFileFitsTarget(target: OrgRow, parsed: DirectoryParseResult, field: string): void {
  if (target.kind !== 'state') return;
  const codes = [...new Set(parsed.records.map((r) => r.stateCode))];
  if (codes.length > 1) throw badRequest(`This file covers several states (${codes.join(', ')}); import it under the network instead.`, field);
  const [code] = codes;
  if (!code) return;
  const name = STATE_NAMES[code] ?? code;
  const matches = target.code.toUpperCase() === code || target.code.toUpperCase().endsWith(`-${code}`) || target.name.toLowerCase() === name.toLowerCase();
  if (!matches) throw badRequest(`This file lists schools in ${name} (${code}), but ${target.name} is another state. Import it under ${name} or under the network.`, field);
}

function sameFacts(row: Existing, rec: DirectoryRecord, parentId: number | null): boolean {
  return (
    row.name === rec.name &&
    (row.gradeSpan ?? null) === rec.gradeSpan &&
    (rec.enrolment === null || row.enrolment === rec.enrolment) &&
    row.status === rec.status &&
    row.parentId === parentId
  );
}

interface Plan {
  inserts: (typeof organizations.$inferInsert)[];
  /** `move`: the parent changes, so the row's subtree takes the new parent's path. */
  updates: { id: number; set: Partial<typeof organizations.$inferInsert>; move?: true }[];
}

/**
 * Applies a parsed directory under a network or state: creates what is new, updates what changed,
 * archives closed or merged schools, and leaves the rest alone. Matching is by code inside the
 * state, so importing the same file twice changes nothing. All-or-nothing: one transaction.
 * @throws AppError validation_failed (file covers another state than the target)
 */
export async function applyDirectory(
  db: Db,
  actor: Actor,
  target: OrgRow,
  parsed: DirectoryParseResult,
  opts: { dryRun: boolean; ip?: string | null; fileName?: string; onProgress?: (done: number, total: number) => void },
): Promise<ImportSummary> {
  const summary: ImportSummary = { preset: parsed.preset, dryRun: opts.dryRun, created: 0, updated: 0, unchanged: 0, archived: 0, skipped: 0, errors: [...parsed.errors] };
  summary.skipped = parsed.errors.length;
  assertFileFitsTarget(target, parsed, 'under');
  const states = parsed.records.filter((r) => r.kind === 'state');

  const work = async (tx: Tx) => {
    await lockTrees(tx, [target.path]);
    // Everything already below the target, keyed by state then code.
    const existingRows: Existing[] = await tx
      .select({
        id: organizations.id, parentId: organizations.parentId, kind: organizations.kind, code: organizations.code, name: organizations.name,
        gradeSpan: organizations.gradeSpan, enrolment: organizations.enrolment, status: organizations.status, path: organizations.path,
        depth: organizations.depth, stateId: organizations.stateId, country: organizations.country,
      })
      .from(organizations)
      .where(inSubtree(target.path));
    const byState = new Map<number, Map<string, Existing>>();
    const topByCode = new Map<string, Existing>();
    const existingById = new Map(existingRows.map((r) => [r.id, r]));
    for (const row of existingRows) {
      if (row.kind === 'state' && row.parentId === target.id) topByCode.set(row.code, row);
      if (row.stateId === null || row.kind === 'state') continue;
      let m = byState.get(row.stateId);
      if (!m) byState.set(row.stateId, (m = new Map()));
      m.set(row.code, row);
    }

    const plan: Plan = { inserts: [], updates: [] };
    const count = (rec: DirectoryRecord, outcome: 'created' | 'updated' | 'unchanged') => {
      if (rec.status === 'archived' && outcome !== 'unchanged') summary.archived++;
      else summary[outcome]++;
    };

    // States: the target itself, or found/created under the network by postal code.
    const stateOrg = new Map<string, Existing>();
    const stateCodes = [...new Set(parsed.records.map((r) => r.stateCode))];
    const newIds = await reserveOrgIds(tx, parsed.records.length);
    let nextId = 0;
    const takeId = () => newIds[nextId++];
    for (const code of stateCodes) {
      const rec = states.find((s) => s.code === code);
      if (target.kind === 'state') {
        stateOrg.set(code, target);
        if (rec) summary.unchanged++;
        continue;
      }
      const found = topByCode.get(code);
      if (found) {
        stateOrg.set(code, found);
        if (rec && found.name !== rec.name) {
          plan.updates.push({ id: found.id, set: { name: rec.name } });
          summary.updated++;
        } else if (rec) summary.unchanged++;
        continue;
      }
      const id = takeId();
      const name = rec?.name ?? code;
      const row = { id, parentId: target.id, stateId: id, kind: 'state', code, name, path: `${target.path}${id}/`, depth: target.depth + 1, country: target.country ?? 'US', gradeSpan: null, enrolment: null, status: 'active' };
      plan.inserts.push({ ...row, languages: [] });
      stateOrg.set(code, row);
      summary.created++;
    }

    // Districts, then schools; a record's parent is resolved from what is planned so far.
    for (const kind of ['district', 'school'] as const) {
      for (const rec of parsed.records) {
        if (rec.kind !== kind) continue;
        const state = stateOrg.get(rec.stateCode)!;
        let codes = byState.get(state.id);
        if (!codes) byState.set(state.id, (codes = new Map()));
        const known = codes.get(rec.code);
        // A district an admin placed in a region of the same state stays there: files know no regions.
        const inRegion = kind === 'district' && known?.kind === 'district' && known.parentId !== state.id && known.path.startsWith(state.path);
        const parent = kind === 'district' ? (inRegion ? existingById.get(known!.parentId!) : state) : codes.get(rec.parentCode ?? '');
        if (!parent || (kind === 'school' && parent.kind !== 'district')) {
          summary.skipped++;
          summary.errors.push({ line: rec.line, message: `District ${rec.parentCode ?? '(none)'} of school ${rec.code} is not in the file or under ${target.name}.` });
          continue;
        }
        const found = codes.get(rec.code);
        if (found && found.kind !== kind) {
          summary.skipped++;
          summary.errors.push({ line: rec.line, message: `Code ${rec.code} already belongs to a ${found.kind}, not a ${kind}.` });
          continue;
        }
        if (found) {
          if (sameFacts(found, rec, parent.id)) {
            count(rec, 'unchanged');
            continue;
          }
          const set: Plan['updates'][number]['set'] = { name: rec.name, gradeSpan: rec.gradeSpan, status: rec.status };
          if (rec.enrolment !== null) set.enrolment = rec.enrolment;
          if (rec.status !== found.status) set.archivedAt = rec.status === 'archived' ? new Date() : null;
          const move = found.parentId !== parent.id ? (true as const) : undefined;
          if (move) {
            set.parentId = parent.id;
            found.path = `${parent.path}${found.id}/`;
            found.depth = parent.depth + 1;
          }
          plan.updates.push({ id: found.id, set, move });
          Object.assign(found, { name: rec.name, parentId: parent.id });
          count(rec, 'updated');
          continue;
        }
        const id = takeId();
        const row: Existing = {
          id, parentId: parent.id, stateId: state.id, kind, code: rec.code, name: rec.name, path: `${parent.path}${id}/`, depth: parent.depth + 1,
          country: state.country, gradeSpan: rec.gradeSpan, enrolment: rec.enrolment, status: rec.status,
        };
        plan.inserts.push({ ...row, languages: [], archivedAt: rec.status === 'archived' ? new Date() : null });
        codes.set(rec.code, row);
        count(rec, 'created');
      }
    }

    if (opts.dryRun) return;
    const total = plan.inserts.length + plan.updates.length;
    let done = 0;
    for (let i = 0; i < plan.inserts.length; i += CHUNK) {
      const chunk = plan.inserts.slice(i, i + CHUNK);
      await tx.insert(organizations).values(chunk);
      done += chunk.length;
      opts.onProgress?.(done, total);
    }
    for (const u of plan.updates) {
      await tx.update(organizations).set({ ...u.set, updatedAt: sql`now()` }).where(eq(organizations.id, u.id));
      if (u.move) {
        // Paths are read back from the database (not the plan): an earlier update in this run may
        // already have moved an ancestor. Two plain reads, as a correlated subquery here would
        // bind drizzle's unqualified columns to the inner alias.
        const [moved] = await tx.select({ path: organizations.path, depth: organizations.depth }).from(organizations).where(eq(organizations.id, u.id));
        const [parent] = await tx.select({ path: organizations.path, depth: organizations.depth }).from(organizations).where(eq(organizations.id, u.set.parentId!));
        const newPath = `${parent.path}${u.id}/`;
        await tx
          .update(organizations)
          .set({ path: sql`${newPath} || substr(${organizations.path}, ${moved.path.length + 1})`, depth: sql`${organizations.depth} + ${parent.depth + 1 - moved.depth}::int` })
          .where(inSubtree(moved.path));
      }
      done++;
      if (done % CHUNK === 0) opts.onProgress?.(done, total);
    }
    opts.onProgress?.(total, total);
    // Closed, reopened or re-parented schools change the figures derived from the tree.
    if (plan.updates.length) await emitSubtreeChange(tx, { path: target.path });
    await writeAudit(tx, {
      action: 'org.imported',
      actor,
      org: target,
      targetType: 'organization',
      targetId: target.id,
      details: { fileName: opts.fileName ?? null, preset: summary.preset, created: summary.created, updated: summary.updated, unchanged: summary.unchanged, archived: summary.archived, skipped: summary.skipped },
      ip: opts.ip ?? null,
    });
  };

  if (opts.dryRun) {
    // A dry run plans inside a transaction too (ids are reserved), then throws it away.
    await db.transaction(async (tx) => {
      await work(tx);
      tx.rollback();
    }).catch((err) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  } else {
    await db.transaction(work);
  }
  summary.errors.sort((a, b) => a.line - b.line);
  return summary;
}

