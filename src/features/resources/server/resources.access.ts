import { and, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../../server/authz/scope.js';
import type { DbOrTx } from '../../../server/db/client.js';
import { notFound } from '../../../server/http/errors.js';
import { pathIds } from '../../organizations/server/organizations.queries.js';
import { resources } from './resources.tables.js';
import { intArray } from '../../../server/db/arrays.js';

/** The networks (tree roots) the actor belongs to through any role. */
export function networksOf(actor: Actor): number[] {
  return [...new Set(actor.grants.map((g) => pathIds(g.path)[0]))];
}

/**
 * Published resources the actor may see: the starter library (no owner) and those of the
 * networks the actor belongs to. Operators see every network's.
 */
export function visibleResources(actor: Actor): SQL {
  const owners = actor.isOperator ? sql`true` : or(isNull(resources.ownerOrgId), sql`${resources.ownerOrgId} = any(${intArray(networksOf(actor))})`)!;
  return and(eq(resources.status, 'published'), owners)!;
}

/**
 * A published resource the actor may see.
 * @throws AppError not_found (missing, not published, or of another network)
 */
export async function findVisibleResource(db: DbOrTx, actor: Actor, id: number) {
  const [r] = await db.select({ id: resources.id, title: resources.title, type: resources.type, elements: resources.elements }).from(resources).where(and(eq(resources.id, id), visibleResources(actor)));
  if (!r) throw notFound('Resource');
  return r;
}
