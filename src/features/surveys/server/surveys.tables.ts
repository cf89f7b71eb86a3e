import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../auth/server/auth.tables.js';
import { instruments } from '../../instruments/server/instruments.tables.js';
import type { LocalizedText } from '../../instruments/model/text.js';
import { organizations } from '../../organizations/server/organizations.tables.js';

/**
 * One survey instrument given by one organisation to some of its schools over a window ("Fall
 * 2026 student connectedness survey, Maple District, all 14 schools"). Open while
 * opens_at ≤ now < closes_at; closing early, extending and reopening move closes_at.
 */
export const surveyAdministrations = pgTable(
  'survey_administrations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: integer('org_id').notNull().references(() => organizations.id),
    stateId: integer('state_id'),
    instrumentId: text('instrument_id').notNull().references(() => instruments.id),
    instrumentVersion: integer('instrument_version').notNull(),
    title: text('title').notNull(),
    audience: text('audience').notNull(),
    languages: text('languages').array().notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    /** The zone the coordinator set the dates in (IANA name), to show them back the same way. */
    timeZone: text('time_zone').notNull(),
    consentModel: text('consent_model').notNull(),
    notice: jsonb('notice').$type<LocalizedText>().notNull(),
    assent: jsonb('assent').$type<LocalizedText>().notNull(),
    /** Demographic questions of the instrument that this administration asks (the others are left out). */
    demographics: text('demographics').array().notNull(),
    openLink: boolean('open_link').notNull(),
    accessCodes: boolean('access_codes').notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('survey_administrations_org_idx').on(t.orgId)],
);

/**
 * A school taking part in an administration, with its open link code. "No thanks" on the assent
 * screen is only ever a count here.
 */
export const surveySites = pgTable(
  'survey_sites',
  {
    administrationId: integer('administration_id').notNull().references(() => surveyAdministrations.id, { onDelete: 'cascade' }),
    orgId: integer('org_id').notNull().references(() => organizations.id),
    linkCode: text('link_code').notNull(),
    declined: integer('declined').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.administrationId, t.orgId] }), uniqueIndex('survey_sites_link_code_key').on(t.linkCode)],
);

/** A batch of single-use codes printed for a class (or a count) at one school. */
export const surveyCodeBatches = pgTable('survey_code_batches', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  administrationId: integer('administration_id').notNull().references(() => surveyAdministrations.id, { onDelete: 'cascade' }),
  orgId: integer('org_id').notNull().references(() => organizations.id),
  label: text('label').notNull(),
  count: integer('count').notNull(),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Single-use codes, stored only as SHA-256 hashes. Using one sets `used`; which response it
 * produced is never written anywhere.
 */
export const surveyAccessCodes = pgTable(
  'survey_access_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    batchId: integer('batch_id').notNull().references(() => surveyCodeBatches.id, { onDelete: 'cascade' }),
    administrationId: integer('administration_id').notNull(),
    orgId: integer('org_id').notNull(),
    used: boolean('used').notNull().default(false),
  },
  (t) => [index('survey_access_codes_batch_idx').on(t.batchId), index('survey_access_codes_site_idx').on(t.administrationId, t.orgId)],
);

/**
 * One anonymous response. Never stored: who, IP address, user agent, exact time (the day only).
 * Rated answers sit in one smallint array in the instrument version's slot order (fast to scan);
 * demographic answers apart for grouping; everything else (choices, numbers, text) in `other`.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    /** Made by the respondent's device so that retries store one response; the key (no serial id to keep up). */
    submissionId: uuid('submission_id').primaryKey(),
    // No foreign key: checking one locks the administration's row for every insert, and concurrent
    // respondents would queue on it. Responses go only through the service, which knows the administration.
    administrationId: integer('administration_id').notNull(),
    orgId: integer('org_id').notNull(),
    /** The enclosing state, the distribution column of a sharded deployment. */
    stateId: integer('state_id'),
    instrumentVersion: integer('instrument_version').notNull(),
    language: text('language').notNull(),
    submittedOn: date('submitted_on').notNull().default(sql`current_date`),
    /** Rated answers by slot order; null skipped; -1 not applicable, -2 don't know, -3 prefer not to say. */
    ratings: smallint('ratings').array().notNull(),
    groups: jsonb('groups').$type<Record<string, string | string[]>>().notNull(),
    other: jsonb('other').$type<Record<string, unknown>>().notNull(),
    /** Every question skipped. */
    blank: boolean('blank').notNull(),
    /** Counted into survey_item_counts yet (the roll-up job takes the others). */
    rolled: boolean('rolled').notNull().default(false),
  },
  (t) => [
    index('survey_responses_site_day_idx').on(t.administrationId, t.orgId, t.submittedOn),
    // Responses waiting for the roll-up, school by school: a batch then covers few schools and adds up compactly.
    index('survey_responses_pending_idx').on(t.administrationId, t.orgId, t.submissionId).where(sql`not ${t.rolled}`),
  ],
);

