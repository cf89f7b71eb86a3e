import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { type Actor, assertCan, can, inScope, inScopeFor, roleAt } from '../../../server/authz/scope.js';
import type { Db, DbOrTx } from '../../../server/db/client.js';
import { badRequest, conflict, forbidden, notFound } from '../../../server/http/errors.js';
import { allowedParents, type OrgKind } from '../../../shared/organizations.js';
import { abilitiesOf, permissionNames, type Permission } from '../../../shared/permissions.js';
import { effectiveK } from '../../../shared/privacy.js';
import { emitTreeMove, emitSubtreeChange } from '../../../server/tree-events.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import type { OrgDetail, OrgList } from '../organizations.contract.js';
import { presentOrgSummary } from './organizations.presenter.js';
import {
  childrenOf,
  findAncestors,
  findOrg,
  inSubtree,
  listOrgPage,
  type OrgRow,
  pathIds,
  lockTrees,
  reserveOrgIds,
  searchFilter,
  statusFilter,
  summaryColumns,
} from './organizations.queries.js';
import { organizations, partnerLinks } from './organizations.tables.js';

type Audited = { actor: Actor; ip?: string | null };

function noAbilities(): Record<Permission, boolean> {
  return Object.fromEntries(permissionNames.map((p) => [p, false])) as Record<Permission, boolean>;
}

/**
 * The organisations a person starts browsing from: those they hold a role at, minus any that sit
 * below another of their roles. Operators start at the top of every tree.
 */
export async function listRootOrgs(db: Db, actor: Actor): Promise<OrgList> {
  if (actor.isOperator) return listOrgPage(db, sql`${organizations.parentId} is null`, { offset: 0, limit: 200 }).then(present);
  const paths = actor.grants.map((g) => g.path);
  const tops = actor.grants.filter((g) => !paths.some((p) => p !== g.path && g.path.startsWith(p)));
  if (tops.length === 0) return { items: [], total: 0 };
  const ids = [...new Set(tops.map((g) => g.orgId))];
  return listOrgPage(db, and(sql`${organizations.id} in ${ids}`, eq(organizations.status, 'active'))!, { offset: 0, limit: 200 }).then(present);
}

function inSameNetwork(actor: Actor, path: string): boolean {
  return actor.isOperator || actor.grants.some((g) => pathIds(g.path)[0] === pathIds(path)[0]);
}

/**
 * Read access to one organisation: a role there or above, or, for a partner organisation, any
 * role in the same network (partners are a directory open to their network, read-only).
 * @throws AppError not_found
 */
function assertCanRead(actor: Actor, org: { kind: string; path: string } | undefined): void {
  if (org?.kind === 'partner' && inSameNetwork(actor, org.path)) return;
  assertCan(actor, 'org.read', org);
}

/** Every organisation in the networks the caller belongs to (used for the partner directory only). */
function partnerDirectoryScope(actor: Actor) {
  if (actor.isOperator) return sql`true`;
  const roots = [...new Set(actor.grants.map((g) => pathIds(g.path)[0]))];
  if (roots.length === 0) return sql`false`;
  return or(...roots.map((r) => sql`${organizations.path} like ${`/${r}/%`}`))!;
}

function present(page: { items: Parameters<typeof presentOrgSummary>[0][]; total: number }): OrgList {
  return { items: page.items.map(presentOrgSummary), total: page.total };
}

/**
 * Children of one organisation, or a search by name or code across everything the caller may see
 * (below `parentId` when given). Always filtered in SQL by the caller's scope.
 */
export async function listOrgs(
  db: Db,
  actor: Actor,
  query: { parentId?: number; q?: string; kind?: OrgKind; status: 'active' | 'archived' | 'all'; can?: Permission; offset: number; limit: number },
): Promise<OrgList> {
  // Partner organisations are a directory every member of the network may browse.
  const scope = query.can
    ? inScopeFor(actor, query.can, organizations.path)
    : query.kind === 'partner' && query.parentId === undefined
      ? partnerDirectoryScope(actor)
      : inScope(actor, organizations.path);
  const conditions = [scope, statusFilter(query.status)];
  if (query.parentId !== undefined) {
    const parent = await findOrg(db, query.parentId);
    assertCan(actor, 'org.read', parent);
    conditions.push(query.q ? inSubtree(parent!.path) : childrenOf(parent!.id));
    if (query.q) conditions.push(sql`${organizations.id} <> ${parent!.id}`);
  } else if (!query.q && !query.kind && !query.can) {
    return listRootOrgs(db, actor);
  }
  if (query.q) conditions.push(searchFilter(query.q));
  if (query.kind) conditions.push(eq(organizations.kind, query.kind));
  return present(await listOrgPage(db, and(...conditions)!, query));
}

