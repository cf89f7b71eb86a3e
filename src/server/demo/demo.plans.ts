import { eq, sql } from 'drizzle-orm';
import { planActions, plans, planTemplates } from '../../features/plans/server/plans.tables.js';
import { createPlan } from '../../features/plans/server/plans.service.js';
import { intArray } from '../db/arrays.js';
import type { Db, Tx } from '../db/client.js';

/**
 * Plans for the demo: Cedar Valley's three-year strategy, and this school year's action plans for
 * four of its schools from the quality template, with actions under way, done, blocked and overdue
 * — so the district's progress has something to show. Alder Creek has none: a new user makes its
 * first goal from its results.
 */
export async function seedDemoPlans(tx: Tx, opts: { districtId: number; schoolIds: number[]; coordinator: { id: number; email: string }; year: string }): Promise<number> {
  const actor = { userId: opts.coordinator.id, email: opts.coordinator.email, isOperator: true, grants: [] };
  const template = async (key: string) => (await tx.select({ id: planTemplates.id }).from(planTemplates).where(eq(planTemplates.key, key)))[0]?.id ?? null;
  const first = Number(opts.year.slice(0, 4));
  const db = tx as unknown as Db;
  const strategy = await createPlan(db, actor, opts.districtId, { title: `Mental health strategy ${first}–${first + 3}`, frameworkId: 'pillars', startsOn: `${first}-09-01`, endsOn: `${first + 3}-08-31`, parentId: null, templateId: await template('pillars_starter'), language: 'en', goals: [] });
  const quality = await template('quality_starter');
  let made = 1;
  for (const orgId of opts.schoolIds) {
    await createPlan(db, actor, orgId, { title: `Action plan ${first}–${first + 1}`, frameworkId: 'quality', startsOn: `${first}-09-01`, endsOn: `${first + 1}-08-31`, parentId: null, templateId: quality, language: 'en', goals: [] });
    made++;
  }
  // Early actions are done or under way, a few blocked; the coordinator owns every third one.
  await tx.execute(sql`
    update ${planActions} set
      status = case when due_on < current_date then (case id % 4 when 0 then 'in_progress' else 'done' end)
                    when starts_on <= current_date then (case id % 3 when 0 then 'blocked' else 'in_progress' end)
                    else 'not_started' end,
      owner_id = case when id % 3 = 0 then ${opts.coordinator.id}::int else null end,
      owner_name = case when id % 3 = 1 then 'School mental health team' else null end
    where plan_id in (select id from ${plans} where org_id = any(${intArray([opts.districtId, ...opts.schoolIds])}))`);
  await tx.execute(sql`update ${planActions} set completed_at = due_on::timestamptz where status = 'done' and plan_id in (select id from ${plans} where id >= ${strategy.id})`);
  return made;
}