/**
 * Answers counted per administration, organisation (each school, and every organisation above it
 * for its schools together), rated item (1-based slot order) and value, overall (dim = '') and per
 * demographic answer (dim = the demographic question, grp = the answer).
 * Kept current by the roll-up job; reports read these, never the responses.
 */
export const surveyItemCounts = pgTable(
  'survey_item_counts',
  {
    administrationId: integer('administration_id').notNull(),
    orgId: integer('org_id').notNull(),
    item: smallint('item').notNull(),
    value: smallint('value').notNull(),
    dim: text('dim').notNull(),
    grp: text('grp').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.administrationId, t.orgId, t.item, t.value, t.dim, t.grp] })],
);

/**
 * The scales of an instrument version as the roll-up needs them in SQL: one row per scale item,
 * by its 1-based place in the ratings array, with how it is scored. A version is described once
 * (survey_layouts marks it, even when it has no scales) before any of its responses is counted.
 */
export const surveyLayouts = pgTable(
  'survey_layouts',
  {
    instrumentId: text('instrument_id').notNull(),
    instrumentVersion: integer('instrument_version').notNull(),
    /** Rated slot ids in ratings-array order, so reports read item n back as a slot id. */
    rated: text('rated').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.instrumentId, t.instrumentVersion] })],
);

export const surveyScaleItems = pgTable(
  'survey_scale_items',
  {
    instrumentId: text('instrument_id').notNull(),
    instrumentVersion: integer('instrument_version').notNull(),
    /** 1-based place of the scale in the instrument's scales. */
    scale: smallint('scale').notNull(),
    item: smallint('item').notNull(),
    reverse: boolean('reverse').notNull(),
    lo: smallint('lo').notNull(),
    hi: smallint('hi').notNull(),
    favFrom: smallint('fav_from').notNull(),
    method: text('method').notNull(),
    minAnswered: doublePrecision('min_answered').notNull(),
    itemCount: smallint('item_count').notNull(),
    /** Band lower bounds in ascending order, and the top band's upper bound (empty when none). */
    bandMins: doublePrecision('band_mins').array().notNull(),
    bandMax: doublePrecision('band_max'),
  },
  (t) => [primaryKey({ columns: [t.instrumentId, t.instrumentVersion, t.scale, t.item] })],
);

/**
 * Scale scores counted per administration, organisation (each school and every organisation
 * above it) and group: band 0 holds respondents with a valid score, the sum of their scores and
 * the favourable share of their answers; band b > 0 how many scored in the b-th band.
 */
export const surveyScaleCounts = pgTable(
  'survey_scale_counts',
  {
    administrationId: integer('administration_id').notNull(),
    orgId: integer('org_id').notNull(),
    scale: smallint('scale').notNull(),
    band: smallint('band').notNull(),
    dim: text('dim').notNull(),
    grp: text('grp').notNull(),
    n: integer('n').notNull(),
    scoreSum: doublePrecision('score_sum').notNull(),
    fav: integer('fav').notNull(),
    answers: integer('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.administrationId, t.orgId, t.scale, t.band, t.dim, t.grp] })],
);

/**
 * What the suppression plans read: per administration and grouping, how many respondents (item
 * 0), answers with a point to each rated item (item n) and valid scores of each scale (item −s)
 * every organisation and group has. Kept by the roll-up beside the detailed counts, in the order
 * a plan scans it.
 */
export const surveyCellCounts = pgTable(
  'survey_cell_counts',
  {
    administrationId: integer('administration_id').notNull(),
    dim: text('dim').notNull(),
    item: smallint('item').notNull(),
    orgId: integer('org_id').notNull(),
    grp: text('grp').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.administrationId, t.dim, t.item, t.orgId, t.grp] })],
);