/** One organisation with its breadcrumb (only the part the caller may see) and the caller's abilities there. */
export async function getOrgDetail(db: Db, actor: Actor, id: number): Promise<OrgDetail> {
  const [row] = await db
    .select({ ...summaryColumns, path: organizations.path, languages: organizations.languages, createdAt: organizations.createdAt, archivedAt: organizations.archivedAt, minCellSize: organizations.minCellSize })
    .from(organizations)
    .where(eq(organizations.id, id));
  assertCanRead(actor, row);
  const above = await findAncestors(db, row.path);
  const ancestors = above.filter((a) => roleAt(actor, a.path) !== null);
  const role = roleAt(actor, row.path);
  return {
    ...presentOrgSummary(row),
    languages: row.languages,
    ancestors: ancestors.map((a) => ({ id: a.id, name: a.name, kind: a.kind as OrgKind })),
    role,
    can: role ? abilitiesOf(role) : noAbilities(),
    createdAt: row.createdAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
    privacy: { minCellSize: row.minCellSize, fromAbove: await kFromAbove(db, row.path) },
  };
}

/** The survey k that organisations above this one set (the network's, raised on the way down). */
async function kFromAbove(db: DbOrTx, path: string): Promise<number> {
  const ids = path.split('/').filter(Boolean).map(Number).slice(0, -1);
  if (!ids.length) return effectiveK(null);
  const rows = await db.select({ id: organizations.id, k: organizations.minCellSize }).from(organizations).where(inArray(organizations.id, ids));
  const k = new Map(rows.map((r) => [r.id, r.k]));
  return effectiveK(k.get(ids[0]), ids.slice(1).map((id) => k.get(id)));
}

function assertPlacement(kind: OrgKind, parent: OrgRow | null): void {
  const parentKind = (parent?.kind ?? null) as OrgKind | null;
  if (!allowedParents[kind].includes(parentKind)) {
    const where = parentKind ? `under a ${parentKind}` : 'at the top of the tree';
    throw badRequest(`A ${kind} cannot be placed ${where}.`, 'parentId');
  }
  if (parent && parent.status !== 'active') throw conflict('The parent organisation is archived. Restore it first.', 'parentId');
}

/** The state-level organisation a row belongs to, for the distribution column. */
function stateIdFor(kind: OrgKind, id: number, parent: OrgRow | null): number | null {
  return kind === 'state' ? id : (parent?.stateId ?? null);
}

/**
 * Creates an organisation under a parent the caller administers. Top-level networks and states
 * are for operators only.
 * @throws AppError not_found | forbidden | validation_failed | conflict (code in use)
 */
export async function createOrg(
  db: Db,
  { actor, ip }: Audited,
  input: { parentId: number | null; kind: OrgKind; code: string; name: string; country?: string; gradeSpan?: string | null; enrolment?: number | null; languages?: string[] },
): Promise<OrgDetail> {
  let parent: OrgRow | null = null;
  if (input.parentId === null) {
    if (!actor.isOperator) throw forbidden('Only a platform operator can create a top-level organisation.');
  } else {
    parent = (await findOrg(db, input.parentId)) ?? null;
    assertCan(actor, 'org.create', parent, 'Parent organisation');
  }
  assertPlacement(input.kind, parent);
  const id = await db.transaction(async (tx) => {
    if (parent) {
      // Under the tree lock, the parent's path is current even if it was just moved.
      await lockTrees(tx, [parent.path]);
      parent = (await findOrg(tx, parent.id))!;
      assertPlacement(input.kind, parent);
    }
    const [newId] = await reserveOrgIds(tx, 1);
    const path = `${parent?.path ?? '/'}${newId}/`;
    await tx.insert(organizations).values({
      id: newId,
      parentId: parent?.id ?? null,
      stateId: stateIdFor(input.kind, newId, parent),
      kind: input.kind,
      code: input.code,
      name: input.name,
      path,
      depth: (parent?.depth ?? -1) + 1,
      country: input.country ?? parent?.country ?? null,
      gradeSpan: input.gradeSpan || null,
      enrolment: input.enrolment ?? null,
      languages: input.languages ?? parent?.languages ?? [],
    });
    await writeAudit(tx, { action: 'org.created', actor, org: { id: newId, path }, targetType: 'organization', targetId: newId, details: { kind: input.kind, code: input.code, name: input.name }, ip });
    return newId;
  });
  return getOrgDetail(db, actor, id);
}

