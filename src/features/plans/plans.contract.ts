import { z } from 'zod';
import { localizedText } from '../instruments/model/text.js';

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
