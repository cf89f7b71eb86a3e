import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { FrameworkDefinition } from '../frameworks.contract.js';
import { organizations } from '../../organizations/server/organizations.tables.js';

/**
 * Frameworks as data. Shipped ones (owner null) are loaded from content/frameworks at start and
 * refreshed from the files until someone edits them here; a network may also own its own.
 */
export const frameworks = pgTable(
  'frameworks',
  {
    id: text('id').primaryKey(),
    ownerOrgId: integer('owner_org_id').references(() => organizations.id),
    definition: jsonb('definition').$type<FrameworkDefinition>().notNull(),
    contentHash: text('content_hash').notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    editedBy: integer('edited_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('frameworks_owner_idx').on(t.ownerOrgId)],
);

/** The frameworks a network has chosen for its members. */
export const networkFrameworks = pgTable(
  'network_frameworks',
  {
    networkId: integer('network_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    frameworkId: text('framework_id').notNull().references(() => frameworks.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.frameworkId] })],
);
