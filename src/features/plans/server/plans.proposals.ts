import { and, desc, eq } from 'drizzle-orm';
import { type Actor, assertCan } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { badRequest, conflict } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { users } from '../../auth/server/auth.tables.js';
import { assessmentAnswers, assessments } from '../../assessments/server/assessments.tables.js';
import { allSlots } from '../../instruments/model/item-types.js';
import { loadSubmitted } from '../../assessments/server/assessments.service.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import type { GoalProposal } from '../plans.contract.js';
import { goalProposals } from './plans.tables.js';

const view = {
  id: goalProposals.id,
  orgId: goalProposals.orgId,
  assessmentId: goalProposals.assessmentId,
  instrumentId: assessments.instrumentId,
  schoolYear: assessments.schoolYear,
  term: assessments.term,
  slotId: goalProposals.slotId,
  scaleId: goalProposals.scaleId,
  title: goalProposals.title,
  value: goalProposals.value,
  status: goalProposals.status,
  proposedByName: users.name,
  proposedByEmail: users.email,
  proposedAt: goalProposals.proposedAt,
};

async function proposalRows(db: Db, where: ReturnType<typeof and>): Promise<GoalProposal[]> {
  const rows = await db
    .select(view)
    .from(goalProposals)
    .innerJoin(assessments, eq(assessments.id, goalProposals.assessmentId))
    .leftJoin(users, eq(users.id, goalProposals.proposedBy))
    .where(where)
    .orderBy(desc(goalProposals.proposedAt), desc(goalProposals.id));
  return rows.map(({ proposedByName, proposedByEmail, ...r }) => ({
    ...r,
    status: r.status as GoalProposal['status'],
    proposedBy: proposedByName || proposedByEmail || null,
    proposedAt: r.proposedAt.toISOString(),
  }));
}

/**
 * Turns a question of a submitted assessment into a proposed goal for the organisation's plan
 * ("make this a plan goal"), keeping the question's words and the team's rating. Once per
 * question and assessment.
 * @throws AppError not_found | forbidden | validation_failed (no such rated question) | conflict (not submitted, or proposed already)
 */
export async function proposeGoal(db: Db, actor: Actor, assessmentId: number, slotId: string): Promise<GoalProposal> {
  const { a, org, def } = await loadSubmitted(db, actor, assessmentId, 'plan.manage', 'Goals come from results: submit the assessment first.');
  const slot = allSlots(def).find((s) => s.id === slotId && s.kind === 'ordinal');
  if (!slot) throw badRequest(`"${slotId}" is not a rated question of this assessment.`, 'slotId');
  const title = slot.rowId && slot.item.type === 'matrix' ? slot.item.rows.find((r) => r.id === slot.rowId)!.text : slot.item.text;
  const scale = def.scales.find((s) => s.items.includes(slotId));
  const [answer] = await db.select({ value: assessmentAnswers.value }).from(assessmentAnswers).where(and(eq(assessmentAnswers.assessmentId, assessmentId), eq(assessmentAnswers.slotId, slotId)));
  const id = await db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: goalProposals.id }).from(goalProposals).where(and(eq(goalProposals.assessmentId, assessmentId), eq(goalProposals.slotId, slotId)));
    if (clash) throw conflict('This question is already proposed as a goal.', 'slotId');
    const [row] = await tx
      .insert(goalProposals)
      .values({ orgId: a.orgId, assessmentId, slotId, scaleId: scale?.id ?? null, title, value: typeof answer?.value === 'number' ? answer.value : null, proposedBy: actor.userId || null })
      .returning({ id: goalProposals.id });
    await writeAudit(tx, { action: 'plan.goal_proposed', actor, org, targetType: 'goal_proposal', targetId: row.id, details: { assessmentId, slotId } });
    return row.id;
  });
  return (await proposalRows(db, and(eq(goalProposals.id, id))))[0];
}

/** The goals proposed for an organisation's plan that wait for one (newest first). */
export async function listGoalProposals(db: Db, actor: Actor, orgId: number, q: { assessmentId?: number }): Promise<GoalProposal[]> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'plan.read', org);
  return proposalRows(db, and(eq(goalProposals.orgId, orgId), eq(goalProposals.status, 'open'), q.assessmentId ? eq(goalProposals.assessmentId, q.assessmentId) : undefined));
}

/**
 * Sets a proposed goal aside (it can be proposed again from the results later).
 * @throws AppError not_found | forbidden
 */
export async function dismissGoalProposal(db: Db, actor: Actor, id: number): Promise<void> {
  const [p] = await db.select().from(goalProposals).where(eq(goalProposals.id, id));
  const org = p ? await findOrg(db, p.orgId) : undefined;
  assertCan(actor, 'plan.manage', org, 'Goal proposal');
  await db.transaction(async (tx) => {
    await tx.delete(goalProposals).where(eq(goalProposals.id, id));
    await writeAudit(tx, { action: 'plan.goal_dismissed', actor, org, targetType: 'goal_proposal', targetId: id, details: { assessmentId: p!.assessmentId, slotId: p!.slotId } });
  });
}
