import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Actor, assertCan, can } from '../../../server/authz/scope.js';
import { type Db, type DbOrTx, queryRows } from '../../../server/db/client.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { users } from '../../auth/server/auth.tables.js';
import { assertKnownElements, getFramework } from '../../frameworks/server/frameworks.service.js';
import type { LanguageCode } from '../../instruments/model/text.js';
import { findOrg, type OrgRow } from '../../organizations/server/organizations.queries.js';
import { findVisibleResource } from '../../resources/server/resources.access.js';
import { resources } from '../../resources/server/resources.tables.js';
import type { ActionView, GoalDetail, GoalInput, GoalView, PlanDetail, PlanSummary } from '../plans.contract.js';
import { type ActionStatus, type PriorityRatings, statusCounts } from '../plans.model.js';
import { assertMeasure, checkGoal, resolveSource } from './plans.check.js';
import { templateGoals } from './plans.templates.js';
import { goalProposals, planActions, planAttachments, planGoals, planNotes, plans } from './plans.tables.js';
import { intArray } from '../../../server/db/arrays.js';

type PlanRow = typeof plans.$inferSelect;
type GoalRow = typeof planGoals.$inferSelect;
type ActionRow = typeof planActions.$inferSelect;
type PlanPermission = 'plan.read' | 'plan.manage' | 'plan.own';

const today = () => new Date().toISOString().slice(0, 10);
const MAX_PLAN_YEARS = 6;

/** A plan and its organisation, once the permission on that organisation holds. */
async function loadPlan(db: DbOrTx, actor: Actor, id: number, permission: PlanPermission): Promise<{ plan: PlanRow; org: OrgRow }> {
  const [plan] = await db.select().from(plans).where(eq(plans.id, id));
  const org = plan ? await findOrg(db, plan.orgId) : undefined;
  assertCan(actor, permission, org, 'Plan');
  return { plan: plan!, org: org! };
}

/** Out of scope reads as missing, under the name of what was asked for (not "Plan"). */
const as404 = (what: string) => (err: unknown): never => {
  throw err instanceof AppError && err.statusCode === 404 ? notFound(what) : err;
};

/** A goal with its plan and organisation, once the permission holds. */
async function loadGoal(db: DbOrTx, actor: Actor, id: number, permission: PlanPermission) {
  const [goal] = await db.select().from(planGoals).where(eq(planGoals.id, id));
  if (!goal) throw notFound('Goal');
  const { plan, org } = await loadPlan(db, actor, goal.planId, permission).catch(as404('Goal'));
  return { goal, plan, org };
}

function checkPeriod(startsOn: string, endsOn: string): void {
  if (endsOn < startsOn) throw badRequest('The plan must end on or after the day it starts.', 'endsOn');
  if (Number(endsOn.slice(0, 4)) - Number(startsOn.slice(0, 4)) > MAX_PLAN_YEARS) throw badRequest(`A plan covers at most ${MAX_PLAN_YEARS} years.`, 'endsOn');
}

/**
 * Whether a person may own an action of an organisation's plan: they hold a role at it or above it.
 * @throws AppError validation_failed (ownerId)
 */
async function checkOwner(db: DbOrTx, org: OrgRow, ownerId: number | null | undefined): Promise<void> {
  if (ownerId === null || ownerId === undefined) return;
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`select m.user_id as id from memberships m join organizations o on o.id = m.org_id join users u on u.id = m.user_id
        where m.user_id = ${ownerId} and u.disabled_at is null and ${org.path} like o.path || '%' limit 1`,
  );
  if (!row) throw badRequest(`The owner must be someone with a role at ${org.name} or above it; invite them first, or write their name instead.`, 'ownerId');
}

const priorityScore = (p: PriorityRatings | null) => (p ? p.importance + p.cost + p.time + p.commitment + p.feasibility : null);

