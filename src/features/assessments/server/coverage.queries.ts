import { type SQL, sql } from 'drizzle-orm';
import { likePrefix } from '../../../server/authz/scope.js';
import { type DbOrTx, queryRows } from '../../../server/db/client.js';
import type { CoverageLevel } from '../coverage.contract.js';

/**
 * Census coverage and quality across the schools below an organisation, computed in SQL over
 * assessments and their stored scores (never by loading answers). One query per report.
 */

const termRank = sql`(case a.term when 'fall' then 1 when 'winter' then 2 when 'spring' then 3 else 4 end)`;
const levelNames: CoverageLevel[] = ['never', 'last_year', 'in_progress', 'this_year'];

/** 3 submitted this year, 2 under way this year, 1 submitted last year only, 0 never. */
function levelOf(year: string, previous: string): SQL {
  return sql`coalesce(max(case when a.school_year = ${year} and a.status = 'submitted' then 3
    when a.school_year = ${year} then 2
    when a.school_year = ${previous} and a.status = 'submitted' then 1 else 0 end), 0)`;
}

export function previousYear(year: string): string {
  const first = Number(year.slice(0, 4)) - 1;
  return `${first}-${first + 1}`;
}

export function nextYear(year: string): string {
  const first = Number(year.slice(0, 4)) + 1;
  return `${first}-${first + 1}`;
}

type CoverageCounts = Record<CoverageLevel, number>;
type CountRow = { instrument_id: string; submitted: number; started: number; last_year: number };

/**
 * Schools below `path` by how far each is with each instrument in a year. A school reads its own
 * assessments; anything above reads the coverage roll-ups of the groups below it.
 */
export async function coverageCounts(db: DbOrTx, org: { path: string; kind: string }, year: string, instruments: string[]) {
  const [[{ schools }], rows] = await Promise.all([
    queryRows<{ schools: number }>(db, sql`select count(*)::int as schools from organizations o where o.kind = 'school' and o.status = 'active' and o.path like ${likePrefix(org.path)}`),
    org.kind === 'school'
      ? coverageCountsDirect(db, org.path, year, instruments)
      : queryRows<CountRow>(
          db,
          sql`select instrument_id, sum(submitted)::int as submitted, sum(started)::int as started, sum(last_year)::int as last_year
              from coverage_rollup
              where group_path like ${likePrefix(org.path)} and instrument_id in ${instruments} and school_year = ${year}
              group by instrument_id`,
        ),
  ]);
  return {
    schools,
    instruments: instruments.map((id) => {
      const r = rows.find((x) => x.instrument_id === id);
      const counts: CoverageCounts = { this_year: r?.submitted ?? 0, in_progress: r?.started ?? 0, last_year: r?.last_year ?? 0, never: 0 };
      counts.never = schools - counts.this_year - counts.in_progress - counts.last_year;
      return { instrumentId: id, counts };
    }),
  };
}

/** Level of each active school below `path` from its own assessments, counted per instrument. */
/**
 * Each active school's level with each instrument in a year (see `levelOf`), for the schools and
 * instruments `filter` picks. Only the year and the one before decide a level; older years count
 * as never (the school table says the same).
 */
function schoolLevels(year: string, filter: SQL): SQL {
  const prev = previousYear(year);
  return sql`select a.org_id, a.instrument_id, ${levelOf(year, prev)} as level
    from assessments a join organizations o on o.id = a.org_id
    where o.kind = 'school' and o.status = 'active' and a.school_year in (${year}, ${prev}) and ${filter}
    group by a.org_id, a.instrument_id`;
}

export async function coverageCountsDirect(db: DbOrTx, path: string, year: string, instruments: string[]): Promise<CountRow[]> {
  return queryRows<CountRow>(
    db,
    sql`select instrument_id, count(*) filter (where level = 3)::int as submitted, count(*) filter (where level = 2)::int as started,
          count(*) filter (where level = 1)::int as last_year
        from (${schoolLevels(year, sql`o.path like ${likePrefix(path)} and a.instrument_id in ${instruments}`)}) x
        group by instrument_id`,
  );
}