/**
 * Renames or edits an organisation's facts.
 * @throws AppError not_found | forbidden | conflict (code in use)
 */
export async function updateOrg(
  db: Db,
  { actor, ip }: Audited,
  id: number,
  patch: { code?: string; name?: string; country?: string | null; gradeSpan?: string | null; enrolment?: number | null; languages?: string[]; minCellSize?: number | null },
): Promise<OrgDetail> {
  const org = await findOrg(db, id);
  assertCan(actor, 'org.update', org);
  if (patch.minCellSize != null && org!.parentId !== null) {
    // Below the network, k may only be raised: a district cannot show smaller groups than its network allows.
    const above = await kFromAbove(db, org!.path);
    if (patch.minCellSize < above) throw badRequest(`Organisations above this one show no group under ${above}; you may raise it here, not lower it.`, 'minCellSize');
  }
  // Compared as JSON so lists (languages) count as changed only when they differ.
  const changes = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && JSON.stringify((org as Record<string, unknown>)[k]) !== JSON.stringify(v)));
  if (changes.gradeSpan === '') changes.gradeSpan = null;
  if (Object.keys(changes).length > 0) {
    await db.transaction(async (tx) => {
      await tx.update(organizations).set({ ...changes, updatedAt: sql`now()` }).where(eq(organizations.id, id));
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, (org as Record<string, unknown>)[k]]));
      await writeAudit(tx, { action: 'org.updated', actor, org: org!, targetType: 'organization', targetId: id, details: { before, after: changes }, ip });
    });
  }
  return getOrgDetail(db, actor, id);
}

/**
 * Changing where an organisation sits, or whether it exists, needs rights above it: at its
 * current parent (an admin cannot move or archive the organisation their own role hangs on).
 * Top-level organisations are for operators.
 */
async function assertRightAbove(db: DbOrTx, actor: Actor, org: OrgRow, permission: 'org.move' | 'org.archive'): Promise<void> {
  if (actor.isOperator) return;
  const parent = org.parentId === null ? undefined : await findOrg(db, org.parentId);
  if (!parent || !can(actor, permission, parent)) {
    throw forbidden(org.parentId === null ? 'Only a platform operator can do this to a top-level organisation.' : 'This needs admin rights where the organisation sits now, above it.');
  }
}

/**
 * Moves an organisation and everything below it under a new parent. The caller must hold admin
 * rights above it where it is now and at the destination. Concurrent tree changes are
 * serialised by the tree lock, and the rows are re-read under it.
 * @throws AppError not_found | forbidden | validation_failed (cycle, wrong kind) | conflict
 */
export async function moveOrg(db: Db, { actor, ip }: Audited, id: number, parentId: number): Promise<OrgDetail> {
  const seen = await findOrg(db, id);
  assertCan(actor, 'org.move', seen);
  const seenParent = await findOrg(db, parentId);
  assertCan(actor, 'org.create', seenParent, 'Destination organisation');
  await db.transaction(async (tx) => {
    await lockTrees(tx, [seen!.path, seenParent!.path]);
    const org = (await findOrg(tx, id))!;
    const parent = (await findOrg(tx, parentId))!;
    await assertRightAbove(tx, actor, org, 'org.move');
    if (!can(actor, 'org.create', parent)) throw forbidden();
    if (parent.path.startsWith(org.path)) throw badRequest('An organisation cannot move under itself or one of its own sub-organisations.', 'parentId');
    assertPlacement(org.kind as OrgKind, parent);
    if (org.parentId === parent.id) return;
    const newPath = `${parent.path}${org.id}/`;
    const depthDelta = parent.depth + 1 - org.depth;
    // A state keeps its own id as state; anything else takes the destination's state.
    const stateSet = org.kind === 'state' ? sql`${organizations.stateId}` : sql`${parent.stateId}::int`;
    await tx
      .update(organizations)
      .set({
        path: sql`${newPath} || substr(${organizations.path}, ${org.path.length + 1})`,
        depth: sql`${organizations.depth} + ${depthDelta}::int`,
        stateId: stateSet,
        updatedAt: sql`now()`,
      })
      .where(inSubtree(org.path));
    await tx.update(organizations).set({ parentId: parent.id }).where(eq(organizations.id, id));
    await emitTreeMove(tx, { orgId: id, kind: org.kind, oldPath: org.path, newPath, oldParentId: org.parentId, newParentId: parent.id });
    await writeAudit(tx, { action: 'org.moved', actor, org: { id, path: newPath }, targetType: 'organization', targetId: id, details: { fromParentId: org.parentId, toParentId: parent.id }, ip });
  });
  return getOrgDetail(db, actor, id);
}

