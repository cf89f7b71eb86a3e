import { asc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../server/db/client.js';
import { queryRows } from '../../../server/db/client.js';
import { likePrefix } from '../../../server/authz/scope.js';
import { organizations } from './organizations.tables.js';

export type OrgRow = typeof organizations.$inferSelect;

export async function findOrg(db: DbOrTx, id: number): Promise<OrgRow | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row;
}

/**
 * Organisations named by a code, or by a path of codes from the top ("NSWC/CA"), for the command
 * line. Codes repeat across networks, so a bare code may name several.
 */
export async function findOrgsByCode(db: DbOrTx, codePath: string): Promise<OrgRow[]> {
  const [first, ...rest] = codePath.split('/').filter(Boolean);
  let found = await db.select().from(organizations).where(eq(organizations.code, first ?? '')).orderBy(asc(organizations.depth), asc(organizations.id)).limit(10);
  for (const code of rest) {
    if (found.length !== 1) return [];
    found = await db.select().from(organizations).where(sql`${organizations.code} = ${code} and ${inSubtree(found[0].path)}`).orderBy(asc(organizations.depth)).limit(10);
  }
  return found;
}

/** Ids parsed from a path, root first: '/1/4/27/' → [1, 4, 27]. */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** Reserves ids ahead of insert, so a row's path can contain its own id. */
export async function reserveOrgIds(db: DbOrTx, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await queryRows<{ id: number }>(
    db,
    sql`select nextval(pg_get_serial_sequence('organizations', 'id'))::int as id from generate_series(1, ${count}::int)`,
  );
  return rows.map((r) => r.id);
}

// Written out in full: drizzle leaves single-table columns unqualified, which the alias would capture.
const childCount = sql<number>`(select count(*)::int from organizations c where c.parent_id = organizations.id and c.status = 'active')`;

export const summaryColumns = {
  id: organizations.id,
  parentId: organizations.parentId,
  kind: organizations.kind,
  code: organizations.code,
  name: organizations.name,
  status: organizations.status,
  country: organizations.country,
  gradeSpan: organizations.gradeSpan,
  enrolment: organizations.enrolment,
  childCount,
};

/** One page of organisations matching `where`, by name, with the total for the pager. */
export async function listOrgPage(db: DbOrTx, where: SQL, page: { offset: number; limit: number }) {
  const [items, [{ total }]] = await Promise.all([
    db.select(summaryColumns).from(organizations).where(where).orderBy(asc(organizations.name), asc(organizations.id)).offset(page.offset).limit(page.limit),
    db.select({ total: sql<number>`count(*)::int` }).from(organizations).where(where),
  ]);
  return { items, total };
}

export function statusFilter(status: 'active' | 'archived' | 'all'): SQL {
  return status === 'all' ? sql`true` : eq(organizations.status, status);
}

/** Name contains the text, or code starts with it; case-insensitive. */
export function searchFilter(q: string): SQL {
  const needle = q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`(lower(${organizations.name}) like ${`%${needle}%`} or lower(${organizations.code}) like ${`${needle}%`})`;
}

export function inSubtree(path: string): SQL {
  return sql`${organizations.path} like ${likePrefix(path)}`;
}

export function childrenOf(parentId: number): SQL {
  return eq(organizations.parentId, parentId);
}

export async function findAncestors(db: DbOrTx, path: string) {
  const ids = pathIds(path).slice(0, -1);
  if (ids.length === 0) return [];
  const rows = await db.select({ id: organizations.id, name: organizations.name, kind: organizations.kind, path: organizations.path }).from(organizations).where(sql`${organizations.id} in ${ids}`);
  return rows.sort((a, b) => a.path.length - b.path.length);
}


/** Advisory-lock key space of organisation trees (the second key is the tree's root id). */
const TREE_LOCK = 7301;

/**
 * Serialises changes to organisation trees (create, move, archive, import) for the rest of the
 * transaction: each takes its trees' locks first, roots in ascending order, then re-reads the
 * rows it changes, so two moves never work from stale paths.
 */
export async function lockTrees(tx: DbOrTx, paths: string[]): Promise<void> {
  const roots = [...new Set(paths.map((p) => pathIds(p)[0]))].sort((a, b) => a - b);
  for (const root of roots) await tx.execute(sql`select pg_advisory_xact_lock(${TREE_LOCK}::int, ${root}::int)`);
}