export async function coverageSchoolPage(
  db: DbOrTx,
  path: string,
  q: { schoolYear: string; instruments: string[]; q?: string; level?: CoverageLevel; sort: 'name' | 'district' | 'level'; offset: number; limit: number },
) {
  const prev = previousYear(q.schoolYear);
  const levelCols = q.instruments.map(
    (id, i) => sql`(select ${levelOf(q.schoolYear, prev)} from assessments a where a.org_id = o.id and a.instrument_id = ${id} and a.school_year in (${q.schoolYear}, ${prev})) as ${sql.raw(`l${i}`)}`,
  );
  const needle = q.q ? `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const order = q.sort === 'district' ? sql`district, name` : q.sort === 'level' ? sql`l0 desc, name` : sql`name`;
  const inner = sql`select o.id, o.name, o.code, p.name as district, ${sql.join(levelCols, sql`, `)}
    from organizations o left join organizations p on p.id = o.parent_id
    where o.kind = 'school' and o.status = 'active' and o.path like ${likePrefix(path)}
      ${needle ? sql`and (lower(o.name) like ${needle} or lower(o.code) like ${needle})` : sql``}`;
  const levelFilter = q.level ? sql`where l0 = ${levelNames.indexOf(q.level)}` : sql``;
  const [rows, [{ total }]] = await Promise.all([
    queryRows<Record<string, unknown> & { id: number; name: string; code: string; district: string | null }>(db, sql`select * from (${inner}) t ${levelFilter} order by ${order}, id offset ${q.offset} limit ${q.limit}`),
    queryRows<{ total: number }>(db, sql`select count(*)::int as total from (${inner}) t ${levelFilter}`),
  ]);
  return {
    total,
    items: rows.map((r) => ({ id: r.id, name: r.name, code: r.code, district: r.district, levels: q.instruments.map((_, i) => levelNames[Number(r[`l${i}`] ?? 0)]) })),
  };
}

/** The latest submitted assessment of each school below `path` in a school year. */
function latestInYear(path: string, instrumentId: string, year: string): SQL {
  return sql`select distinct on (a.org_id) a.id, a.org_id, o.path
    from assessments a join organizations o on o.id = a.org_id
    where a.instrument_id = ${instrumentId} and a.school_year = ${year} and a.status = 'submitted'
      and o.kind = 'school' and o.path like ${likePrefix(path)}
    order by a.org_id, ${termRank} desc`;
}

/** Mean scale scores per child of the organisation (read from the path: no per-row prefix joins). */
export async function heatmap(db: DbOrTx, org: { id: number; path: string; depth: number }, instrumentId: string, year: string) {
  const segment = org.depth + 3;
  return queryRows<{ child_id: number; scale_id: string; mean: number | null; schools: number }>(
    db,
    sql`with latest as (${latestInYear(org.path, instrumentId, year)})
        select split_part(l.path, '/', ${segment}::int)::int as child_id, s.scale_id, avg(s.score)::float8 as mean, count(distinct l.org_id)::int as schools
        from latest l join assessment_scores s on s.assessment_id = l.id
        group by 1, 2`,
  );
}

export async function bandCounts(db: DbOrTx, path: string, instrumentId: string, year: string) {
  return queryRows<{ scale_id: string; band: string | null; n: number }>(
    db,
    sql`with latest as (${latestInYear(path, instrumentId, year)})
        select s.scale_id, s.band, count(*)::int as n from latest l join assessment_scores s on s.assessment_id = l.id group by 1, 2`,
  );
}

export async function bandTrend(db: DbOrTx, path: string, instrumentId: string, band: string) {
  return queryRows<{ school_year: string; term: string; scale_id: string; share: number | null; schools: number }>(
    db,
    sql`select a.school_year, a.term, s.scale_id,
          (count(*) filter (where s.band = ${band}))::float8 / nullif(count(s.score), 0) * 100 as share,
          count(s.score)::int as schools
        from assessments a join organizations o on o.id = a.org_id join assessment_scores s on s.assessment_id = a.id
        where a.instrument_id = ${instrumentId} and a.status = 'submitted' and o.kind = 'school' and o.path like ${likePrefix(path)}
        group by 1, 2, 3
        order by 1, (case a.term when 'fall' then 1 when 'winter' then 2 when 'spring' then 3 else 4 end)`,
  );
}

/** Every submitted assessment's scale scores below `path`, one row per assessment and scale. */
export async function submittedScores(db: DbOrTx, path: string, instrumentId: string) {
  return queryRows<{ assessment_id: number; code: string; name: string; kind: string; district: string | null; school_year: string; term: string; submitted_at: Date | string | null; scale_id: string; score: number | null; band: string | null }>(
    db,
    sql`select a.id as assessment_id, o.code, o.name, o.kind, p.name as district, a.school_year, a.term, a.submitted_at, s.scale_id, s.score, s.band
        from assessments a
        join organizations o on o.id = a.org_id
        left join organizations p on p.id = o.parent_id
        join assessment_scores s on s.assessment_id = a.id
        where a.status = 'submitted' and a.instrument_id = ${instrumentId} and o.path like ${likePrefix(path)}
        order by o.name, a.school_year, a.term, a.id`,
  );
}

/**
 * Rebuilds the quality roll-up of one group of schools (a parent organisation) for one instrument
 * and school year from the schools' latest submitted assessments.
 */
async function refreshRollup(db: DbOrTx, groupId: number, instrumentId: string, year: string): Promise<void> {
  await db.execute(sql`delete from quality_rollup where group_id = ${groupId} and instrument_id = ${instrumentId} and school_year = ${year}`);
  await db.execute(sql`insert into quality_rollup (group_id, group_path, state_id, instrument_id, school_year, scale_id, band, schools, sum_score)
    select g.id, g.path, g.state_id, ${instrumentId}, ${year}, s.scale_id, coalesce(s.band, ''), count(*)::int, sum(s.score)
    from organizations g
    join (select distinct on (a.org_id) a.id
          from assessments a join organizations o on o.id = a.org_id
          where o.parent_id = ${groupId} and o.kind = 'school' and a.instrument_id = ${instrumentId} and a.school_year = ${year} and a.status = 'submitted'
          order by a.org_id, ${termRank} desc) l on true
    join assessment_scores s on s.assessment_id = l.id
    where g.id = ${groupId} and s.score is not null
    group by g.id, g.path, g.state_id, s.scale_id, coalesce(s.band, '')`);
}

/** Rebuilds the coverage roll-up of one group of schools for one instrument and school year. */
async function refreshCoverage(db: DbOrTx, groupId: number, instrumentId: string, year: string): Promise<void> {
  await db.execute(sql`delete from coverage_rollup where group_id = ${groupId} and instrument_id = ${instrumentId} and school_year = ${year}`);
  await db.execute(sql`insert into coverage_rollup (group_id, group_path, instrument_id, school_year, submitted, started, last_year)
    select g.id, g.path, ${instrumentId}, ${year},
      count(*) filter (where x.level = 3)::int, count(*) filter (where x.level = 2)::int, count(*) filter (where x.level = 1)::int
    from organizations g
    join (${schoolLevels(year, sql`o.parent_id = ${groupId} and a.instrument_id = ${instrumentId}`)}) x on x.level > 0
    where g.id = ${groupId}
    group by g.id, g.path`);
}

/**
 * Brings a group's roll-ups up to date after one of its schools' assessments changed in a year:
 * quality for the year, coverage for the year and the next (whose "last year" reads this one).
 * Call inside the transaction that made the change.
 */
export async function refreshGroupFigures(db: DbOrTx, groupId: number, instrumentId: string, year: string): Promise<void> {
  await refreshRollup(db, groupId, instrumentId, year);
  await refreshCoverage(db, groupId, instrumentId, year);
  await refreshCoverage(db, groupId, instrumentId, nextYear(year));
}

/**
 * Every group, instrument and year with assessments among the schools below `path` (all when
 * null), and every group already rolled up there (it may have lost its schools).
 */
function groupsToRefresh(db: DbOrTx, path: string | null) {
  const below = (column: SQL) => (path === null ? sql`` : sql`and ${column} like ${likePrefix(path)}`);
  return queryRows<{ group_id: number; instrument_id: string; school_year: string }>(
    db,
    sql`select o.parent_id as group_id, a.instrument_id, a.school_year
        from assessments a join organizations o on o.id = a.org_id
        where o.kind = 'school' and o.parent_id is not null ${below(sql`o.path`)}
        union select group_id, instrument_id, school_year from coverage_rollup where true ${below(sql`group_path`)}
        union select group_id, instrument_id, school_year from quality_rollup where true ${below(sql`group_path`)}`,
  );
}

/** Rebuilds every roll-up (after bulk loads: the demo, a benchmark). */
export async function refreshAllRollups(db: DbOrTx): Promise<void> {
  for (const g of await groupsToRefresh(db, null)) await refreshGroupFigures(db, g.group_id, g.instrument_id, g.school_year);
}

/** Schools below `path` closed or reopened (archive, restore, a directory import): recount their groups. */
export async function followSubtreeChange(db: DbOrTx, change: { path: string }): Promise<void> {
  for (const g of await groupsToRefresh(db, change.path)) await refreshGroupFigures(db, g.group_id, g.instrument_id, g.school_year);
}

/** Mean per child of the organisation and scale, from the roll-ups of the groups below it. */
export async function heatmapFromRollup(db: DbOrTx, org: { path: string; depth: number }, instrumentId: string, year: string) {
  return queryRows<{ child_id: number; scale_id: string; mean: number | null; schools: number }>(
    db,
    sql`select split_part(group_path, '/', ${org.depth + 3}::int)::int as child_id, scale_id,
          sum(sum_score) / nullif(sum(schools), 0) as mean, sum(schools)::int as schools
        from quality_rollup
        where group_path like ${likePrefix(org.path)} and instrument_id = ${instrumentId} and school_year = ${year}
        group by 1, 2`,
  );
}

export async function bandCountsFromRollup(db: DbOrTx, path: string, instrumentId: string, year: string) {
  return queryRows<{ scale_id: string; band: string | null; n: number }>(
    db,
    sql`select scale_id, nullif(band, '') as band, sum(schools)::int as n from quality_rollup
        where group_path like ${likePrefix(path)} and instrument_id = ${instrumentId} and school_year = ${year}
        group by 1, 2`,
  );
}

/** Share of schools in a band per school year (each school's latest assessment in the year). */
export async function bandTrendFromRollup(db: DbOrTx, path: string, instrumentId: string, band: string) {
  return queryRows<{ school_year: string; term: string; scale_id: string; share: number | null; schools: number }>(
    db,
    sql`select school_year, 'full_year' as term, scale_id,
          coalesce(sum(schools) filter (where band = ${band}), 0)::float8 / nullif(sum(schools), 0) * 100 as share,
          sum(schools)::int as schools
        from quality_rollup
        where group_path like ${likePrefix(path)} and instrument_id = ${instrumentId}
        group by 1, 3 order by 1`,
  );
}

/**
 * Keeps roll-ups in step with a move: groups below the moved organisation take its new path, and
 * a moved school leaves its old group's figures for its new group's.
 */
export async function followTreeMove(db: DbOrTx, move: { kind: string; orgId: number; oldPath: string; newPath: string; oldParentId: number | null; newParentId: number }): Promise<void> {
  await db.execute(sql`update quality_rollup set group_path = ${move.newPath} || substr(group_path, ${move.oldPath.length + 1}),
      state_id = (select o.state_id from organizations o where o.id = quality_rollup.group_id)
    where group_path like ${likePrefix(move.oldPath)}`);
  await db.execute(sql`update coverage_rollup set group_path = ${move.newPath} || substr(group_path, ${move.oldPath.length + 1})
    where group_path like ${likePrefix(move.oldPath)}`);
  if (move.kind !== 'school') return;
  const years = await queryRows<{ instrument_id: string; school_year: string }>(db, sql`select distinct instrument_id, school_year from assessments where org_id = ${move.orgId}`);
  for (const y of years) {
    if (move.oldParentId !== null) await refreshGroupFigures(db, move.oldParentId, y.instrument_id, y.school_year);
    await refreshGroupFigures(db, move.newParentId, y.instrument_id, y.school_year);
  }
}
