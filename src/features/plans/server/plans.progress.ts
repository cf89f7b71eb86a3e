import { inArray, sql } from 'drizzle-orm';
import { type Actor, assertCan, inScope, likePrefix } from '../../../server/authz/scope.js';
import { type Db, queryRows } from '../../../server/db/client.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import type { PlanProgress } from '../plans.contract.js';
import { type ActionStatus, actionStatuses, statusCounts } from '../plans.model.js';
import { actionRows } from './plans.service.js';
import { planActions } from './plans.tables.js';
import { intArray } from '../../../server/db/arrays.js';


/**
 * Progress of the current plans (active, period including today) at and below an organisation:
 * totals, one row per organisation directly below (schools of a district, districts of a state),
 * and goals and actions by framework element. Counts only: nobody's words leave their plan.
 * @throws AppError not_found | forbidden
 */
export async function planProgress(db: Db, actor: Actor, orgId: number): Promise<PlanProgress> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'plan.read', org);
  const prefix = likePrefix(org!.path);
  // Each organisation of the subtree is assigned to its row: the organisation directly below on its path (or the organisation itself).
  const scope = sql`select o.id, o.kind, case when o.id = ${orgId} then ${orgId}::int else split_part(substr(o.path, ${org!.path.length + 1}), '/', 1)::int end as row_id
                    from organizations o where o.path like ${prefix} and o.status = 'active'`;
  const current = sql`select p.id, p.org_id from plans p where p.status = 'active' and p.starts_on <= current_date and p.ends_on >= current_date`;
  const [orgRows, goalRows, actionRows, elementGoals, elementActions] = await Promise.all([
    queryRows<{ row_id: number; schools: number; with_plan: number }>(
      db,
      sql`with scope as (${scope})
          select s.row_id, count(*) filter (where s.kind = 'school')::int as schools,
                 count(*) filter (where s.kind = 'school' and exists (select 1 from plans p where p.org_id = s.id and p.status = 'active' and p.starts_on <= current_date and p.ends_on >= current_date))::int as with_plan
          from scope s group by s.row_id`,
    ),
    queryRows<{ row_id: number; goals: number; met: number }>(
      db,
      sql`with scope as (${scope}), cur as (${current})
          select s.row_id, count(*)::int as goals, count(*) filter (where g.check_status = 'met')::int as met
          from plan_goals g join cur on cur.id = g.plan_id join scope s on s.id = cur.org_id group by s.row_id`,
    ),
    queryRows<{ row_id: number; status: ActionStatus; n: number; overdue: number }>(
      db,
      sql`with scope as (${scope}), cur as (${current})
          select s.row_id, a.status, count(*)::int as n,
                 count(*) filter (where a.due_on < current_date and a.status not in ('done', 'cancelled'))::int as overdue
          from plan_actions a join cur on cur.id = a.plan_id join scope s on s.id = cur.org_id group by s.row_id, a.status`,
    ),
    queryRows<{ element: string; n: number }>(
      db,
      sql`with scope as (${scope}), cur as (${current})
          select e.element, count(*)::int as n
          from plan_goals g join cur on cur.id = g.plan_id join scope s on s.id = cur.org_id cross join lateral unnest(g.elements) as e(element)
          group by e.element`,
    ),
    queryRows<{ element: string; status: ActionStatus; n: number }>(
      db,
      sql`with scope as (${scope}), cur as (${current})
          select e.element, a.status, count(*)::int as n
          from plan_actions a join plan_goals g on g.id = a.goal_id join cur on cur.id = a.plan_id join scope s on s.id = cur.org_id
          cross join lateral unnest(g.elements) as e(element)
          group by e.element, a.status`,
    ),
  ]);
  const names = await queryRows<{ id: number; name: string; kind: string }>(
    db,
    sql`select o.id, o.name, o.kind from organizations o where o.id = any(${intArray([orgId, ...orgRows.map((r) => r.row_id)])})`,
  );
  const row = (id: number) => {
    const o = orgRows.find((r) => r.row_id === id);
    const g = goalRows.find((r) => r.row_id === id);
    const actions = statusCounts();
    let overdue = 0;
    for (const a of actionRows.filter((r) => r.row_id === id)) {
      actions[a.status] = a.n;
      overdue += a.overdue;
    }
    const n = names.find((x) => x.id === id)!;
    return { orgId: id, orgName: n.name, kind: n.kind, withPlan: o?.with_plan ?? 0, organizations: o?.schools ?? 0, goals: g?.goals ?? 0, goalsMet: g?.met ?? 0, actions, overdue };
  };
  const rows = orgRows.filter((r) => r.row_id !== orgId).map((r) => row(r.row_id));
  rows.sort((a, b) => a.orgName.localeCompare(b.orgName));
  const self = row(orgId);
  const total = { ...self, withPlan: 0, organizations: 0, goals: 0, goalsMet: 0, overdue: 0, actions: statusCounts() };
  for (const r of [self, ...rows]) {
    total.withPlan += r.withPlan;
    total.organizations += r.organizations;
    total.goals += r.goals;
    total.goalsMet += r.goalsMet;
    total.overdue += r.overdue;
    for (const s of actionStatuses) total.actions[s] += r.actions[s];
  }
  const elements = [...new Set([...elementGoals.map((e) => e.element), ...elementActions.map((e) => e.element)])].sort();
  return {
    org: { id: org!.id, name: org!.name, kind: org!.kind },
    total,
    rows,
    byElement: elements.map((element) => {
      const actions = statusCounts();
      for (const a of elementActions.filter((x) => x.element === element)) actions[a.status] = a.n;
      return { element, goals: elementGoals.find((x) => x.element === element)?.n ?? 0, actions };
    }),
  };
}

/** The actions the caller owns in active plans they may still read: open ones by due date, then done. */
export async function myActions(db: Db, actor: Actor) {
  const rows = await queryRows<{ id: number; goal_title: string; plan_title: string; org_id: number; org_name: string }>(
    db,
    sql`select a.id, g.title as goal_title, p.title as plan_title, o.id as org_id, o.name as org_name
        from plan_actions a join plan_goals g on g.id = a.goal_id join plans p on p.id = a.plan_id join organizations o on o.id = p.org_id
        where a.owner_id = ${actor.userId} and p.status = 'active' and a.status <> 'cancelled' and ${inScope(actor, sql`o.path`)}
        order by (a.status = 'done'), a.due_on nulls last, a.id
        limit 300`,
  );
  const views = new Map((await actionRows(db, inArray(planActions.id, rows.length ? rows.map((r) => r.id) : [0]))).map((a) => [a.id, a]));
  return { items: rows.map((r) => ({ ...views.get(r.id)!, goalTitle: r.goal_title, planTitle: r.plan_title, orgId: r.org_id, orgName: r.org_name })) };
}