function actionView(a: ActionRow & { ownerLabel: string | null }): ActionView {
  const status = a.status as ActionStatus;
  return {
    id: a.id,
    goalId: a.goalId,
    planId: a.planId,
    position: a.position,
    title: a.title,
    description: a.description,
    owner: a.ownerId !== null ? { id: a.ownerId, name: a.ownerLabel ?? '' } : a.ownerName ? { id: null, name: a.ownerName } : null,
    startsOn: a.startsOn,
    dueOn: a.dueOn,
    status,
    priority: a.priority,
    priorityScore: priorityScore(a.priority),
    overdue: !!a.dueOn && a.dueOn < today() && status !== 'done' && status !== 'cancelled',
    completedAt: a.completedAt?.toISOString() ?? null,
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** Actions as the pages show them (owner's name, priority score, overdue), in board order. */
export async function actionRows(db: DbOrTx, where: SQL): Promise<ActionView[]> {
  const rows = await db
    .select({ action: planActions, ownerLabel: sql<string | null>`nullif(coalesce(nullif(${users.name}, ''), ${users.email}), '')` })
    .from(planActions)
    .leftJoin(users, eq(users.id, planActions.ownerId))
    .where(where)
    .orderBy(asc(planActions.position), asc(planActions.id));
  return rows.map((r) => actionView({ ...r.action, ownerLabel: r.ownerLabel }));
}

async function goalViews(db: Db, actor: Actor, org: OrgRow, goals: GoalRow[]): Promise<GoalView[]> {
  if (!goals.length) return [];
  const ids = goals.map((g) => g.id);
  const [actions, counts] = await Promise.all([
    actionRows(db, inArray(planActions.goalId, ids)),
    queryRows<{ goal_id: number; comments: number; attachments: number }>(
      db,
      sql`select g.id as goal_id,
            (select count(*)::int from plan_notes n where n.goal_id = g.id) as comments,
            (select count(*)::int from plan_attachments t where t.goal_id = g.id) as attachments
          from plan_goals g where g.id = any(${intArray(ids)})`,
    ),
  ]);
  const views: GoalView[] = [];
  for (const g of goals) {
    const c = counts.find((x) => x.goal_id === g.id);
    const check = await checkGoal(db, actor, org, g);
    // The roll-up across schools counts goals by their last check; keep it when it changes.
    if (check.status !== g.checkStatus) await db.update(planGoals).set({ checkStatus: check.status }).where(eq(planGoals.id, g.id));
    views.push({
      id: g.id,
      planId: g.planId,
      position: g.position,
      title: g.title,
      description: g.description,
      elements: g.elements,
      source: g.source ?? null,
      measure: g.measure ?? null,
      baseline: g.baseline,
      target: g.target,
      targetDate: g.targetDate,
      check,
      actions: actions.filter((a) => a.goalId === g.id),
      counts: { comments: c?.comments ?? 0, attachments: c?.attachments ?? 0 },
    });
  }
  return views;
}

async function summaries(db: DbOrTx, rows: (PlanRow & { orgName: string })[]): Promise<PlanSummary[]> {
  if (!rows.length) return [];
  const ids = intArray(rows.map((r) => r.id));
  const [goalCounts, actionCounts] = await Promise.all([
    queryRows<{ plan_id: number; n: number }>(db, sql`select plan_id, count(*)::int as n from plan_goals where plan_id = any(${ids}) group by plan_id`),
    queryRows<{ plan_id: number; status: ActionStatus; n: number }>(db, sql`select plan_id, status, count(*)::int as n from plan_actions where plan_id = any(${ids}) group by plan_id, status`),
  ]);
  const now = today();
  return rows.map((p) => {
    const actions = statusCounts();
    for (const c of actionCounts.filter((x) => x.plan_id === p.id)) actions[c.status] = c.n;
    return {
      id: p.id,
      orgId: p.orgId,
      orgName: p.orgName,
      parentId: p.parentId,
      title: p.title,
      frameworkId: p.frameworkId,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      status: p.status as PlanSummary['status'],
      current: p.status === 'active' && p.startsOn <= now && now <= p.endsOn,
      goals: goalCounts.find((x) => x.plan_id === p.id)?.n ?? 0,
      actions,
    };
  });
}

/** The plans of an organisation, current ones first, then by period, newest first. */
export async function listPlans(db: Db, actor: Actor, orgId: number) {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'plan.read', org);
  const rows = await db.select().from(plans).where(eq(plans.orgId, orgId)).orderBy(asc(plans.status), desc(plans.endsOn), desc(plans.id));
  const items = await summaries(db, rows.map((r) => ({ ...r, orgName: org!.name })));
  items.sort((a, b) => Number(b.current) - Number(a.current));
  return { items, can: { create: can(actor, 'plan.own', org!), manage: can(actor, 'plan.manage', org!) } };
}

/** Inserts one goal (its source resolved and checked) in a transaction the caller holds. */
async function insertGoal(tx: DbOrTx, actor: Actor, plan: PlanRow, org: OrgRow, input: GoalInput, position: number, field = ''): Promise<number> {
  const from = input.from ? await resolveSource(tx as Db, actor, org, input.from) : null;
  const elements = input.elements.length ? input.elements : (from?.elements ?? []);
  await assertKnownElements(tx, elements, `${field}elements`);
  if (input.measure) await assertMeasure(tx, input.measure, `${field}measure`);
  const [row] = await tx
    .insert(planGoals)
    .values({
      planId: plan.id,
      orgId: org.id,
      position,
      title: input.title,
      description: input.description,
      elements,
      source: from?.source ?? null,
      measure: input.measure ?? from?.measure ?? null,
      baseline: input.baseline ?? from?.source.value ?? null,
      target: input.target,
      targetDate: input.targetDate,
      proposalId: from?.proposalId ?? null,
      createdBy: actor.userId || null,
    })
    .returning({ id: planGoals.id });
  if (from?.proposalId) {
    // Taking up a proposal marks it used in the same transaction, so two plans cannot both take it.
    const taken = await tx.update(goalProposals).set({ status: 'used' }).where(and(eq(goalProposals.id, from.proposalId), eq(goalProposals.status, 'open'))).returning({ id: goalProposals.id });
    if (!taken.length) throw conflict('A plan already took up this proposed goal.', `${field}from.proposalId`);
  }
  return row.id;
}

/**
 * Creates a plan for an organisation and a period, organised by a framework, optionally from a
 * template (its goals and actions in the chosen language, dated within the period) and with goals
 * given in the same request (e.g. the first one from results). All or nothing.
 * @throws AppError not_found | forbidden | validation_failed (framework, period, parent, template, goals)
 */
export async function createPlan(db: Db, actor: Actor, orgId: number, input: { title: string; frameworkId: string; startsOn: string; endsOn: string; parentId: number | null; templateId: number | null; language: LanguageCode; goals: GoalInput[] }): Promise<PlanDetail> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'plan.own', org);
  checkPeriod(input.startsOn, input.endsOn);
  await getFramework(db, actor, input.frameworkId).catch(() => {
    throw badRequest(`There is no framework "${input.frameworkId}" for this organisation.`, 'frameworkId');
  });
  if (input.parentId) {
    const [parent] = await db.select({ orgId: plans.orgId }).from(plans).where(eq(plans.id, input.parentId));
    if (!parent || parent.orgId !== orgId) throw badRequest('A plan can only sit under another plan of the same organisation.', 'parentId');
  }
  const fromTemplate = input.templateId ? await templateGoals(db, org!, input.templateId, input.frameworkId, input) : [];
  const id = await db.transaction(async (tx) => {
    const [plan] = await tx
      .insert(plans)
      .values({ orgId: org!.id, stateId: org!.stateId, parentId: input.parentId, title: input.title, frameworkId: input.frameworkId, startsOn: input.startsOn, endsOn: input.endsOn, templateId: input.templateId, createdBy: actor.userId || null })
      .returning();
    let position = 0;
    for (const [i, g] of input.goals.entries()) await insertGoal(tx, actor, plan, org!, g, position++, `goals.${i}.`);
    for (const t of fromTemplate) {
      const [goal] = await tx.insert(planGoals).values({ planId: plan.id, orgId: org!.id, position: position++, title: t.title, description: t.description, elements: t.elements, measure: t.measure ?? null, createdBy: actor.userId || null }).returning({ id: planGoals.id });
      if (t.actions.length) await tx.insert(planActions).values(t.actions.map((a, j) => ({ goalId: goal.id, planId: plan.id, orgId: org!.id, position: j, title: a.title, description: a.description, startsOn: a.startsOn, dueOn: a.dueOn, priority: a.priority ?? null })));
    }
    await writeAudit(tx, { action: 'plan.created', actor, org, targetType: 'plan', targetId: plan.id, details: { title: input.title, templateId: input.templateId, goals: position } });
    return plan.id;
  });
  return getPlan(db, actor, id);
}

