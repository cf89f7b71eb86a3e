import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../server/db/client.js';
import { likePrefix } from '../../../server/authz/scope.js';
import { ensureLayouts } from './surveys.layout.js';
import { intArray } from '../../../server/db/arrays.js';

/** Any one number both the roll-up and tree moves use to take turns (see `rollUpResponses`). */
const ROLLUP_LOCK = 7_450_221;

/** Each row of `source` (with an org_id) once per demographic answer of its `groups`, plus once overall (dim ''). */
const withGroups = (source: string, cols: string) =>
  sql.raw(`select ${cols}, '' as dim, '' as grp from ${source}
    union all
    select ${cols.replace(/(\w+)/g, 's.$1')}, g.key, v.grp from ${source} s
    cross join lateral jsonb_each(s.groups) g
    cross join lateral jsonb_array_elements_text(case jsonb_typeof(g.value) when 'array' then g.value else jsonb_build_array(g.value) end) v(grp)`);

/** Every organisation on a school's path, the school included. */
const placesOf = sql.raw(`join organizations o on o.id = c.org_id
    cross join lateral unnest(string_to_array(trim(both '/' from o.path), '/')::int[]) anc(id)`);

/**
 * CTEs scoring every scale of every response in `source` (a CTE with submission_id,
 * administration_id, org_id, instrument_version, ratings, groups) as `scoreScale` does: `scored`
 * holds one row per response and valid scale score, with its band, favourable and answered counts.
 */
export function scaleScores(source: string): SQL {
  return sql.raw(`    points as (
      select b.submission_id, si.scale,
        count(x.p)::int as answered,
        coalesce(sum(x.p), 0)::int as pts,
        count(*) filter (where x.p >= si.fav_from)::int as fav
      from ${source} b
      join survey_administrations a on a.id = b.administration_id
      join survey_scale_items si on si.instrument_id = a.instrument_id and si.instrument_version = b.instrument_version
      cross join lateral (select case when b.ratings[si.item] >= 0 then (case when si.reverse then si.lo + si.hi - b.ratings[si.item] else b.ratings[si.item] end) end as p) x
      group by 1, 2),
    scale_defs as (
      select distinct on (instrument_id, instrument_version, scale) instrument_id, instrument_version, scale, method, min_answered, item_count, band_mins, band_max
      from survey_scale_items order by instrument_id, instrument_version, scale),
    scored_raw as (
      select b.administration_id, b.org_id, b.groups, p.scale, p.fav, p.answered, d.band_mins, d.band_max,
        case d.method when 'mean' then p.pts::float8 / p.answered when 'sum' then p.pts::float8 else (p.fav::float8 / p.answered) * 100 end as score
      from points p
      join ${source} b on b.submission_id = p.submission_id
      join survey_administrations a on a.id = b.administration_id
      join scale_defs d on d.instrument_id = a.instrument_id and d.instrument_version = b.instrument_version and d.scale = p.scale
      where p.answered > 0 and p.answered::float8 / d.item_count >= d.min_answered),
    scored as (
      select *, (case when cardinality(band_mins) = 0 or score < band_mins[1] or score > band_max then 0
                 else (select count(*) from unnest(band_mins) m where m <= score) end)::smallint as band
      from scored_raw)`);
}

