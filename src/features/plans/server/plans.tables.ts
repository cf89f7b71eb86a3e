import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../auth/server/auth.tables.js';
import { assessments } from '../../assessments/server/assessments.tables.js';
import type { LocalizedText } from '../../instruments/model/text.js';
import { frameworks } from '../../frameworks/server/frameworks.tables.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import { resources } from '../../resources/server/resources.tables.js';
import type { GoalMeasure, PlanTemplateDefinition, PriorityRatings } from '../plans.model.js';

/**
 * A result a team chose to turn into a plan goal ("make this a plan goal" beside a strength or a
 * priority). It waits on the organisation's plans page until a plan takes it up or the team
 * dismisses it. The question's words are kept as they were asked, in every language.
 */
export const goalProposals = pgTable(
  'goal_proposals',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: integer('org_id').notNull().references(() => organizations.id),
    assessmentId: integer('assessment_id').notNull().references(() => assessments.id, { onDelete: 'cascade' }),
    slotId: text('slot_id').notNull(),
    /** The scale (domain) the question counts toward, if any. */
    scaleId: text('scale_id'),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    /** The rating the team gave, for context in the goal. */
    value: doublePrecision('value'),
    /** open: waiting; used: a plan took it up. Dismissing deletes it (it may be proposed again). */
    status: text('status').notNull().default('open'),
    proposedBy: integer('proposed_by').references(() => users.id, { onDelete: 'set null' }),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('goal_proposals_assessment_slot_key').on(t.assessmentId, t.slotId), index('goal_proposals_org_idx').on(t.orgId, t.status)],
);

/**
 * A plan of an organisation for a period: a multi-year strategy, or a one-year action plan (which
 * may sit under a strategy through `parentId`). Its board is organised by one framework.
 */
export const plans = pgTable(
  'plans',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: integer('org_id').notNull().references(() => organizations.id),
    /** The enclosing state (the intended distribution column). */
    stateId: integer('state_id'),
    parentId: integer('parent_id').references((): AnyPgColumn => plans.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    frameworkId: text('framework_id').notNull().references(() => frameworks.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    /** active or archived (kept for the record, out of the roll-ups). */
    status: text('status').notNull().default('active'),
    /** The template the plan started from, by title, for the record. */
    templateId: integer('template_id').references((): AnyPgColumn => planTemplates.id, { onDelete: 'set null' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plans_org_idx').on(t.orgId, t.status), index('plans_state_idx').on(t.stateId), check('plans_period_check', sql`${t.endsOn} >= ${t.startsOn}`), check('plans_status_check', sql`${t.status} in ('active', 'archived')`)],
);

/** What motivated a goal: a result as it was when the goal was set. */
export interface GoalSource {
  kind: 'assessment' | 'survey' | 'proposal';
  /** The assessment or survey administration. */
  id: number;
  scaleId?: string;
  slotId?: string;
  group?: { questionId: string; value: string } | null;
  /** The figure at the time, and the period it belongs to. */
  value: number | null;
  period: string;
}

/** A goal of a plan: tagged with framework elements, with a measurable target where it has one. */
export const planGoals = pgTable(
  'plan_goals',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    planId: integer('plan_id').notNull().references(() => plans.id, { onDelete: 'cascade' }),
    orgId: integer('org_id').notNull().references(() => organizations.id),
    position: integer('position').notNull().default(0),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    elements: text('elements').array().notNull().default(sql`'{}'::text[]`),
    source: jsonb('source').$type<GoalSource>(),
    measure: jsonb('measure').$type<GoalMeasure>(),
    baseline: doublePrecision('baseline'),
    target: doublePrecision('target'),
    targetDate: date('target_date'),
    proposalId: integer('proposal_id').references(() => goalProposals.id, { onDelete: 'set null' }),
    /** The goal's status at its last check against results (kept for the district and state roll-up). */
    checkStatus: text('check_status'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plan_goals_plan_idx').on(t.planId, t.position), index('plan_goals_org_idx').on(t.orgId), index('plan_goals_elements_idx').using('gin', t.elements)],
);

/** An action toward a goal: who, when, where it stands, and how much it matters. */
export const planActions = pgTable(
  'plan_actions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    goalId: integer('goal_id').notNull().references(() => planGoals.id, { onDelete: 'cascade' }),
    planId: integer('plan_id').notNull().references(() => plans.id, { onDelete: 'cascade' }),
    orgId: integer('org_id').notNull().references(() => organizations.id),
    position: integer('position').notNull().default(0),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** A person with an account, or only a name (a partner, a parent volunteer). */
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    ownerName: text('owner_name'),
    startsOn: date('starts_on'),
    dueOn: date('due_on'),
    status: text('status').notNull().default('not_started'),
    priority: jsonb('priority').$type<PriorityRatings>(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('plan_actions_goal_idx').on(t.goalId, t.position),
    index('plan_actions_plan_idx').on(t.planId),
    index('plan_actions_owner_idx').on(t.ownerId, t.status),
    check('plan_actions_status_check', sql`${t.status} in ('not_started', 'in_progress', 'done', 'blocked', 'cancelled')`),
    check('plan_actions_dates_check', sql`${t.dueOn} is null or ${t.startsOn} is null or ${t.dueOn} >= ${t.startsOn}`),
  ],
);

/** Progress notes (on an action) and comments (on a goal or an action), oldest first. */
export const planNotes = pgTable(
  'plan_notes',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    planId: integer('plan_id').notNull().references(() => plans.id, { onDelete: 'cascade' }),
    goalId: integer('goal_id').notNull().references(() => planGoals.id, { onDelete: 'cascade' }),
    actionId: integer('action_id').references(() => planActions.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    body: text('body').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plan_notes_goal_idx').on(t.goalId, t.createdAt), check('plan_notes_kind_check', sql`${t.kind} in ('progress', 'comment')`)],
);

/** Links attached to a goal or an action: a resource of the library, or any web address. */
export const planAttachments = pgTable(
  'plan_attachments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    planId: integer('plan_id').notNull().references(() => plans.id, { onDelete: 'cascade' }),
    goalId: integer('goal_id').notNull().references(() => planGoals.id, { onDelete: 'cascade' }),
    actionId: integer('action_id').references(() => planActions.id, { onDelete: 'cascade' }),
    resourceId: integer('resource_id').references(() => resources.id, { onDelete: 'cascade' }),
    url: text('url'),
    title: text('title'),
    addedBy: integer('added_by').references(() => users.id, { onDelete: 'set null' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plan_attachments_goal_idx').on(t.goalId), index('plan_attachments_resource_idx').on(t.resourceId), check('plan_attachments_target_check', sql`(${t.resourceId} is null) <> (${t.url} is null)`)],
);

/**
 * Starting sets of goals and actions. Shipped ones (owner null, `key` the file's id) follow
 * content/plan-templates; an organisation's own are offered to the organisations below it.
 */
export const planTemplates = pgTable(
  'plan_templates',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    key: text('key').unique(),
    ownerOrgId: integer('owner_org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    frameworkId: text('framework_id').notNull().references(() => frameworks.id),
    definition: jsonb('definition').$type<PlanTemplateDefinition>().notNull(),
    contentHash: text('content_hash'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plan_templates_owner_idx').on(t.ownerOrgId)],
);
