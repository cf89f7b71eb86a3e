import { sql } from 'drizzle-orm';
import { type AnyPgColumn, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The organisation tree. `path` is the materialised chain of ids ('/1/4/27/'), so a subtree is one
 * prefix scan; `state_id` is the enclosing state (the state itself carries its own id), the column
 * a sharded deployment would distribute on.
 */
export const organizations = pgTable(
  'organizations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    parentId: integer('parent_id').references((): AnyPgColumn => organizations.id),
    stateId: integer('state_id'),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    country: text('country'),
    gradeSpan: text('grade_span'),
    enrolment: integer('enrolment'),
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').notNull().default('active'),
    /** Smallest group of survey respondents any figure may describe here and below (a network's choice, raised by those below it). */
    minCellSize: integer('min_cell_size'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organizations_path_key').using('btree', sql`${t.path} text_pattern_ops`),
    index('organizations_parent_name_idx').on(t.parentId, t.name, t.id),
    // Child counts in every listing read only this index.
    index('organizations_active_children_idx').on(t.parentId).where(sql`${t.status} = 'active'`),
    // Codes are unique inside a state of one network (the tree's root is the path's first id);
    // state codes are unique inside their network. Two networks never collide.
    uniqueIndex('organizations_state_code_key').on(sql`split_part(${t.path}, '/', 2)`, sql`coalesce(${t.stateId}, 0)`, t.code).where(sql`${t.kind} <> 'state'`),
    uniqueIndex('organizations_top_code_key').on(sql`split_part(${t.path}, '/', 2)`, t.code).where(sql`${t.kind} = 'state'`),
    index('organizations_state_idx').on(t.stateId),
    check('organizations_kind_check', sql`${t.kind} in ('network','state','region','district','school','partner')`),
    check('organizations_min_cell_size_check', sql`${t.minCellSize} between 5 and 30`),
    check('organizations_status_check', sql`${t.status} in ('active','archived')`),
  ],
);

/** A partner organisation linked to a school or district it serves. */
export const partnerLinks = pgTable(
  'partner_links',
  {
    partnerId: integer('partner_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    orgId: integer('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.orgId] }), index('partner_links_org_idx').on(t.orgId)],
);

/** A directory import run: progress for the UI, summary when done. */
export const importJobs = pgTable('import_jobs', {
  id: text('id').primaryKey(),
  orgId: integer('org_id').references(() => organizations.id),
  userId: integer('user_id'),
  fileName: text('file_name'),
  preset: text('preset'),
  dryRun: boolean('dry_run').notNull().default(false),
  status: text('status').notNull().default('running'),
  rowsRead: integer('rows_read').notNull().default(0),
  rowsTotal: integer('rows_total'),
  summary: jsonb('summary').$type<Record<string, unknown>>(),
  error: text('error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
