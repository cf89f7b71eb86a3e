import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../../auth/server/auth.tables.js';
import type { LocalizedText } from '../../instruments/model/text.js';
import { organizations } from '../../organizations/server/organizations.tables.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Words of every language of a localized field, for one language's text search. */
const words = (lang: 'en' | 'fr' | 'es', config: string, field: string, weight: string) =>
  `setweight(to_tsvector('${config}'::regconfig, coalesce(${field}->>'${lang}', '')), '${weight}')`;
const searchable = ['title', 'summary'].flatMap((field, i) => (['en', 'fr', 'es'] as const).map((lang) => words(lang, { en: 'english', fr: 'french', es: 'spanish' }[lang], field, 'AB'[i]))).join(' || ');

/** A file kept for a resource (on disk or in S3-compatible storage, by `key`). */
export interface StoredFile {
  key: string;
  name: string;
  type: string;
  size: number;
}

/**
 * The resource library. Shipped entries (owner null, `key` their content id) are visible to
 * everyone; a network's own to the people of that network. Schools suggest entries (status
 * `suggested`) that the network's curators publish or decline.
 */
export const resources = pgTable(
  'resources',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    key: text('key').unique(),
    ownerOrgId: integer('owner_org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    status: text('status').notNull().default('published'),
    type: text('type').notNull(),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    summary: jsonb('summary').$type<LocalizedText>().notNull(),
    audiences: text('audiences').array().notNull().default(sql`'{}'::text[]`),
    gradeBands: text('grade_bands').array().notNull().default(sql`'{}'::text[]`),
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    elements: text('elements').array().notNull().default(sql`'{}'::text[]`),
    source: text('source').notNull().default(''),
    licence: text('licence').notNull().default(''),
    url: text('url'),
    example: boolean('example').notNull().default(false),
    file: jsonb('file').$type<StoredFile>(),
    /** Who suggested it and from which organisation, while it waits and after. */
    suggestedBy: integer('suggested_by').references(() => users.id, { onDelete: 'set null' }),
    suggestedOrgId: integer('suggested_org_id').references(() => organizations.id, { onDelete: 'set null' }),
    reviewNote: text('review_note'),
    contentHash: text('content_hash'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Full-text words of titles (weight A) and summaries (B) in English, French and Spanish. */
    search: tsvector('search').generatedAlwaysAs(sql.raw(searchable)),
    /** The titles' words alone (small, read for every match): results are ranked by how their titles match. */
    titleSearch: tsvector('title_search').generatedAlwaysAs(sql.raw((['en', 'fr', 'es'] as const).map((lang) => `to_tsvector('${{ en: 'english', fr: 'french', es: 'spanish' }[lang]}'::regconfig, coalesce(title->>'${lang}', ''))`).join(' || '))),
  },
  (t) => [
    index('resources_owner_idx').on(t.ownerOrgId, t.status),
    index('resources_search_idx').using('gin', t.search),
    index('resources_elements_idx').using('gin', t.elements),
    check('resources_status_check', sql`${t.status} in ('published', 'suggested', 'declined')`),
  ],
);

/** A curated, ordered set of resources ("Getting started with school connectedness"). */
export const resourceCollections = pgTable(
  'resource_collections',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    key: text('key').unique(),
    ownerOrgId: integer('owner_org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<LocalizedText>().notNull(),
    contentHash: text('content_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('resource_collections_owner_idx').on(t.ownerOrgId)],
);

export const resourceCollectionItems = pgTable(
  'resource_collection_items',
  {
    collectionId: integer('collection_id').notNull().references(() => resourceCollections.id, { onDelete: 'cascade' }),
    resourceId: integer('resource_id').notNull().references(() => resources.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.resourceId] }), index('resource_collection_items_resource_idx').on(t.resourceId)],
);

/**
 * Every word of the published library's titles and summaries (lower case, three letters or more),
 * per owner, kept by a trigger. A search that finds nothing looks here, among the words of what the
 * reader may see, for the closest spelling of each unknown word (trigram similarity).
 */
export const resourceWords = pgTable(
  'resource_words',
  {
    /** Whose library the word comes from: a network's id, or 0 for the starter library. Only published resources give words. */
    owner: integer('owner').notNull().default(0),
    word: text('word').notNull(),
  },
  (t) => [primaryKey({ columns: [t.owner, t.word] }), index('resource_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
);

/**
 * One row counting changes to the library (resources and collections), bumped by triggers, so
 * that search counts and facets can be kept per version of the library.
 */
export const resourceLibraryVersion = pgTable('resource_library_version', { id: integer('id').primaryKey().default(1), version: bigint('version', { mode: 'number' }).notNull().default(0) }, (t) => [
  check('resource_library_version_one_row', sql`${t.id} = 1`),
]);
