import { z } from 'zod';
import { elementRef, identifier } from '../instruments/model/instrument.schema.js';
import { languageCodes, localizedText } from '../instruments/model/text.js';
import { resourceUrl } from '../resources/resources.model.js';
import { actionStatuses, goalMeasure, priorityRatings } from './plans.model.js';

export const goalProposalBody = z.object({
  /** The question of the assessment to turn into a goal (a strength or a priority of its results). */
  slotId: z.string().min(1).max(130),
});

export const goalProposal = z.object({
  id: z.number(),
  orgId: z.number(),
  assessmentId: z.number(),
  instrumentId: z.string(),
  schoolYear: z.string(),
  term: z.string(),
  slotId: z.string(),
  scaleId: z.string().nullable(),
  title: localizedText,
  value: z.number().nullable(),
  status: z.enum(['open', 'used']),
  proposedBy: z.string().nullable(),
  proposedAt: z.string(),
});
export type GoalProposal = z.infer<typeof goalProposal>;

export const goalProposalList = z.object({ items: z.array(goalProposal) });
export const goalProposalListQuery = z.object({ assessmentId: z.coerce.number().int().positive().optional() });

// ---- Plans, goals, actions --------------------------------------------------------------------

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD.').refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'This is not a real date.');
const shortText = (max: number) => z.string().trim().min(1, 'Write a few words.').max(max, `Use at most ${max} characters.`);
const longText = z.string().trim().max(4000, 'Use at most 4,000 characters.');

/** A goal's own fields, as a change sends them (only those given change). */
const goalFields = z.object({
  title: shortText(200),
  description: longText,
  elements: z.array(elementRef).max(10),
  measure: goalMeasure.nullable(),
  baseline: z.number().finite().nullable(),
  target: z.number().finite().nullable(),
  targetDate: isoDate.nullable(),
});
export const goalInput = z.object({
  title: shortText(200),
  description: goalFields.shape.description.default(''),
  elements: goalFields.shape.elements.default([]),
  measure: goalFields.shape.measure.default(null),
  baseline: goalFields.shape.baseline.default(null),
  target: goalFields.shape.target.default(null),
  targetDate: goalFields.shape.targetDate.default(null),
  /** The result that motivated the goal ("make this a plan goal"); the server reads its figure. */
  from: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('assessment'), assessmentId: z.number().int().positive(), scaleId: identifier }),
      z.object({ kind: z.literal('survey'), administrationId: z.number().int().positive(), scaleId: identifier, metric: z.enum(['percent_favorable', 'mean']), group: z.object({ questionId: identifier, value: z.string().min(1).max(100) }).nullable().default(null) }),
      z.object({ kind: z.literal('proposal'), proposalId: z.number().int().positive() }),
    ])
    .nullable()
    .default(null),
});
export type GoalInput = z.infer<typeof goalInput>;
// No defaults in a change: a field left out stays as it is.
export const goalPatch = goalFields.partial().extend({ position: z.number().int().min(0).max(1000).optional() });

export const planInput = z.object({
  title: shortText(200),
  frameworkId: identifier,
  startsOn: isoDate,
  endsOn: isoDate,
  parentId: z.number().int().positive().nullable().default(null),
  /** Start from a template's goals and actions, written in `language`. */
  templateId: z.number().int().positive().nullable().default(null),
  language: z.enum(languageCodes).default('en'),
  /** Goals to create with the plan, in one step (e.g. the first goal from results). */
  goals: z.array(goalInput).max(50).default([]),
});
export const planPatch = z.object({ title: shortText(200), startsOn: isoDate, endsOn: isoDate, status: z.enum(['active', 'archived']), parentId: z.number().int().positive().nullable() }).partial();

const actionFields = z.object({
  title: shortText(200),
  description: longText,
  ownerId: z.number().int().positive().nullable(),
  ownerName: z.string().trim().min(1).max(200).nullable(),
  startsOn: isoDate.nullable(),
  dueOn: isoDate.nullable(),
  status: z.enum(actionStatuses),
  priority: priorityRatings.nullable(),
});
export const actionInput = z.object({
  title: actionFields.shape.title,
  description: actionFields.shape.description.default(''),
  ownerId: actionFields.shape.ownerId.default(null),
  ownerName: actionFields.shape.ownerName.default(null),
  startsOn: actionFields.shape.startsOn.default(null),
  dueOn: actionFields.shape.dueOn.default(null),
  status: actionFields.shape.status.default('not_started'),
  priority: actionFields.shape.priority.default(null),
});
export const actionPatch = actionFields.partial().extend({ position: z.number().int().min(0).max(1000).optional() });
export const noteInput = z.object({ kind: z.enum(['progress', 'comment']), body: shortText(4000), actionId: z.number().int().positive().nullable().default(null) });
export const attachmentInput = z.union([
  z.object({ resourceId: z.number().int().positive(), actionId: z.number().int().positive().nullable().default(null) }).strict(),
  z.object({ url: resourceUrl, title: shortText(200), actionId: z.number().int().positive().nullable().default(null) }).strict(),
]);

