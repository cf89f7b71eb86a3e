import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../server/db/client.js';

/**
 * Counts a batch of not-yet-counted responses into survey_item_counts, in one statement: the
 * responses are marked counted and their answers added in the same transaction, so a crash
 * either counts a response once or leaves it for the next run — never loses or doubles it.
 * Per school and rated item: each value overall (dim '') and per demographic answer; item 0
 * value 0 counts respondents. Rows are added in key order, so two runs never deadlock. Returns
 * how many responses it took.
 */
export async function rollUpResponses(db: DbOrTx, limit = 1000): Promise<number> {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`with batch as (
          update survey_responses set rolled = true
          where submission_id in (select submission_id from survey_responses where not rolled limit ${limit} for update skip locked)
          returning administration_id, org_id, ratings, groups),
        cells as (
          select administration_id, org_id, ratings, '' as dim, '' as grp from batch
          union all
          select b.administration_id, b.org_id, b.ratings, g.key, v.grp
          from batch b
          cross join lateral jsonb_each(b.groups) g
          cross join lateral jsonb_array_elements_text(case jsonb_typeof(g.value) when 'array' then g.value else jsonb_build_array(g.value) end) v(grp)),
        counted as (
          select c.administration_id, c.org_id, x.ord::smallint as item, x.v as value, c.dim, c.grp, count(*)::int as n
          from cells c cross join lateral unnest(c.ratings) with ordinality x(v, ord)
          where x.v is not null
          group by 1, 2, 3, 4, 5, 6
          union all
          select administration_id, org_id, 0::smallint, 0::smallint, dim, grp, count(*)::int from cells group by 1, 2, 5, 6),
        added as (
          insert into survey_item_counts (administration_id, org_id, item, value, dim, grp, n)
          select * from counted order by 1, 2, 3, 4, 5, 6
          on conflict (administration_id, org_id, item, value, dim, grp) do update set n = survey_item_counts.n + excluded.n
          returning 1)
        select (select count(*)::int from batch) as n, (select count(*) from added) as cells`,
  );
  return r.n;
}

/**
 * Runs the roll-up every `intervalMs` until stopped, never two at once, draining what waits a
 * batch at a time; batches grow while a backlog lasts. With `targetMs` (embedded PGlite, which
 * runs queries on the event loop) they also shrink to take about that long each, so requests get
 * in between; on a PostgreSQL server a long batch holds up nobody and larger ones commit less often.
 * Returns a stop function that waits for the running batch.
 */
export function startRollupJob(db: DbOrTx, opts: { intervalMs?: number; targetMs?: number; onError?: (err: unknown) => void } = {}): () => Promise<void> {
  const targetMs = opts.targetMs ?? Infinity;
  let batch = 200;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped) {
        const started = performance.now();
        const taken = await rollUpResponses(db, batch);
        const took = performance.now() - started;
        if (taken === batch && took < targetMs / 2) batch = Math.min(5000, batch * 2);
        else if (took > targetMs * 2) batch = Math.max(25, Math.floor(batch / 2));
        if (taken < batch / 2 || taken === 0) break;
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      opts.onError?.(err);
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, opts.intervalMs ?? 1000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
