import { z } from 'zod';
import { instrumentDefinition } from '../instruments/model/instrument.schema.js';

export const terms = ['fall', 'winter', 'spring', 'full_year'] as const;

/** The school year a date falls in (a new one starts in July), as "2026-2027". */
export function currentSchoolYear(d = new Date()): string {
  const y = d.getMonth() >= 6 ? d.getFullYear() : d.getFullYear() - 1;
  return `${y}-${y + 1}`;
}
export const schoolYear = z
  .string()
  .regex(/^\d{4}-\d{4}$/, 'Write the school year as 2026-2027.')
  .refine((y) => Number(y.slice(5)) === Number(y.slice(0, 4)) + 1, 'The second year must follow the first (2026-2027).');

export const startAssessmentBody = z.object({
  orgId: z.number().int().positive(),
  instrumentId: z.string().min(1).max(64),
  /** Published version to use; the newest when left out. */
  version: z.number().int().min(1).optional(),
  schoolYear,
  term: z.enum(terms),
  /** Start from the answers of this organisation's last assessment with the same instrument. */
  copyPrevious: z.boolean().default(false),
});

export const answerBody = z.object({
  /** The answer; null clears it. */
  value: z.unknown().optional(),
  note: z.string().max(5000).nullable().optional(),
  evidence: z.array(z.string().trim().url('Evidence links must be web addresses.').max(2000)).max(20).nullable().optional(),
});
export const answerParams = z.object({ id: z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number), slot: z.string().min(1).max(130) });

export const answerView = z.object({
  slotId: z.string(),
  value: z.unknown(),
  note: z.string().nullable(),
  evidence: z.array(z.string()).nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
export type AnswerView = z.infer<typeof answerView>;

export const assessmentSummary = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  instrumentId: z.string(),
  instrumentVersion: z.number(),
  schoolYear: z.string(),
  term: z.enum(terms),
  status: z.enum(['in_progress', 'submitted']),
  startedAt: z.string(),
  submittedAt: z.string().nullable(),
  answered: z.number(),
  total: z.number(),
});
export type AssessmentSummary = z.infer<typeof assessmentSummary>;

export const assessmentDetail = assessmentSummary.extend({
  definition: instrumentDefinition,
  answers: z.array(answerView),
  /** Answered / answerable slots per section, for progress. */
  progress: z.array(z.object({ sectionId: z.string(), answered: z.number(), total: z.number() })),
  can: z.object({ answer: z.boolean(), submit: z.boolean(), reopen: z.boolean() }),
  /** Server time of this read, to ask for later changes. */
  readAt: z.string(),
});
export type AssessmentDetail = z.infer<typeof assessmentDetail>;

export const changesQuery = z.object({ since: z.string().datetime({ offset: true }) });
export const changesResponse = z.object({ answers: z.array(answerView), status: z.enum(['in_progress', 'submitted']), readAt: z.string() });

export const assessmentListQuery = z.object({
  orgId: z.coerce.number().int().positive(),
  instrumentId: z.string().max(64).optional(),
  status: z.enum(['in_progress', 'submitted']).optional(),
});
export const assessmentList = z.object({ items: z.array(assessmentSummary) });

const scaleResult = z.object({
  scaleId: z.string(),
  score: z.number().nullable(),
  band: z.string().nullable(),
  answered: z.number(),
  total: z.number(),
  /** The same scale in this organisation's previous submitted assessment with this instrument. */
  previous: z.object({ score: z.number().nullable(), schoolYear: z.string(), term: z.string() }).nullable(),
  /** Averages of submitted assessments in the same period, only where at least five organisations contribute. */
  comparisons: z.array(z.object({ orgId: z.number(), orgName: z.string(), kind: z.string(), mean: z.number().nullable(), contributors: z.number(), enough: z.boolean() })),
});
/** A profile fact across the schools of a district or state (same period), only where at least five contribute. */
const factComparison = z.object({
  orgId: z.number(),
  orgName: z.string(),
  kind: z.string(),
  contributors: z.number(),
  enough: z.boolean(),
  /** Mean of a number. */
  mean: z.number().nullable(),
  /** Students per full-time equivalent across the group (all students over all staff). */
  studentsPer: z.number().nullable(),
  /** Percent of contributors giving each answer, for choices and yes/no. */
  shares: z.record(z.string(), z.number()).nullable(),
});
const itemResult = z.object({ slotId: z.string(), value: z.number(), tags: z.array(z.string()) });
export const assessmentResults = z.object({
  assessment: assessmentSummary,
  definition: instrumentDefinition,
  scales: z.array(scaleResult),
  /** Highest and lowest rated questions: what to build on and where to start. */
  strengths: z.array(itemResult),
  priorities: z.array(itemResult),
  /** Facts of a profile: each answer, with its ratio to enrolment where it counts staff, beside the district's and state's. */
  facts: z.array(
    z.object({
      slotId: z.string(),
      value: z.unknown(),
      studentsPer: z.number().nullable(),
      comparisons: z.array(factComparison),
    }),
  ),
  minimumGroup: z.number(),
  /** Whether the caller may turn a strength or priority into a proposed plan goal. */
  can: z.object({ proposeGoal: z.boolean() }),
});
export type AssessmentResults = z.infer<typeof assessmentResults>;