const person = z.object({ id: z.number().nullable(), name: z.string() });
export const goalCheck = z.object({
  /** waiting: no result after the baseline yet; met; improving (toward the target); not_improving; missed (past the date, not met); unmeasured: no measure or no target. */
  status: z.enum(['unmeasured', 'waiting', 'met', 'improving', 'not_improving', 'missed']),
  current: z.number().nullable(),
  /** The period of the result read (e.g. "2027-2028 fall", "Spring 2027 student survey"). */
  period: z.string().nullable(),
  /** Where the figure can be read in full. */
  link: z.string().nullable(),
  /** Why there is no figure when a result exists (e.g. fewer respondents than the minimum). */
  withheld: z.boolean(),
});
export type GoalCheck = z.infer<typeof goalCheck>;

export const actionView = z.object({
  id: z.number(),
  goalId: z.number(),
  planId: z.number(),
  position: z.number(),
  title: z.string(),
  description: z.string(),
  owner: person.nullable(),
  startsOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  status: z.enum(actionStatuses),
  priority: priorityRatings.nullable(),
  /** Sum of the five ratings (5–25), null when unrated. */
  priorityScore: z.number().nullable(),
  overdue: z.boolean(),
  completedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type ActionView = z.infer<typeof actionView>;

export const goalView = z.object({
  id: z.number(),
  planId: z.number(),
  position: z.number(),
  title: z.string(),
  description: z.string(),
  elements: z.array(z.string()),
  source: z
    .object({ kind: z.enum(['assessment', 'survey', 'proposal']), id: z.number(), scaleId: z.string().optional(), slotId: z.string().optional(), group: z.object({ questionId: z.string(), value: z.string() }).nullable().optional(), value: z.number().nullable(), period: z.string() })
    .nullable(),
  measure: goalMeasure.nullable(),
  baseline: z.number().nullable(),
  target: z.number().nullable(),
  targetDate: z.string().nullable(),
  check: goalCheck,
  actions: z.array(actionView),
  counts: z.object({ comments: z.number(), attachments: z.number() }),
});
export type GoalView = z.infer<typeof goalView>;

export const planSummary = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  parentId: z.number().nullable(),
  title: z.string(),
  frameworkId: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: z.enum(['active', 'archived']),
  /** Whether today falls within the plan's period. */
  current: z.boolean(),
  goals: z.number(),
  actions: z.record(z.enum(actionStatuses), z.number()),
});
export type PlanSummary = z.infer<typeof planSummary>;
export const planList = z.object({ items: z.array(planSummary), can: z.object({ create: z.boolean(), manage: z.boolean() }) });

export const planDetail = planSummary.extend({
  goals: z.array(goalView),
  goalCount: z.number(),
  can: z.object({ manage: z.boolean(), own: z.boolean(), publishTemplate: z.boolean() }),
});
export type PlanDetail = z.infer<typeof planDetail>;

export const noteView = z.object({ id: z.number(), goalId: z.number(), actionId: z.number().nullable(), kind: z.enum(['progress', 'comment']), body: z.string(), author: person.nullable(), createdAt: z.string(), canDelete: z.boolean() });
export const attachmentView = z.object({
  id: z.number(),
  goalId: z.number(),
  actionId: z.number().nullable(),
  resource: z.object({ id: z.number(), title: localizedText, type: z.string() }).nullable(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  addedAt: z.string(),
});
export const goalDetail = goalView.extend({
  plan: z.object({ id: z.number(), title: z.string(), orgId: z.number(), orgName: z.string(), frameworkId: z.string(), startsOn: z.string(), endsOn: z.string() }),
  notes: z.array(noteView),
  attachments: z.array(attachmentView),
  can: z.object({ manage: z.boolean() }),
});
export type GoalDetail = z.infer<typeof goalDetail>;

export const myAction = actionView.extend({ goalTitle: z.string(), planTitle: z.string(), orgId: z.number(), orgName: z.string() });
export const myActions = z.object({ items: z.array(myAction) });

/** People who may own an action: everyone holding a role at the plan's organisation or above it. */
export const planPeople = z.object({ items: z.array(z.object({ id: z.number(), name: z.string(), role: z.string(), orgName: z.string() })) });

export const progressRow = z.object({
  orgId: z.number(),
  orgName: z.string(),
  kind: z.string(),
  /** Organisations (schools, for a district) at or below this row with a current plan, of all. */
  withPlan: z.number(),
  organizations: z.number(),
  goals: z.number(),
  goalsMet: z.number(),
  actions: z.record(z.enum(actionStatuses), z.number()),
  overdue: z.number(),
});
export const planProgress = z.object({
  org: z.object({ id: z.number(), name: z.string(), kind: z.string() }),
  /** Totals over the organisation and everything below it, then one row per organisation directly below. */
  total: progressRow,
  rows: z.array(progressRow),
  /** Goals and actions by framework element across the same plans. */
  byElement: z.array(z.object({ element: z.string(), goals: z.number(), actions: z.record(z.enum(actionStatuses), z.number()) })),
});
export type PlanProgress = z.infer<typeof planProgress>;

export const templateSummary = z.object({
  id: z.number(),
  key: z.string().nullable(),
  frameworkId: z.string(),
  ownerOrgId: z.number().nullable(),
  ownerName: z.string().nullable(),
  title: localizedText,
  description: localizedText,
  goals: z.number(),
  actions: z.number(),
  canDelete: z.boolean(),
});
export const templateList = z.object({ items: z.array(templateSummary) });
export const publishTemplateBody = z.object({ title: shortText(200), description: longText.default('') });