/** A plan with its goals (each checked against the latest results), actions and counts. */
export async function getPlan(db: Db, actor: Actor, id: number): Promise<PlanDetail> {
  const { plan, org } = await loadPlan(db, actor, id, 'plan.read');
  const [summary] = await summaries(db, [{ ...plan, orgName: org.name }]);
  const goals = await db.select().from(planGoals).where(eq(planGoals.planId, id)).orderBy(asc(planGoals.position), asc(planGoals.id));
  return {
    ...summary,
    goalCount: summary.goals,
    goals: await goalViews(db, actor, org, goals),
    can: { manage: can(actor, 'plan.manage', org), own: can(actor, 'plan.own', org), publishTemplate: can(actor, 'plan.own', org) && org.kind !== 'school' },
  };
}

/**
 * Renames a plan, changes its period or parent, archives or restores it.
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function updatePlan(db: Db, actor: Actor, id: number, patch: { title?: string; startsOn?: string; endsOn?: string; status?: 'active' | 'archived'; parentId?: number | null }): Promise<PlanDetail> {
  const { plan, org } = await loadPlan(db, actor, id, patch.status || patch.parentId !== undefined ? 'plan.own' : 'plan.manage');
  checkPeriod(patch.startsOn ?? plan.startsOn, patch.endsOn ?? plan.endsOn);
  if (patch.parentId) {
    const [parent] = await db.select({ orgId: plans.orgId }).from(plans).where(eq(plans.id, patch.parentId));
    if (!parent || parent.orgId !== plan.orgId || patch.parentId === id) throw badRequest('A plan can only sit under another plan of the same organisation.', 'parentId');
  }
  await db.transaction(async (tx) => {
    await tx.update(plans).set({ ...patch, updatedAt: sql`now()` }).where(eq(plans.id, id));
    if (patch.status && patch.status !== plan.status) await writeAudit(tx, { action: patch.status === 'archived' ? 'plan.archived' : 'plan.restored', actor, org, targetType: 'plan', targetId: id });
  });
  return getPlan(db, actor, id);
}

/**
 * Deletes a plan with its goals, actions, notes and attachments. Proposals it took up wait again.
 * @throws AppError not_found | forbidden
 */
