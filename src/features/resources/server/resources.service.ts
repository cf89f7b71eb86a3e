import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { type Actor, assertCan, can } from '../../../server/authz/scope.js';
import { contentHash } from '../../../server/content-hash.js';
import { intArray, textArray } from '../../../server/db/arrays.js';
import type { Db, DbOrTx } from '../../../server/db/client.js';
import { queryRows } from '../../../server/db/client.js';
import type { FileStorage } from '../../../server/files/storage.js';
import { AppError, badRequest, forbidden, notFound } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { assertKnownElements } from '../../frameworks/server/frameworks.service.js';
import { contentDir } from '../../instruments/server/content.js';
import { findOrg, type OrgRow, pathIds } from '../../organizations/server/organizations.queries.js';
import type { ResourceDetail, ResourceInput } from '../resources.contract.js';
import { shippedLibraryFile } from '../resources.model.js';
import { networksOf, visibleResources } from './resources.access.js';
import { card, cardColumns } from './resources.search.js';
import { resourceCollectionItems, resourceCollections, resources } from './resources.tables.js';

/**
 * Brings the starter library (content/resources/*.json) into the database: entries and
 * collections by their content id, changed ones updated, new ones added. Returns warnings.
 */
export async function syncShippedLibrary(db: Db, knownElements: Set<string>): Promise<string[]> {
  const dir = path.join(contentDir, 'resources');
  const warnings: string[] = [];
  const existing = new Map((await db.select({ key: resources.key, hash: resources.contentHash }).from(resources).where(isNull(resources.ownerOrgId))).map((r) => [r.key, r.hash]));
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const parsed = shippedLibraryFile.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
    if (!parsed.success) {
      warnings.push(`Skipped content/resources/${f}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      continue;
    }
    await db.transaction(async (tx) => {
      for (const r of parsed.data.resources) {
        const unknown = r.elements.find((e) => !knownElements.has(e));
        if (unknown) {
          warnings.push(`Skipped resource "${r.id}" of content/resources/${f}: no framework element "${unknown}".`);
          continue;
        }
        const hash = contentHash(r);
        if (existing.get(r.id) === hash) continue;
        const values = { type: r.type, title: r.title, summary: r.summary, audiences: r.audiences, gradeBands: r.gradeBands, languages: r.languages, elements: r.elements, source: r.source, licence: r.licence, url: r.url, example: r.example, contentHash: hash };
        await tx.insert(resources).values({ key: r.id, ...values }).onConflictDoUpdate({ target: resources.key, set: { ...values, updatedAt: sql`now()` } });
      }
      for (const c of parsed.data.collections) {
        const hash = contentHash(c);
        const [row] = await tx
          .insert(resourceCollections)
          .values({ key: c.id, title: c.title, description: c.description, contentHash: hash })
          .onConflictDoUpdate({ target: resourceCollections.key, set: { title: c.title, description: c.description, contentHash: hash, updatedAt: sql`now()` } })
          .returning({ id: resourceCollections.id });
        await tx.delete(resourceCollectionItems).where(eq(resourceCollectionItems.collectionId, row.id));
        await tx.execute(sql`insert into resource_collection_items (collection_id, resource_id, position)
                             select ${row.id}::int, r.id, k.position from unnest(${textArray(c.resources)}) with ordinality as k(key, position)
                             join resources r on r.key = k.key and r.owner_org_id is null`);
      }
    });
  }
  return warnings;
}

type Row = typeof resources.$inferSelect;

/** Whether the actor curates a network's library (admins and coordinators at the network). */
function curates(actor: Actor, network: OrgRow | undefined): boolean {
  return !!network && network.kind === 'network' && can(actor, 'resource.curate', network);
}

async function curatedNetwork(db: DbOrTx, actor: Actor, networkId: number): Promise<OrgRow> {
  const network = await findOrg(db, networkId);
  assertCan(actor, 'org.read', network, 'Network');
  if (network!.kind !== 'network' || !can(actor, 'resource.curate', network!)) throw forbidden('Only the network\'s admins and coordinators curate its library; suggest the resource instead.');
  return network!;
}

/** A resource row the actor may see: published in their library, or a suggestion they made or curate. */
async function loadResource(db: DbOrTx, actor: Actor, id: number): Promise<{ row: Row; owner: OrgRow | undefined; edit: boolean }> {
  const [row] = await db.select().from(resources).where(eq(resources.id, id));
  if (!row) throw notFound('Resource');
  const owner = row.ownerOrgId ? await findOrg(db, row.ownerOrgId) : undefined;
  const edit = row.ownerOrgId === null ? actor.isOperator : curates(actor, owner);
  const published = row.status === 'published' && (row.ownerOrgId === null || actor.isOperator || networksOf(actor).includes(row.ownerOrgId));
  if (!published && !edit && row.suggestedBy !== actor.userId) throw notFound('Resource');
  return { row, owner, edit };
}

/** A resource with its source, licence, review state and collections. */
export async function getResource(db: Db, actor: Actor, id: number): Promise<ResourceDetail> {
  const { row, edit } = await loadResource(db, actor, id);
  const [extra] = await queryRows<{ suggested_by: string | null; suggested_org: string | null }>(
    db,
    sql`select coalesce(nullif(u.name, ''), u.email) as suggested_by, o.name as suggested_org from resources r
        left join users u on u.id = r.suggested_by left join organizations o on o.id = r.suggested_org_id where r.id = ${id}`,
  );
  const collections = await db
    .select({ id: resourceCollections.id, title: resourceCollections.title })
    .from(resourceCollectionItems)
    .innerJoin(resourceCollections, eq(resourceCollections.id, resourceCollectionItems.collectionId))
    .where(eq(resourceCollectionItems.resourceId, id))
    .orderBy(asc(resourceCollections.id));
  const [c] = await queryRows<Parameters<typeof card>[0]>(db, sql`select ${cardColumns} from resources where resources.id = ${id}`);
  return {
    ...card(c),
    source: row.source,
    licence: row.licence,
    status: row.status as ResourceDetail['status'],
    ownerOrgId: row.ownerOrgId,
    suggestedBy: extra?.suggested_by ?? null,
    suggestedOrgName: extra?.suggested_org ?? null,
    reviewNote: row.reviewNote,
    collections,
    can: { edit },
  };
}

const fields = (r: ResourceInput) => ({ type: r.type, title: r.title, summary: r.summary, audiences: r.audiences, gradeBands: r.gradeBands, languages: r.languages, elements: r.elements, source: r.source, licence: r.licence, url: r.url });

/**
 * Adds a resource to a network's library (its curators).
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function createResource(db: Db, actor: Actor, body: ResourceInput & { networkId: number }): Promise<ResourceDetail> {
  const network = await curatedNetwork(db, actor, body.networkId);
  await assertKnownElements(db, body.elements, 'elements');
  const id = await db.transaction(async (tx) => {
    const [row] = await tx.insert(resources).values({ ...fields(body), ownerOrgId: network.id, createdBy: actor.userId || null }).returning({ id: resources.id });
    await writeAudit(tx, { action: 'resource.created', actor, org: network, targetType: 'resource', targetId: row.id });
    return row.id;
  });
  return getResource(db, actor, id);
}

/**
 * Suggests a resource for the library from an organisation; it waits for the network's curators.
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function suggestResource(db: Db, actor: Actor, body: ResourceInput & { orgId: number }): Promise<ResourceDetail> {
  const org = await findOrg(db, body.orgId);
  assertCan(actor, 'resource.suggest', org);
  await assertKnownElements(db, body.elements, 'elements');
  const network = pathIds(org!.path)[0];
  const root = network === org!.id ? org : await findOrg(db, network);
  if (root?.kind !== 'network') throw badRequest('Suggestions go to the curators of a network, and this organisation is not part of one.', 'orgId');
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(resources)
      .values({ ...fields(body), ownerOrgId: network, status: 'suggested', suggestedBy: actor.userId || null, suggestedOrgId: org!.id, createdBy: actor.userId || null })
      .returning({ id: resources.id });
    await writeAudit(tx, { action: 'resource.suggested', actor, org, targetType: 'resource', targetId: row.id });
    return row.id;
  });
  return getResource(db, actor, id);
}

/** Suggestions waiting for a network's curators, oldest first. */
export async function listSuggestions(db: Db, actor: Actor, networkId: number): Promise<ResourceDetail[]> {
  await curatedNetwork(db, actor, networkId);
  const rows = await db.select({ id: resources.id }).from(resources).where(and(eq(resources.ownerOrgId, networkId), eq(resources.status, 'suggested'))).orderBy(asc(resources.createdAt), asc(resources.id));
  return Promise.all(rows.map((r) => getResource(db, actor, r.id)));
}

/**
 * Publishes or declines a suggestion, with a note for the person who made it.
 * @throws AppError not_found | forbidden | conflict (already reviewed)
 */
export async function reviewSuggestion(db: Db, actor: Actor, id: number, decision: 'publish' | 'decline', note: string): Promise<ResourceDetail> {
  const { row, owner, edit } = await loadResource(db, actor, id);
  if (!edit) throw forbidden('Only the network\'s curators review suggestions.');
  if (row.status !== 'suggested') throw new AppError('conflict', 'This suggestion was already reviewed.');
  await db.transaction(async (tx) => {
    await tx.update(resources).set({ status: decision === 'publish' ? 'published' : 'declined', reviewNote: note || null, updatedAt: sql`now()` }).where(eq(resources.id, id));
    await writeAudit(tx, { action: decision === 'publish' ? 'resource.published' : 'resource.declined', actor, org: owner, targetType: 'resource', targetId: id });
  });
  return getResource(db, actor, id);
}

/**
 * Changes a resource (its curators; the starter library only by operators).
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function updateResource(db: Db, actor: Actor, id: number, patch: Partial<ResourceInput>): Promise<ResourceDetail> {
  const { edit } = await loadResource(db, actor, id);
  if (!edit) throw forbidden('Only the network\'s curators change its library.');
  if (patch.elements) await assertKnownElements(db, patch.elements, 'elements');
  await db.update(resources).set({ ...patch, updatedAt: sql`now()` }).where(eq(resources.id, id));
  return getResource(db, actor, id);
}

/**
 * Removes a resource and its file; plans that attached it lose the attachment.
 * @throws AppError not_found | forbidden
 */
export async function deleteResource(db: Db, actor: Actor, storage: FileStorage, id: number): Promise<void> {
  const { row, owner, edit } = await loadResource(db, actor, id);
  if (!edit) throw forbidden('Only the network\'s curators remove resources.');
  await db.transaction(async (tx) => {
    await tx.delete(resources).where(eq(resources.id, id));
    await writeAudit(tx, { action: 'resource.deleted', actor, org: owner, targetType: 'resource', targetId: id, details: { title: row.title } });
  });
  if (row.file) await storage.remove(row.file.key);
}

/** Largest file a resource may carry. */
export const MAX_RESOURCE_FILE = 50 * 1024 * 1024;

/**
 * Stores a file for a resource (replacing any earlier one): its curators, or whoever suggested it
 * while it waits.
 * @throws AppError not_found | forbidden | validation_failed (empty file)
 */
export async function putResourceFile(db: Db, actor: Actor, storage: FileStorage, id: number, file: { body: Buffer; name: string; type: string }): Promise<ResourceDetail> {
  const { row, edit } = await loadResource(db, actor, id);
  if (!edit && !(row.status === 'suggested' && row.suggestedBy === actor.userId)) throw forbidden('Only the network\'s curators add files to its library.');
  if (!file.body.length) throw badRequest('The file is empty.', 'file');
  const key = await storage.put(file.body);
  await db.update(resources).set({ file: { key, name: file.name, type: file.type, size: file.body.length }, updatedAt: sql`now()` }).where(eq(resources.id, id));
  if (row.file) await storage.remove(row.file.key);
  return getResource(db, actor, id);
}

/**
 * The file of a resource the actor may see.
 * @throws AppError not_found (no resource, no file)
 */
export async function getResourceFile(db: Db, actor: Actor, storage: FileStorage, id: number): Promise<{ body: Buffer; name: string; type: string }> {
  const { row } = await loadResource(db, actor, id);
  const body = row.file ? await storage.get(row.file.key) : null;
  if (!row.file || !body) throw notFound('File');
  return { body, name: row.file.name, type: row.file.type };
}

/** Collections the actor may see (the starter ones and their networks'), with how many resources each holds. */
export async function listCollections(db: Db, actor: Actor) {
  const owners = actor.isOperator ? sql`true` : sql`(c.owner_org_id is null or c.owner_org_id = any(${intArray(networksOf(actor))}))`;
  const rows = await queryRows<{ id: number; title: ResourceDetail['title']; description: ResourceDetail['title']; owner_org_id: number | null; n: number }>(
    db,
    sql`select c.id, c.title, c.description, c.owner_org_id,
          (select count(*)::int from resource_collection_items i join resources on resources.id = i.resource_id where i.collection_id = c.id and ${visibleResources(actor)}) as n
        from resource_collections c where ${owners} order by c.owner_org_id nulls first, c.id`,
  );
  return { items: rows.map((r) => ({ id: r.id, title: r.title, description: r.description, resources: r.n, shipped: r.owner_org_id === null })) };
}