/** The roll-up's one statement for a batch of up to `limit` responses (exported for EXPLAIN in investigations). */
export function rollupStatement(limit: number): SQL {
  return sql`with batch as (
      update survey_responses set rolled = true
      where submission_id in (
        select r.submission_id from survey_responses r
        where not r.rolled and exists (
          select 1 from survey_administrations a join survey_layouts l on l.instrument_id = a.instrument_id and l.instrument_version = r.instrument_version
          where a.id = r.administration_id)
        order by r.administration_id, r.org_id
        limit ${limit} for update of r skip locked)
      returning submission_id, administration_id, org_id, instrument_version, ratings, groups),
    -- Answers are counted per school and combination of demographic answers first (a few dozen
    -- combinations per school), and only then spread over groups: far fewer rows to sort.
    answers as (
      select b.administration_id, b.org_id, b.groups, x.ord::smallint as item, x.v as value, count(*)::int as n
      from batch b cross join lateral unnest(b.ratings) with ordinality x(v, ord)
      where x.v is not null
      group by 1, 2, 3, 4, 5
      union all
      select administration_id, org_id, groups, 0::smallint, 0::smallint, count(*)::int from batch group by 1, 2, 3),
    answer_cells as (${withGroups('answers', 'administration_id, org_id, item, value, n')}),
    counted as (select administration_id, org_id, item, value, dim, grp, sum(n)::int as n from answer_cells group by 1, 2, 3, 4, 5, 6),
    counted_up as (
      select c.administration_id, anc.id as org_id, c.item, c.value, c.dim, c.grp, sum(c.n)::int as n from counted c ${placesOf}
      group by 1, 2, 3, 4, 5, 6),
    added as (
      insert into survey_item_counts (administration_id, org_id, item, value, dim, grp, n)
      select * from counted_up order by 1, 2, 3, 4, 5, 6
      on conflict (administration_id, org_id, item, value, dim, grp) do update set n = survey_item_counts.n + excluded.n
      returning 1),
    ${scaleScores('batch')},
    banded as (
      select administration_id, org_id, groups, scale, band, count(*)::int as n, sum(score) as score_sum, sum(fav)::int as fav, sum(answered)::int as answers
      from scored group by 1, 2, 3, 4, 5),
    scale_cells as (${withGroups('banded', 'administration_id, org_id, scale, band, n, score_sum, fav, answers')}),
    scale_counted as (
      select administration_id, org_id, scale, 0::smallint as band, dim, grp, sum(n)::int as n, sum(score_sum) as score_sum, sum(fav)::int as fav, sum(answers)::int as answers
      from scale_cells group by 1, 2, 3, 5, 6
      union all
      select administration_id, org_id, scale, band, dim, grp, sum(n)::int, 0, 0, 0 from scale_cells where band > 0 group by 1, 2, 3, 4, 5, 6),
    scale_up as (
      select c.administration_id, anc.id as org_id, c.scale, c.band, c.dim, c.grp, sum(c.n)::int as n, sum(c.score_sum) as score_sum, sum(c.fav)::int as fav, sum(c.answers)::int as answers
      from scale_counted c ${placesOf}
      group by 1, 2, 3, 4, 5, 6),
    scales_added as (
      insert into survey_scale_counts (administration_id, org_id, scale, band, dim, grp, n, score_sum, fav, answers)
      select * from scale_up order by 1, 2, 3, 4, 5, 6
      on conflict (administration_id, org_id, scale, band, dim, grp) do update set n = survey_scale_counts.n + excluded.n,
        score_sum = survey_scale_counts.score_sum + excluded.score_sum, fav = survey_scale_counts.fav + excluded.fav,
        answers = survey_scale_counts.answers + excluded.answers
      returning 1),
    cells_added as (
      insert into survey_cell_counts (administration_id, dim, item, org_id, grp, n)
      select administration_id, dim, item, org_id, grp, sum(n)::int from (
        select administration_id, dim, item, org_id, grp, n from counted_up where value >= 0
        union all
        select administration_id, dim, -scale, org_id, grp, n from scale_up where band = 0) x
      group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (administration_id, dim, item, org_id, grp) do update set n = survey_cell_counts.n + excluded.n
      returning 1)
    select (select count(*)::int from batch) as n, (select count(*) from added) as cells, (select count(*) from scales_added) as scale_cells, (select count(*) from cells_added) as plan_cells`;
}

/**
 * Counts a batch of not-yet-counted responses into survey_item_counts and survey_scale_counts,
 * in one statement: the responses are marked counted and their answers added in the same
 * transaction, so a crash either counts a response once or leaves it for the next run — never
 * loses or doubles it. Per organisation (the school and everything above it), overall (dim '') and
 * per demographic answer: each rated item's values (item 0 value 0 counts respondents), and each
 * scale's valid scores, their sum, favourable answers and bands, scored as `scoreScale` does.
 * Rows are added in key order, so two runs never deadlock; tree moves wait for a running batch.
 * Returns how many responses it took.
 */
