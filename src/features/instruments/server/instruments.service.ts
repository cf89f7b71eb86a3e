import { and, desc, eq, sql } from 'drizzle-orm';
import { type Actor, assertCan, can } from '../../../server/authz/scope.js';
import { contentHash } from '../../../server/content-hash.js';
import type { Db } from '../../../server/db/client.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { frameworks } from '../../frameworks/server/frameworks.tables.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { InstrumentSummary, VersionDetail } from '../instruments.contract.js';
import type { InstrumentDefinition } from '../model/instrument.schema.js';
import { allItems } from '../model/item-types.js';
import { validateDefinition } from '../model/validate.js';
import { instruments, instrumentVersions } from './instruments.tables.js';

type Owner = { id: number; name: string; path: string } | null;

/**
 * Shipped instruments are for everyone; an organisation's own are visible inside its tree: at the
 * owner, above it (the district sees its schools' instruments) and below it (schools use their
 * district's).
 */
function visibleTo(actor: Actor, owner: Owner): boolean {
  if (!owner || actor.isOperator) return true;
  return actor.grants.some((g) => g.path.startsWith(owner.path) || owner.path.startsWith(g.path));
}

function canManage(actor: Actor, owner: Owner): boolean {
  return !!owner && can(actor, 'instrument.manage', owner);
}

function tagsOf(def: InstrumentDefinition): string[] {
  const tags = new Set<string>(def.tags ?? []);
  for (const { item } of allItems(def)) for (const t of item.tags ?? []) tags.add(t);
  for (const s of def.scales) for (const t of s.tags ?? []) tags.add(t);
  return [...tags].sort();
}

interface Loaded {
  id: string;
  owner: Owner;
  versions: (typeof instrumentVersions.$inferSelect)[];
}

function summarize(actor: Actor, l: Loaded): InstrumentSummary {
  const published = l.versions.filter((v) => v.status === 'published').sort((a, b) => b.version - a.version)[0];
  const draft = l.versions.filter((v) => v.status === 'draft').sort((a, b) => b.version - a.version)[0];
  const shown = (published ?? draft)!.definition;
  return {
    id: l.id,
    ownerOrgId: l.owner?.id ?? null,
    ownerName: l.owner?.name ?? null,
    kind: shown.kind,
    audience: shown.audience,
    gradeBand: shown.gradeBand ?? null,
    title: shown.title,
    description: shown.description ?? null,
    languages: shown.languages,
    publishedVersion: published?.version ?? null,
    draftVersion: draft?.version ?? null,
    itemCount: allItems(shown).filter(({ item }) => item.type !== 'note' && item.type !== 'calc').length,
    scaleCount: shown.scales.length,
    tags: tagsOf(shown),
    canManage: canManage(actor, l.owner),
  };
}

async function loadAll(db: Db): Promise<Loaded[]> {
  const rows = await db
    .select({ id: instruments.id, ownerId: organizations.id, ownerName: organizations.name, ownerPath: organizations.path })
    .from(instruments)
    .leftJoin(organizations, eq(organizations.id, instruments.ownerOrgId));
  const versions = await db.select().from(instrumentVersions).orderBy(desc(instrumentVersions.version));
  return rows.map((r) => ({
    id: r.id,
    owner: r.ownerId ? { id: r.ownerId, name: r.ownerName!, path: r.ownerPath! } : null,
    versions: versions.filter((v) => v.instrumentId === r.id),
  }));
}

async function loadOne(db: Db, actor: Actor, id: string): Promise<Loaded> {
  const [row] = await db
    .select({ id: instruments.id, ownerId: organizations.id, ownerName: organizations.name, ownerPath: organizations.path })
    .from(instruments)
    .leftJoin(organizations, eq(organizations.id, instruments.ownerOrgId))
    .where(eq(instruments.id, id));
  const owner = row?.ownerId ? { id: row.ownerId, name: row.ownerName!, path: row.ownerPath! } : null;
  if (!row || !visibleTo(actor, owner)) throw notFound('Instrument');
  const versions = await db.select().from(instrumentVersions).where(eq(instrumentVersions.instrumentId, id)).orderBy(desc(instrumentVersions.version));
  return { id, owner, versions };
}

/**
 * The instrument library the caller can see, filtered by kind, audience, framework element and
 * words of the title. The library holds tens to hundreds of instruments, so filtering the
 * definitions happens here rather than in SQL.
 */
