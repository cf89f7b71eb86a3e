import { sql } from 'drizzle-orm';
import { likePrefix } from '../../../server/authz/scope.js';
import { type DbOrTx, queryRows } from '../../../server/db/client.js';
import { scaleScores } from '../../surveys/server/surveys.rollup.js';
import type { Plan } from './reports.plan.js';

export interface Filter {
  dim: string;
  group: string;
}

/**
 * Whether respondents who gave two answers at once (grade 7 and girl) may be described at an
 * organisation (DESIGN.md §3.6): only when, at it and at every organisation below it, every
 * cell of the two questions crossed (no answer included) holds none or at least k respondents,
 * and neither question's own groups withhold anything there. Then every figure of the
 * combination, at any of these organisations, is a sum of cells of at least k, and no
 * subtraction from the single-question figures can reach a withheld one.
 * @returns 'ok', 'combination' (a small cell somewhere), or 'counting' (responses still being counted)
 */
export async function combinationAllowed(db: DbOrTx, administrationId: number, org: { id: number; path: string }, plans: [Plan, Plan], filters: [Filter, Filter]): Promise<'ok' | 'combination' | 'counting'> {
  const [p1] = plans;
  const below = [...p1.nodes.values()].filter((n) => n.path.startsWith(org.path));
  for (const plan of plans)
    for (const n of below)
      for (const col of plan.shape.columns) {
        const at = plan.shape.cell(n.id, col);
        if (at !== undefined && plan.respondents[at]) return 'combination';
      }
  const rows = await queryRows<{ org_id: number; a: string; b: string; n: number }>(
    db,
    sql`select r.org_id, coalesce(r.groups->>${filters[0].dim}, '~') as a, coalesce(r.groups->>${filters[1].dim}, '~') as b, count(*)::int as n
        from survey_responses r join organizations o on o.id = r.org_id
        where r.administration_id = ${administrationId} and o.path like ${likePrefix(org.path)}
        group by 1, 2, 3`,
  );
  const cells = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    total += r.n;
    const school = p1.nodes.get(r.org_id);
    if (!school) return 'counting';
    for (const id of school.path.split('/').filter(Boolean).map(Number)) {
      if (!p1.nodes.get(id)?.path.startsWith(org.path)) continue;
      const key = `${id}|${r.a}|${r.b}`;
      cells.set(key, (cells.get(key) ?? 0) + r.n);
    }
  }
  const here = p1.shape.cell(org.id, '');
  if (here === undefined || p1.values.respondents[here] !== total) return 'counting';
  for (const [key, n] of cells) if (n > 0 && n < p1.nodes.get(Number(key.split('|')[0]))!.k) return 'combination';
  return 'ok';
}

/** Answers and scale scores of the respondents at an organisation who gave both answers, from the responses in SQL. */
export async function combinedCounts(db: DbOrTx, administrationId: number, org: { path: string }, filters: [Filter, Filter]) {
  const where = sql`r.administration_id = ${administrationId} and o.path like ${likePrefix(org.path)}
    and r.groups->>${filters[0].dim} = ${filters[0].group} and r.groups->>${filters[1].dim} = ${filters[1].group}`;
  const [items, scales] = await Promise.all([
    queryRows<{ item: number; value: number; n: number }>(
      db,
      sql`select x.ord::int as item, x.v::int as value, count(*)::int as n
          from survey_responses r join organizations o on o.id = r.org_id cross join lateral unnest(r.ratings) with ordinality x(v, ord)
          where ${where} and x.v >= 0 group by 1, 2
          union all
          select 0, 0, count(*)::int from survey_responses r join organizations o on o.id = r.org_id where ${where}`,
    ),
    queryRows<{ scale: number; band: number; n: number; score_sum: number; fav: number; answers: number }>(
      db,
      sql`with chosen as (
            select r.submission_id, r.administration_id, r.org_id, r.instrument_version, r.ratings, r.groups
            from survey_responses r join organizations o on o.id = r.org_id where ${where}),
          ${scaleScores('chosen')}
          select scale::int, 0 as band, count(*)::int as n, sum(score) as score_sum, sum(fav)::int as fav, sum(answered)::int as answers from scored group by 1
          union all
          select scale::int, band::int, count(*)::int, 0, 0, 0 from scored where band > 0 group by 1, 2`,
    ),
  ]);
  return { items, scales };
}