export async function rollUpResponses(db: DbOrTx, limit = 1000): Promise<number> {
  await ensureLayouts(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock_shared(${ROLLUP_LOCK})`);
    // Enough memory to aggregate a batch in hash tables rather than sorting it through disk.
    await tx.execute(sql`set local work_mem = '64MB'`);
    const [r] = await queryRows<{ n: number }>(tx, rollupStatement(limit));
    return r.n;
  });
}

/** The count tables above schools: their key columns (besides administration and organisation) and summed columns. */
const countTables = [
  { table: 'survey_item_counts', keys: ['item', 'value', 'dim', 'grp'], sums: ['n'] },
  { table: 'survey_scale_counts', keys: ['scale', 'band', 'dim', 'grp'], sums: ['n', 'score_sum', 'fav', 'answers'] },
  { table: 'survey_cell_counts', keys: ['dim', 'item', 'grp'], sums: ['n'] },
] as const;
const cols = (names: readonly string[], prefix = '') => sql.raw(names.map((c) => prefix + c).join(', '));

/**
 * Keeps the counts of organisations above a school in step when an organisation moves: what its
 * subtree counted is taken from the old ancestors and given to the new ones, in the move's
 * transaction, after any running roll-up batch has finished.
 */
export async function followSurveyMove(tx: DbOrTx, move: { orgId: number; oldPath: string; newPath: string }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`);
  const ids = (p: string) => p.split('/').filter(Boolean).map(Number);
  const oldAbove = ids(move.oldPath).filter((id) => id !== move.orgId);
  const newAbove = ids(move.newPath).filter((id) => id !== move.orgId);
  const leaving = oldAbove.filter((id) => !newAbove.includes(id));
  const joining = newAbove.filter((id) => !oldAbove.includes(id));
  for (const { table, keys, sums } of countTables) {
    const t = sql.raw(table);
    const keyMatch = sql.raw(keys.map((k) => `t.${k} = d.${k}`).join(' and '));
    if (leaving.length) {
      await tx.execute(sql`update ${t} t set ${sql.raw(sums.map((c) => `${c} = t.${c} - d.${c}`).join(', '))}
        from (select administration_id, ${cols(keys)}, ${cols(sums)} from ${t} where org_id = ${move.orgId}) d
        where t.administration_id = d.administration_id and t.org_id = any(${intArray(leaving)}) and ${keyMatch}`);
      // Ancestors left with nothing of an administration keep no rows for it.
      await tx.execute(sql`delete from ${t} where org_id = any(${intArray(leaving)}) and n = 0`);
    }
    if (joining.length)
      await tx.execute(sql`insert into ${t} (administration_id, org_id, ${cols(keys)}, ${cols(sums)})
        select d.administration_id, j.id, ${cols(keys, 'd.')}, ${cols(sums, 'd.')}
        from ${t} d cross join unnest(${intArray(joining)}) j(id) where d.org_id = ${move.orgId}
        order by 1, 2, ${cols(keys)}
        on conflict (administration_id, org_id, ${cols(keys)}) do update set ${sql.raw(sums.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', '))}`);
  }
}

/**
 * After a directory import re-parented organisations in bulk: the counts above schools of every
 * administration with a school under `path` are made again from the schools' own counts.
 */
export async function followSurveySubtreeChange(tx: DbOrTx, change: { path: string }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`);
  const admins = await queryRows<{ id: number }>(
    tx,
    sql`select distinct s.administration_id as id from survey_sites s join organizations o on o.id = s.org_id where o.path like ${likePrefix(change.path)}`,
  );
  for (const { id } of admins) {
    for (const { table, keys, sums } of countTables) {
      const t = sql.raw(table);
      await tx.execute(sql`delete from ${t} where administration_id = ${id} and org_id not in (select org_id from survey_sites where administration_id = ${id})`);
      await tx.execute(sql`insert into ${t} (administration_id, org_id, ${cols(keys)}, ${cols(sums)})
        select c.administration_id, anc.id, ${cols(keys, 'c.')}, ${sql.raw(sums.map((x) => `sum(c.${x})`).join(', '))}
        from ${t} c ${placesOf}
        where c.administration_id = ${id} and anc.id <> c.org_id
        group by c.administration_id, anc.id, ${cols(keys, 'c.')} order by 1, 2`);
    }
  }
}

/** Drops every count of an administration (its responses are being deleted in the same transaction). */
export async function forgetCounts(tx: DbOrTx, administrationId: number): Promise<void> {
  // Hold the roll-up off until this commits, so no count of a deleted response survives.
  await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`);
  for (const { table } of countTables) await tx.execute(sql`delete from ${sql.raw(table)} where administration_id = ${administrationId}`);
}

/**
 * Runs the roll-up every `intervalMs` until stopped, never two at once, draining what waits a
 * batch at a time; batches grow while a backlog lasts. With `targetMs` (embedded PGlite, which
 * runs queries on the event loop) they also shrink to take about that long each, so requests get
 * in between; on a PostgreSQL server a long batch holds up nobody and larger ones commit less often.
 * Returns a stop function that waits for the running batch.
 */
export function startRollupJob(db: DbOrTx, opts: { intervalMs?: number; targetMs?: number; share?: number; onError?: (err: unknown) => void } = {}): () => Promise<void> {
  const targetMs = opts.targetMs ?? Infinity;
  const share = opts.share ?? 1;
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
        // With `share` < 1 the job rests between batches so that it takes at most that share of the
        // time while a backlog lasts (on PGlite it runs on the thread that answers respondents).
        if (share < 1) await new Promise((r) => setTimeout(r, took * (1 / share - 1)));
        else await new Promise((r) => setImmediate(r));
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
