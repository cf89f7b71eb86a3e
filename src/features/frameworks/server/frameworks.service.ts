import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { type Actor, assertCan, can, roleAt } from '../../../server/authz/scope.js';
import { contentHash } from '../../../server/content-hash.js';
import type { Db, DbOrTx } from '../../../server/db/client.js';
import { badRequest, conflict, forbidden, notFound } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { findOrg, pathIds } from '../../organizations/server/organizations.queries.js';
import type { FrameworkDefinition, FrameworkSummary, NetworkFrameworks } from '../frameworks.contract.js';
import { frameworks, networkFrameworks } from './frameworks.tables.js';

type Row = typeof frameworks.$inferSelect;
type Owner = { id: number; path: string } | null;

/** The top organisation of the tree an organisation sits in (its network). */
async function rootOf(db: Db, path: string) {
  const root = await findOrg(db, pathIds(path)[0]);
  if (!root) throw notFound('Network');
  return root;
}

function present(actor: Actor, row: Row, owner: Owner): FrameworkSummary {
  const canEdit = row.ownerOrgId === null ? actor.isOperator : !!owner && can(actor, 'framework.manage', owner);
  return { id: row.id, ownerOrgId: row.ownerOrgId, shipped: row.ownerOrgId === null, definition: row.definition, editedAt: row.editedAt?.toISOString() ?? null, canEdit };
}

async function ownersOf(db: Db, rows: Row[]): Promise<Map<number, { id: number; path: string }>> {
  const ids = [...new Set(rows.map((r) => r.ownerOrgId).filter((x): x is number => x !== null))];
  const map = new Map<number, { id: number; path: string }>();
  for (const id of ids) {
    const o = await findOrg(db, id);
    if (o) map.set(id, o);
  }
  return map;
}

/** A network's own frameworks are visible to everyone in that network; shipped ones to all. */
function visible(actor: Actor, owner: Owner): boolean {
  if (!owner) return true;
  return actor.isOperator || actor.grants.some((g) => pathIds(g.path)[0] === pathIds(owner.path)[0]);
}

/** Shipped frameworks and those of the caller's networks. */
export async function listFrameworks(db: Db, actor: Actor): Promise<FrameworkSummary[]> {
  const rows = await db.select().from(frameworks).orderBy(asc(frameworks.id));
  const owners = await ownersOf(db, rows);
  return rows.filter((r) => visible(actor, r.ownerOrgId ? (owners.get(r.ownerOrgId) ?? null) : null)).map((r) => present(actor, r, r.ownerOrgId ? (owners.get(r.ownerOrgId) ?? null) : null));
}

async function loadVisible(db: Db, actor: Actor, id: string): Promise<{ row: Row; owner: Owner }> {
  const [row] = await db.select().from(frameworks).where(eq(frameworks.id, id));
  const owner = row?.ownerOrgId ? ((await findOrg(db, row.ownerOrgId)) ?? null) : null;
  if (!row || !visible(actor, owner)) throw notFound('Framework');
  return { row, owner };
}

export async function getFramework(db: Db, actor: Actor, id: string): Promise<FrameworkSummary> {
  const { row, owner } = await loadVisible(db, actor, id);
  return present(actor, row, owner);
}

/**
 * Edits a framework: a network admin edits their network's own; shipped frameworks are shared by
 * every network, so only an operator edits those (and the file no longer overwrites them).
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function saveFramework(db: Db, actor: Actor, id: string, definition: FrameworkDefinition): Promise<FrameworkSummary> {
  const { row, owner } = await loadVisible(db, actor, id);
  if (!present(actor, row, owner).canEdit) throw forbidden(row.ownerOrgId === null ? 'Shipped frameworks are shared by every network; only an operator edits them. Create your network\'s own framework instead.' : undefined);
  if (definition.id !== id) throw badRequest('The framework id cannot change.', 'definition.id');
  const removed = row.definition.elements.filter((e) => !definition.elements.some((n) => n.id === e.id)).map((e) => e.id);
  if (removed.length) throw badRequest(`Elements cannot be removed once used for tagging (${removed.join(', ')}); rename them instead.`, 'definition.elements');
  await db.transaction(async (tx) => {
    await tx.update(frameworks).set({ definition, contentHash: contentHash(definition), editedAt: sql`now()`, editedBy: actor.userId, updatedAt: sql`now()` }).where(eq(frameworks.id, id));
    await writeAudit(tx, { action: 'framework.updated', actor, org: owner, targetType: 'framework', targetId: id });
  });
  return getFramework(db, actor, id);
}

/**
 * Creates a network's own framework.
 * @throws AppError not_found | forbidden | validation_failed | conflict
 */