export async function listInstruments(db: Db, actor: Actor, q: { kind?: string; audience?: string; tag?: string; q?: string }): Promise<InstrumentSummary[]> {
  const words = q.q?.toLowerCase();
  return (await loadAll(db))
    .filter((l) => l.versions.length > 0 && visibleTo(actor, l.owner))
    .map((l) => summarize(actor, l))
    .filter((s) => (!q.kind || s.kind === q.kind) && (!q.audience || s.audience === q.audience))
    .filter((s) => !q.tag || s.tags.includes(q.tag) || s.tags.some((t) => t.startsWith(`${q.tag}:`)))
    .filter((s) => !words || Object.values(s.title).some((t) => t?.toLowerCase().includes(words)) || s.id.includes(words))
    .sort((a, b) => (a.ownerOrgId === null ? 0 : 1) - (b.ownerOrgId === null ? 0 : 1) || (a.title.en ?? a.id).localeCompare(b.title.en ?? b.id));
}

export async function getInstrument(db: Db, actor: Actor, id: string) {
  const l = await loadOne(db, actor, id);
  return {
    ...summarize(actor, l),
    versions: l.versions.map((v) => ({ version: v.version, status: v.status as 'draft' | 'published', createdAt: v.createdAt.toISOString(), publishedAt: v.publishedAt?.toISOString() ?? null })),
  };
}

async function knownTags(db: Db): Promise<Set<string>> {
  const rows = await db.select({ definition: frameworks.definition }).from(frameworks);
  return new Set(rows.flatMap((r) => r.definition.elements.map((e) => `${r.definition.id}:${e.id}`)));
}

/** One version with its definition and the checks publishing would run. */
export async function getVersion(db: Db, actor: Actor, id: string, version: number): Promise<VersionDetail> {
  const l = await loadOne(db, actor, id);
  const v = l.versions.find((x) => x.version === version);
  if (!v) throw notFound('Version');
  const { issues } = validateDefinition(v.definition, await knownTags(db));
  return { instrumentId: id, version, status: v.status as 'draft' | 'published', definition: v.definition, issues, canEdit: v.status === 'draft' && canManage(actor, l.owner) };
}