export async function deletePlan(db: Db, actor: Actor, id: number): Promise<void> {
  const { plan, org } = await loadPlan(db, actor, id, 'plan.own');
  await db.transaction(async (tx) => {
    await tx.execute(sql`update goal_proposals set status = 'open' where id in (select proposal_id from plan_goals where plan_id = ${id} and proposal_id is not null)`);
    await tx.delete(plans).where(eq(plans.id, id));
    await writeAudit(tx, { action: 'plan.deleted', actor, org, targetType: 'plan', targetId: id, details: { title: plan.title } });
  });
}

/**
 * Adds a goal to a plan, from a result ("make this a plan goal") or written by hand.
 * @throws AppError not_found | forbidden | validation_failed | conflict (proposal taken)
 */
export async function addGoal(db: Db, actor: Actor, planId: number, input: GoalInput): Promise<GoalDetail> {
  const { plan, org } = await loadPlan(db, actor, planId, 'plan.manage');
  const id = await db.transaction(async (tx) => {
    const [{ next }] = await queryRows<{ next: number }>(tx, sql`select coalesce(max(position) + 1, 0)::int as next from plan_goals where plan_id = ${planId}`);
    const goalId = await insertGoal(tx, actor, plan, org, input, next);
    await writeAudit(tx, { action: 'plan.goal_added', actor, org, targetType: 'plan_goal', targetId: goalId, details: { planId, from: input.from?.kind ?? null } });
    return goalId;
  });
  return getGoal(db, actor, id);
}

