import { type SQL, type AnyColumn, sql, or } from 'drizzle-orm';
import { type Permission, type Role, roleAllows, roleRank } from '../../shared/permissions.js';
import { AppError, forbidden, notFound } from '../http/errors.js';

/** A role the caller holds, with the tree path of the organisation it is held at. */
export interface Grant {
  membershipId: number;
  orgId: number;
  role: Role;
  path: string;
}

/** Who is calling: the signed-in user and their grants. */
export interface Actor {
  userId: number;
  email: string;
  isOperator: boolean;
  grants: Grant[];
}

/** The strongest role the actor holds at an organisation with this path (grants reach downwards). */
export function roleAt(actor: Actor, orgPath: string): Role | null {
  if (actor.isOperator) return 'admin';
  let best: Role | null = null;
  for (const g of actor.grants) {
    if (orgPath.startsWith(g.path) && (!best || roleRank[g.role] > roleRank[best])) best = g.role;
  }
  return best;
}

export function can(actor: Actor, permission: Permission, org: { path: string }): boolean {
  const role = roleAt(actor, org.path);
  return role !== null && roleAllows(role, permission);
}

/**
 * Checks a permission on an organisation loaded from the database (never an id from the URL).
 * Out of scope answers 404 so existence does not leak; in scope but not allowed answers 403.
 * @throws AppError not_found | forbidden
 */
export function assertCan(actor: Actor, permission: Permission, org: { path: string } | undefined | null, what = 'Organisation'): void {
  if (!org) throw notFound(what);
  const role = roleAt(actor, org.path);
  if (!role) throw notFound(what);
  if (!roleAllows(role, permission)) throw forbidden();
}

/**
 * SQL condition limiting a path column to the actor's organisations and everything below them;
 * filters lists in the database, failing closed when the actor holds no role.
 */
export function inScope(actor: Actor, pathColumn: AnyColumn | SQL): SQL {
  if (actor.isOperator) return sql`true`;
  if (actor.grants.length === 0) return sql`false`;
  return or(...actor.grants.map((g) => sql`${pathColumn} like ${likePrefix(g.path)}`))!;
}

/** Same as inScope, restricted to grants whose role holds a permission. */
export function inScopeFor(actor: Actor, permission: Permission, pathColumn: AnyColumn | SQL): SQL {
  if (actor.isOperator) return sql`true`;
  const grants = actor.grants.filter((g) => roleAllows(g.role, permission));
  if (grants.length === 0) return sql`false`;
  return or(...grants.map((g) => sql`${pathColumn} like ${likePrefix(g.path)}`))!;
}

/** Paths hold only digits and slashes, but escape LIKE wildcards all the same. */
export function likePrefix(path: string): string {
  return `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function requireOperator(actor: Actor): void {
  if (!actor.isOperator) throw new AppError('forbidden', 'Only a platform operator can do this.');
}