export async function createFramework(db: Db, actor: Actor, ownerOrgId: number, definition: FrameworkDefinition): Promise<FrameworkSummary> {
  const owner = await findOrg(db, ownerOrgId);
  assertCan(actor, 'framework.manage', owner);
  if (owner!.parentId !== null) throw badRequest('Frameworks belong to a network (the top of the tree).', 'ownerOrgId');
  const [clash] = await db.select({ id: frameworks.id }).from(frameworks).where(eq(frameworks.id, definition.id));
  if (clash) throw conflict('Another framework already has this id.', 'definition.id');
  await db.transaction(async (tx) => {
    await tx.insert(frameworks).values({ id: definition.id, ownerOrgId, definition, contentHash: contentHash(definition), editedAt: sql`now()`, editedBy: actor.userId });
    await writeAudit(tx, { action: 'framework.created', actor, org: owner!, targetType: 'framework', targetId: definition.id });
  });
  return getFramework(db, actor, definition.id);
}

/** The frameworks the network of an organisation uses: its choice, or every shipped one by default. */
export async function getNetworkFrameworks(db: Db, actor: Actor, orgId: number): Promise<NetworkFrameworks> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'org.read', org);
  const network = await rootOf(db, org!.path);
  const chosen = await db.select().from(networkFrameworks).where(eq(networkFrameworks.networkId, network.id)).orderBy(asc(networkFrameworks.position));
  const rows = chosen.length
    ? await db.select().from(frameworks).where(inArray(frameworks.id, chosen.map((c) => c.frameworkId)))
    : await db.select().from(frameworks).where(or(isNull(frameworks.ownerOrgId), eq(frameworks.ownerOrgId, network.id))!).orderBy(asc(frameworks.id));
  const order = new Map(chosen.map((c) => [c.frameworkId, c.position]));
  rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return {
    networkId: network.id,
    networkName: network.name,
    usingDefaults: chosen.length === 0,
    frameworks: rows.map((r) => present(actor, r, r.ownerOrgId === network.id ? network : null)),
    canChoose: roleAt(actor, network.path) === 'admin',
  };
}

/**
 * Sets which frameworks a network's members use (shipped ones and the network's own).
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function setNetworkFrameworks(db: Db, actor: Actor, orgId: number, ids: string[]): Promise<NetworkFrameworks> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'framework.manage', org);
  if (org!.parentId !== null) throw badRequest('Frameworks are chosen by the network (the top of the tree).', 'id');
  const usable = await db.select({ id: frameworks.id }).from(frameworks).where(and(inArray(frameworks.id, ids.length ? ids : ['']), or(isNull(frameworks.ownerOrgId), eq(frameworks.ownerOrgId, org!.id))));
  const unknown = ids.filter((id) => !usable.some((u) => u.id === id));
  if (unknown.length) throw badRequest(`Unknown framework: ${unknown.join(', ')}.`, 'frameworkIds');
  if (new Set(ids).size !== ids.length) throw badRequest('A framework is listed twice.', 'frameworkIds');
  await db.transaction(async (tx) => {
    await tx.delete(networkFrameworks).where(eq(networkFrameworks.networkId, org!.id));
    if (ids.length) await tx.insert(networkFrameworks).values(ids.map((frameworkId, position) => ({ networkId: org!.id, frameworkId, position })));
    await writeAudit(tx, { action: 'framework.chosen', actor, org: org!, targetType: 'organization', targetId: org!.id, details: { frameworkIds: ids } });
  });
  return getNetworkFrameworks(db, actor, orgId);
}

/**
 * Checks that every tag names an element of a framework ("framework:element").
 * @throws AppError validation_failed (on `field`, naming the first unknown tag)
 */
export async function assertKnownElements(db: DbOrTx, elements: string[], field: string): Promise<void> {
  if (!elements.length) return;
  const rows = await db.select({ definition: frameworks.definition }).from(frameworks);
  const known = new Set(rows.flatMap((r) => r.definition.elements.map((e) => `${r.definition.id}:${e.id}`)));
  const unknown = elements.find((e) => !known.has(e));
  if (unknown) throw badRequest(`"${unknown}" is not an element of any framework.`, field);
}