/** A goal with its check, actions, progress notes and comments, and attachments. */
export async function getGoal(db: Db, actor: Actor, id: number): Promise<GoalDetail> {
  const { goal, plan, org } = await loadGoal(db, actor, id, 'plan.read');
  const [view] = await goalViews(db, actor, org, [goal]);
  const notes = await db
    .select({ note: planNotes, name: users.name, email: users.email })
    .from(planNotes)
    .leftJoin(users, eq(users.id, planNotes.authorId))
    .where(eq(planNotes.goalId, id))
    .orderBy(asc(planNotes.createdAt), asc(planNotes.id));
  const attachments = await db
    .select({ a: planAttachments, rTitle: resources.title, rType: resources.type })
    .from(planAttachments)
    .leftJoin(resources, eq(resources.id, planAttachments.resourceId))
    .where(eq(planAttachments.goalId, id))
    .orderBy(asc(planAttachments.addedAt), asc(planAttachments.id));
  const manage = can(actor, 'plan.manage', org);
  return {
    ...view,
    plan: { id: plan.id, title: plan.title, orgId: org.id, orgName: org.name, frameworkId: plan.frameworkId, startsOn: plan.startsOn, endsOn: plan.endsOn },
    notes: notes.map(({ note, name, email }) => ({
      id: note.id,
      goalId: note.goalId,
      actionId: note.actionId,
      kind: note.kind as 'progress' | 'comment',
      body: note.body,
      author: note.authorId !== null ? { id: note.authorId, name: name || email || '' } : null,
      createdAt: note.createdAt.toISOString(),
      canDelete: manage && (note.authorId === actor.userId || can(actor, 'plan.own', org)),
    })),
    attachments: attachments.map(({ a, rTitle, rType }) => ({
      id: a.id,
      goalId: a.goalId,
      actionId: a.actionId,
      resource: a.resourceId !== null && rTitle ? { id: a.resourceId, title: rTitle, type: rType! } : null,
      url: a.url,
      title: a.title,
      addedAt: a.addedAt.toISOString(),
    })),
    can: { manage },
  };
}

/**
 * Changes a goal: words, tags, measure, baseline, target, date or place on the board.
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function updateGoal(db: Db, actor: Actor, id: number, patch: Partial<Omit<GoalInput, 'from'>> & { position?: number }): Promise<GoalDetail> {
  await loadGoal(db, actor, id, 'plan.manage');
  if (patch.elements) await assertKnownElements(db, patch.elements, 'elements');
  await assertMeasure(db, patch.measure);
  await db.update(planGoals).set({ ...patch, updatedAt: sql`now()` }).where(eq(planGoals.id, id));
  return getGoal(db, actor, id);
}

/**
 * Deletes a goal with its actions, notes and attachments; a proposal it took up waits again.
 * @throws AppError not_found | forbidden
 */
export async function deleteGoal(db: Db, actor: Actor, id: number): Promise<void> {
  const { goal, org } = await loadGoal(db, actor, id, 'plan.manage');
  await db.transaction(async (tx) => {
    if (goal.proposalId) await tx.update(goalProposals).set({ status: 'open' }).where(eq(goalProposals.id, goal.proposalId));
    await tx.delete(planGoals).where(eq(planGoals.id, id));
    await writeAudit(tx, { action: 'plan.goal_deleted', actor, org, targetType: 'plan_goal', targetId: id, details: { planId: goal.planId, title: goal.title } });
  });
}

