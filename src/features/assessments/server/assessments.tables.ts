import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../auth/server/auth.tables.js';
import { instruments } from '../../instruments/server/instruments.tables.js';
import { organizations } from '../../organizations/server/organizations.tables.js';

/**
 * A team's assessment of one organisation with one instrument version for one period (school year
 * and term). Team data: identified and audited, visible inside the organisation and above it.
 * One per organisation, instrument and period; reopening brings the same one back.
 */
export const assessments = pgTable(
  'assessments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: integer('org_id').notNull().references(() => organizations.id),
    /** The enclosing state, the distribution column of a sharded deployment. */
    stateId: integer('state_id'),
    instrumentId: text('instrument_id').notNull().references(() => instruments.id),
    instrumentVersion: integer('instrument_version').notNull(),
    schoolYear: text('school_year').notNull(),
    term: text('term').notNull(),
    status: text('status').notNull().default('in_progress'),
    copiedFromId: integer('copied_from_id'),
    startedBy: integer('started_by').references(() => users.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    submittedBy: integer('submitted_by').references(() => users.id, { onDelete: 'set null' }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    reopenedCount: integer('reopened_count').notNull().default(0),
  },
  (t) => [
    uniqueIndex('assessments_org_instrument_period_key').on(t.orgId, t.instrumentId, t.schoolYear, t.term),
    index('assessments_state_period_idx').on(t.stateId, t.instrumentId, t.schoolYear, t.term, t.status),
  ],
);

/** One answer slot of an assessment, saved as it is given, with who changed it and when. */
export const assessmentAnswers = pgTable(
  'assessment_answers',
  {
    assessmentId: integer('assessment_id').notNull().references(() => assessments.id, { onDelete: 'cascade' }),
    slotId: text('slot_id').notNull(),
    value: jsonb('value'),
    note: text('note'),
    evidence: jsonb('evidence').$type<string[]>(),
    updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.slotId] }), index('assessment_answers_changes_idx').on(t.assessmentId, t.updatedAt)],
);

/** Scale scores of a submitted assessment, written at submission for dashboards to read in SQL. */
export const assessmentScores = pgTable(
  'assessment_scores',
  {
    assessmentId: integer('assessment_id').notNull().references(() => assessments.id, { onDelete: 'cascade' }),
    scaleId: text('scale_id').notNull(),
    score: doublePrecision('score'),
    band: text('band'),
    answered: integer('answered').notNull(),
    total: integer('total').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.scaleId] })],
);

/**
 * Quality scores rolled up per group of schools (their parent, usually a district), school year,
 * scale and band, from each school's latest submitted assessment in the year. Refreshed for one
 * group in the same transaction as a submission or a reopening, so state and network dashboards
 * read a few hundred rows instead of every school's scores.
 */
export const qualityRollup = pgTable(
  'quality_rollup',
  {
    groupId: integer('group_id').notNull(),
    groupPath: text('group_path').notNull(),
    stateId: integer('state_id'),
    instrumentId: text('instrument_id').notNull(),
    schoolYear: text('school_year').notNull(),
    scaleId: text('scale_id').notNull(),
    /** '' for scores outside every band. */
    band: text('band').notNull(),
    schools: integer('schools').notNull(),
    sumScore: doublePrecision('sum_score').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.instrumentId, t.schoolYear, t.scaleId, t.band] }),
    index('quality_rollup_path_idx').using('btree', sql`${t.groupPath} text_pattern_ops`, t.instrumentId, t.schoolYear),
  ],
);

/**
 * Census coverage per group of schools (their parent), instrument and school year: how many of
 * the group's active schools submitted in the year, only started, or submitted the year before
 * and nothing since. Refreshed with the quality roll-up (the year and the next, which reads this
 * one) and when schools move, close or reopen, so coverage across a state reads a few rows.
 */
export const coverageRollup = pgTable(
  'coverage_rollup',
  {
    groupId: integer('group_id').notNull(),
    groupPath: text('group_path').notNull(),
    instrumentId: text('instrument_id').notNull(),
    schoolYear: text('school_year').notNull(),
    submitted: integer('submitted').notNull(),
    started: integer('started').notNull(),
    lastYear: integer('last_year').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.instrumentId, t.schoolYear] }),
    index('coverage_rollup_path_idx').using('btree', sql`${t.groupPath} text_pattern_ops`, t.instrumentId, t.schoolYear),
  ],
);
