import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../auth/server/auth.tables.js';
import { assessments } from '../../assessments/server/assessments.tables.js';
import type { LocalizedText } from '../../instruments/model/text.js';
import { organizations } from '../../organizations/server/organizations.tables.js';

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