function checkDates(startsOn: string | null | undefined, dueOn: string | null | undefined): void {
  if (startsOn && dueOn && dueOn < startsOn) throw badRequest('The due date must be on or after the start date.', 'dueOn');
}

/**
 * Adds an action to a goal, with an owner (a person with a role at the organisation or above, or
 * just a name), dates, status and priority ratings.
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function addAction(db: Db, actor: Actor, goalId: number, input: { title: string; description: string; ownerId: number | null; ownerName: string | null; startsOn: string | null; dueOn: string | null; status: ActionStatus; priority: PriorityRatings | null }): Promise<ActionView> {
  const { goal, org } = await loadGoal(db, actor, goalId, 'plan.manage');
  await checkOwner(db, org, input.ownerId);
  checkDates(input.startsOn, input.dueOn);
  const id = await db.transaction(async (tx) => {
    const [{ next }] = await queryRows<{ next: number }>(tx, sql`select coalesce(max(position) + 1, 0)::int as next from plan_actions where goal_id = ${goalId}`);
    const [row] = await tx
      .insert(planActions)
      .values({ ...input, ownerName: input.ownerId ? null : input.ownerName, goalId, planId: goal.planId, orgId: org.id, position: next, completedAt: input.status === 'done' ? sql`now()` : null })
      .returning({ id: planActions.id });
    return row.id;
  });
  return (await actionRows(db, eq(planActions.id, id)))[0];
}

async function loadAction(db: DbOrTx, actor: Actor, id: number) {
  const [action] = await db.select().from(planActions).where(eq(planActions.id, id));
  if (!action) throw notFound('Action');
  const { org } = await loadPlan(db, actor, action.planId, 'plan.manage').catch(as404('Action'));
  return { action, org };
}

/**
 * Changes an action (status, owner, dates, priority, words, order). Done stamps the day it was done.
 * @throws AppError not_found | forbidden | validation_failed
 */
export async function updateAction(db: Db, actor: Actor, id: number, patch: Partial<{ title: string; description: string; ownerId: number | null; ownerName: string | null; startsOn: string | null; dueOn: string | null; status: ActionStatus; priority: PriorityRatings | null; position: number }>): Promise<ActionView> {
  const { action, org } = await loadAction(db, actor, id);
  await checkOwner(db, org, patch.ownerId);
  checkDates(patch.startsOn !== undefined ? patch.startsOn : action.startsOn, patch.dueOn !== undefined ? patch.dueOn : action.dueOn);
  const owner = patch.ownerId ? { ownerName: null } : patch.ownerName ? { ownerId: null } : {};
  const done = patch.status === undefined || patch.status === action.status ? {} : { completedAt: patch.status === 'done' ? sql`now()` : null };
  await db.update(planActions).set({ ...patch, ...owner, ...done, updatedAt: sql`now()` }).where(eq(planActions.id, id));
  return (await actionRows(db, eq(planActions.id, id)))[0];
}

/** @throws AppError not_found | forbidden */
export async function deleteAction(db: Db, actor: Actor, id: number): Promise<void> {
  await loadAction(db, actor, id);
  await db.delete(planActions).where(eq(planActions.id, id));
}

/**
 * Adds a progress note (on an action) or a comment (on the goal or one of its actions).
 * @throws AppError not_found | forbidden | validation_failed (actionId)
 */
