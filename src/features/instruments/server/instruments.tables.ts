import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { InstrumentDefinition } from '../model/instrument.schema.js';

/**
 * An instrument: shipped (owner null, visible to all) or owned by an organisation (visible in its
 * tree). Its versions hold the definitions; everything that stores answers names id and version.
 */
export const instruments = pgTable(
  'instruments',
  {
    id: text('id').primaryKey(),
    ownerOrgId: integer('owner_org_id').references(() => organizations.id),
    kind: text('kind').notNull(),
    audience: text('audience').notNull(),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('instruments_owner_idx').on(t.ownerOrgId)],
);

/** A version is a draft until published; a published version never changes again. */
export const instrumentVersions = pgTable(
  'instrument_versions',
  {
    instrumentId: text('instrument_id').notNull().references(() => instruments.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    status: text('status').notNull().default('draft'),
    definition: jsonb('definition').$type<InstrumentDefinition>().notNull(),
    contentHash: text('content_hash').notNull(),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: integer('published_by'),
  },
  (t) => [primaryKey({ columns: [t.instrumentId, t.version] })],
);
