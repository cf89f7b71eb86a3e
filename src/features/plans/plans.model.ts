import { z } from 'zod';
import { elementRef, identifier } from '../instruments/model/instrument.schema.js';
import { localizedText } from '../instruments/model/text.js';

/**
 * The five things an action is rated on to set its priority, each 1 to 5 where 5 favours doing it
 * now: very important, costs little, takes little time, has the people's commitment, is feasible.
 */
export const priorityCriteria = ['importance', 'cost', 'time', 'commitment', 'feasibility'] as const;
export type PriorityCriterion = (typeof priorityCriteria)[number];
const rating = z.number().int().min(1).max(5);
export const priorityRatings = z.object({ importance: rating, cost: rating, time: rating, commitment: rating, feasibility: rating }).strict();
export type PriorityRatings = z.infer<typeof priorityRatings>;

export const actionStatuses = ['not_started', 'in_progress', 'done', 'blocked', 'cancelled'] as const;
export type ActionStatus = (typeof actionStatuses)[number];
/** A count per action status, every status present (zero until counted). */
export const statusCounts = (): Record<ActionStatus, number> => Object.fromEntries(actionStatuses.map((s) => [s, 0])) as Record<ActionStatus, number>;

/** What a goal's target is measured on, in results the product already holds. */
export const goalMeasure = z.discriminatedUnion('source', [
  z.object({
    /** A scale (domain) score of the organisation's latest submitted self-assessment with this instrument. */
    source: z.literal('assessment'),
    instrumentId: z.string().min(1).max(64),
    scaleId: identifier,
  }),
  z.object({
    /** A scale of the latest closed survey with this instrument that covers the organisation. */
    source: z.literal('survey'),
    instrumentId: z.string().min(1).max(64),
    scaleId: identifier,
    metric: z.enum(['percent_favorable', 'mean']),
    /** One group of a demographic question (e.g. grade 9), or everyone. */
    group: z.object({ questionId: identifier, value: z.string().min(1).max(100) }).nullable().default(null),
  }),
]);
export type GoalMeasure = z.infer<typeof goalMeasure>;

/** An action of a template: words in every language, and when it falls within the plan period. */
export const templateAction = z.object({
  title: localizedText,
  description: localizedText.optional(),
  /** Months after the plan starts that the action begins, and how long it runs. */
  startMonth: z.number().int().min(0).max(60).default(0),
  months: z.number().int().min(1).max(60).default(3),
  priority: priorityRatings.optional(),
});

export const templateGoal = z.object({
  elements: z.array(elementRef).min(1).max(10),
  title: localizedText,
  description: localizedText.optional(),
  /** A suggested measure; the team sets the baseline and target for itself. */
  measure: goalMeasure.optional(),
  actions: z.array(templateAction).max(30),
});

/** A starting set of goals and actions for a framework (shipped in content/plan-templates/). */
export const planTemplateDefinition = z.object({
  schemaVersion: z.literal(1),
  id: identifier,
  frameworkId: identifier,
  title: localizedText,
  description: localizedText,
  goals: z.array(templateGoal).min(1).max(50),
});
export type PlanTemplateDefinition = z.infer<typeof planTemplateDefinition>;