export async function addNote(db: Db, actor: Actor, goalId: number, input: { kind: 'progress' | 'comment'; body: string; actionId: number | null }): Promise<GoalDetail> {
  const { goal } = await loadGoal(db, actor, goalId, 'plan.manage');
  if (input.kind === 'progress' && !input.actionId) throw badRequest('A progress note belongs to an action: choose which one.', 'actionId');
  await checkActionOfGoal(db, input.actionId, goal.id);
  await db.insert(planNotes).values({ planId: goal.planId, goalId, actionId: input.actionId, kind: input.kind, body: input.body, authorId: actor.userId || null });
  return getGoal(db, actor, goalId);
}

async function checkActionOfGoal(db: DbOrTx, actionId: number | null, goalId: number): Promise<void> {
  if (!actionId) return;
  const [a] = await db.select({ goalId: planActions.goalId }).from(planActions).where(eq(planActions.id, actionId));
  if (!a || a.goalId !== goalId) throw badRequest('This action is not one of the goal\'s.', 'actionId');
}

/**
 * Deletes a note: its author, or whoever owns the plan.
 * @throws AppError not_found | forbidden
 */
export async function deleteNote(db: Db, actor: Actor, id: number): Promise<void> {
  const [note] = await db.select().from(planNotes).where(eq(planNotes.id, id));
  if (!note) throw notFound('Note');
  const { org } = await loadGoal(db, actor, note.goalId, 'plan.manage');
  if (note.authorId !== actor.userId && !can(actor, 'plan.own', org)) throw forbidden('Only its author or a coordinator can delete a note.');
  await db.delete(planNotes).where(eq(planNotes.id, id));
}

/**
 * Attaches a resource of the library (once per goal or action) or a web link to a goal or one
 * of its actions.
 * @throws AppError not_found | forbidden | validation_failed | conflict (already attached)
 */
export async function addAttachment(db: Db, actor: Actor, goalId: number, input: { resourceId?: number; url?: string; title?: string; actionId: number | null }): Promise<GoalDetail> {
  const { goal } = await loadGoal(db, actor, goalId, 'plan.manage');
  await checkActionOfGoal(db, input.actionId, goal.id);
  if (input.resourceId) {
    await findVisibleResource(db, actor, input.resourceId).catch(() => {
      throw badRequest('There is no such resource in your library.', 'resourceId');
    });
    const [clash] = await queryRows<{ id: number }>(db, sql`select id from plan_attachments where goal_id = ${goalId} and resource_id = ${input.resourceId} and action_id is not distinct from ${input.actionId}`);
    if (clash) throw conflict('This resource is already attached here.', 'resourceId');
  }
  await db.insert(planAttachments).values({ planId: goal.planId, goalId, actionId: input.actionId, resourceId: input.resourceId ?? null, url: input.resourceId ? null : input.url!, title: input.resourceId ? null : input.title!, addedBy: actor.userId || null });
  return getGoal(db, actor, goalId);
}

/** @throws AppError not_found | forbidden */
export async function deleteAttachment(db: Db, actor: Actor, id: number): Promise<void> {
  const [a] = await db.select().from(planAttachments).where(eq(planAttachments.id, id));
  if (!a) throw notFound('Attachment');
  await loadGoal(db, actor, a.goalId, 'plan.manage');
  await db.delete(planAttachments).where(eq(planAttachments.id, id));
}

/** People who may own the plan's actions: those holding a role at its organisation or above. */
export async function planPeople(db: Db, actor: Actor, planId: number) {
  const { org } = await loadPlan(db, actor, planId, 'plan.read');
  const rows = await queryRows<{ id: number; name: string; role: string; org_name: string; depth: number }>(
    db,
    sql`select distinct on (u.id) u.id, coalesce(nullif(u.name, ''), u.email) as name, m.role, o.name as org_name, o.depth
        from memberships m join organizations o on o.id = m.org_id join users u on u.id = m.user_id
        where ${org.path} like o.path || '%' and u.disabled_at is null
        order by u.id, o.depth desc`,
  );
  rows.sort((a, b) => b.depth - a.depth || a.name.localeCompare(b.name));
  return { items: rows.map((r) => ({ id: r.id, name: r.name, role: r.role, orgName: r.org_name })) };
}