/** The published definition of a version, for code that stores or checks answers. */
export async function loadPublishedDefinition(db: Db, id: string, version: number): Promise<InstrumentDefinition | null> {
  // A published version never changes, so it is read once per database (answer saves need it each time).
  let cache = publishedCache.get(db);
  if (!cache) publishedCache.set(db, (cache = new Map()));
  const key = `${id}@${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const [v] = await db.select().from(instrumentVersions).where(and(eq(instrumentVersions.instrumentId, id), eq(instrumentVersions.version, version), eq(instrumentVersions.status, 'published')));
  if (v) cache.set(key, v.definition);
  return v?.definition ?? null;
}

const publishedCache = new WeakMap<object, Map<string, InstrumentDefinition>>();

/**
 * Copies a version into a new draft: a new version of an instrument the caller manages, or a new
 * instrument owned by an organisation where the caller may manage instruments.
 * @throws AppError not_found | forbidden | validation_failed | conflict
 */
export async function cloneVersion(db: Db, actor: Actor, id: string, version: number, input: { ownerOrgId: number; newId?: string }): Promise<VersionDetail> {
  const source = await loadOne(db, actor, id);
  const from = source.versions.find((v) => v.version === version);
  if (!from) throw notFound('Version');
  const owner = await findOrg(db, input.ownerOrgId);
  assertCan(actor, 'instrument.manage', owner, 'Organisation');
  const asNewVersion = !input.newId || input.newId === id;
  if (asNewVersion) {
    if (source.owner?.id !== owner!.id) throw badRequest('Give the copy a new id: this instrument belongs to another organisation (or ships with Schoolwell).', 'newId');
    if (source.versions.some((v) => v.status === 'draft')) throw conflict('This instrument already has a draft; edit or publish it first.');
  }
  const targetId = asNewVersion ? id : input.newId!;
  const nextVersion = asNewVersion ? Math.max(...source.versions.map((v) => v.version)) + 1 : 1;
  const definition: InstrumentDefinition = { ...structuredClone(from.definition), id: targetId, version: nextVersion };
  await db.transaction(async (tx) => {
    if (!asNewVersion) {
      const [clash] = await tx.select({ id: instruments.id }).from(instruments).where(eq(instruments.id, targetId));
      if (clash) throw conflict('Another instrument already has this id.', 'newId');
      await tx.insert(instruments).values({ id: targetId, ownerOrgId: owner!.id, kind: definition.kind, audience: definition.audience, createdBy: actor.userId });
    }
    await tx.insert(instrumentVersions).values({ instrumentId: targetId, version: nextVersion, status: 'draft', definition, contentHash: contentHash(definition), createdBy: actor.userId });
    await writeAudit(tx, { action: 'instrument.drafted', actor, org: owner!, targetType: 'instrument', targetId: `${targetId}@${nextVersion}`, details: { from: `${id}@${version}` } });
  });
  return getVersion(db, actor, targetId, nextVersion);
}

async function loadDraft(db: Db, actor: Actor, id: string, version: number) {
  const l = await loadOne(db, actor, id);
  const v = l.versions.find((x) => x.version === version);
  if (!v) throw notFound('Version');
  if (!canManage(actor, l.owner)) throw forbidden(l.owner ? undefined : 'Shipped instruments cannot be edited; copy one into a draft of your own.');
  if (v.status !== 'draft') throw conflict('A published version never changes. Copy it into a new draft instead.');
  return { l, v };
}

/**
 * Saves a draft's definition (shape-checked at the edge). Id and version stay as they are; kind
 * and audience may still change before publishing.
 * @throws AppError not_found | forbidden | conflict (published) | validation_failed
 */
export async function saveDraft(db: Db, actor: Actor, id: string, version: number, definition: InstrumentDefinition): Promise<VersionDetail> {
  const { l } = await loadDraft(db, actor, id, version);
  if (definition.id !== id || definition.version !== version) throw badRequest('The id and version of a draft cannot change.', definition.id !== id ? 'definition.id' : 'definition.version');
  await db.transaction(async (tx) => {
    await tx
      .update(instrumentVersions)
      .set({ definition, contentHash: contentHash(definition), updatedAt: sql`now()` })
      .where(and(eq(instrumentVersions.instrumentId, id), eq(instrumentVersions.version, version), eq(instrumentVersions.status, 'draft')));
    await tx.update(instruments).set({ kind: definition.kind, audience: definition.audience }).where(eq(instruments.id, id));
    await writeAudit(tx, { action: 'instrument.draft_saved', actor, org: l.owner, targetType: 'instrument', targetId: `${id}@${version}` });
  });
  return getVersion(db, actor, id, version);
}

/**
 * Publishes a draft after the full checks; from then on it never changes.
 * @throws AppError validation_failed (with the first problem's path as field) | conflict | forbidden
 */
export async function publishVersion(db: Db, actor: Actor, id: string, version: number): Promise<VersionDetail> {
  const { l, v } = await loadDraft(db, actor, id, version);
  const { issues } = validateDefinition(v.definition, await knownTags(db));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new AppError('validation_failed', `This draft cannot be published yet: ${errors.length} problem${errors.length > 1 ? 's' : ''}, first: ${errors[0].message}`, `definition.${errors[0].path}`);
  await db.transaction(async (tx) => {
    const [done] = await tx
      .update(instrumentVersions)
      .set({ status: 'published', publishedAt: sql`now()`, publishedBy: actor.userId })
      .where(and(eq(instrumentVersions.instrumentId, id), eq(instrumentVersions.version, version), eq(instrumentVersions.status, 'draft')))
      .returning({ version: instrumentVersions.version });
    if (!done) throw conflict('This version was published meanwhile.');
    await writeAudit(tx, { action: 'instrument.published', actor, org: l.owner, targetType: 'instrument', targetId: `${id}@${version}`, details: { warnings: issues.length } });
  });
  return getVersion(db, actor, id, version);
}

/** Deletes a draft (an instrument with nothing else left goes with it). */
export async function deleteDraft(db: Db, actor: Actor, id: string, version: number): Promise<void> {
  const { l } = await loadDraft(db, actor, id, version);
  await db.transaction(async (tx) => {
    await tx.delete(instrumentVersions).where(and(eq(instrumentVersions.instrumentId, id), eq(instrumentVersions.version, version), eq(instrumentVersions.status, 'draft')));
    if (l.versions.length === 1) await tx.delete(instruments).where(eq(instruments.id, id));
    await writeAudit(tx, { action: 'instrument.draft_deleted', actor, org: l.owner, targetType: 'instrument', targetId: `${id}@${version}` });
  });
}