/**
 * Archives an organisation with everything below it (or restores them). Archived organisations
 * stay readable but take no new work; roles held at them stop applying. Needs rights above it.
 * @throws AppError not_found | forbidden | conflict
 */
export async function setOrgArchived(db: Db, { actor, ip }: Audited, id: number, archived: boolean): Promise<OrgDetail> {
  const seen = await findOrg(db, id);
  assertCan(actor, 'org.archive', seen);
  await db.transaction(async (tx) => {
    await lockTrees(tx, [seen!.path]);
    const org = (await findOrg(tx, id))!;
    await assertRightAbove(tx, actor, org, 'org.archive');
    if (!archived && org.parentId !== null) {
      const parent = await findOrg(tx, org.parentId);
      if (parent?.status !== 'active') throw conflict('The parent organisation is archived. Restore it first.');
    }
    await tx
      .update(organizations)
      .set(archived ? { status: 'archived', archivedAt: sql`now()`, updatedAt: sql`now()` } : { status: 'active', archivedAt: null, updatedAt: sql`now()` })
      // A restore brings back what this organisation's archiving took down (same timestamp, compared
      // in SQL at full precision), not what was archived on its own before.
      .where(and(inSubtree(org.path), archived ? eq(organizations.status, 'active') : and(eq(organizations.status, 'archived'), sql`${organizations.archivedAt} is not distinct from (select o.archived_at from organizations o where o.id = ${id})`)));
    await emitSubtreeChange(tx, { path: org.path });
    await writeAudit(tx, { action: archived ? 'org.archived' : 'org.restored', actor, org, targetType: 'organization', targetId: id, ip });
  });
  return getOrgDetail(db, actor, id);
}

/** Partners linked to a school or district, or the schools and districts a partner serves. */
export async function listPartnerLinks(db: Db, actor: Actor, id: number): Promise<OrgList> {
  const org = await findOrg(db, id);
  assertCanRead(actor, org);
  const isPartner = org!.kind === 'partner';
  // A school's partners come from the network-wide partner directory. The schools a partner
  // serves are listed in full to the partner's own people, otherwise only within the caller's scope.
  const scope = !isPartner ? partnerDirectoryScope(actor) : roleAt(actor, org!.path) ? sql`true` : inScope(actor, organizations.path);
  const linked = await db
    .select(summaryColumns)
    .from(partnerLinks)
    .innerJoin(organizations, eq(organizations.id, isPartner ? partnerLinks.orgId : partnerLinks.partnerId))
    .where(and(eq(isPartner ? partnerLinks.partnerId : partnerLinks.orgId, id), scope))
    .orderBy(organizations.name);
  return { items: linked.map(presentOrgSummary), total: linked.length };
}

/**
 * Links a partner organisation to a school or district. The caller needs partner.link on the
 * school or district and must be able to see the partner.
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function linkPartner(db: Db, { actor, ip }: Audited, orgId: number, partnerId: number, linked: boolean): Promise<OrgList> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'partner.link', org);
  if (org!.kind !== 'school' && org!.kind !== 'district') throw badRequest('Partners are linked to schools and districts.', 'id');
  const partner = await findOrg(db, partnerId);
  // Partners form a directory open to the whole network, so only the network must match.
  // Anything that is not a partner of this network answers alike, so nothing else's existence leaks.
  if (!partner || partner.kind !== 'partner' || pathIds(partner.path)[0] !== pathIds(org!.path)[0]) throw notFound('Partner organisation');
  if (linked && (partner.status !== 'active' || org!.status !== 'active')) throw conflict('An archived organisation cannot be linked.');
  await db.transaction(async (tx: DbOrTx) => {
    const changed = linked
      ? await tx.insert(partnerLinks).values({ partnerId, orgId }).onConflictDoNothing().returning({ id: partnerLinks.partnerId })
      : await tx.delete(partnerLinks).where(and(eq(partnerLinks.partnerId, partnerId), eq(partnerLinks.orgId, orgId))).returning({ id: partnerLinks.partnerId });
    // Linking what is linked, or unlinking what is not, changes nothing and is not recorded.
    if (changed.length === 0) return;
    await writeAudit(tx, { action: linked ? 'partner.linked' : 'partner.unlinked', actor, org: org!, targetType: 'organization', targetId: partnerId, ip });
  });
  return listPartnerLinks(db, actor, orgId);
}

