import { and, desc, eq, sql } from 'drizzle-orm';
import { type Actor, can, likePrefix } from '../../../server/authz/scope.js';
import { type Db, queryRows } from '../../../server/db/client.js';
import { allSlots } from '../../instruments/model/item-types.js';
import { findAncestors } from '../../organizations/server/organizations.queries.js';
import type { AssessmentResults } from '../assessments.contract.js';
import { loadSubmitted } from './assessments.service.js';
import { assessmentAnswers, assessments, assessmentScores } from './assessments.tables.js';

/** Averages above an organisation are shown only when this many organisations contribute. */
export const MIN_COMPARISON_GROUP = 5;
const STRENGTHS = 3;

/**
 * The results of a submitted assessment: scale scores and bands, the change since the previous
 * period, averages of the district and state (where at least five organisations contribute),
 * strengths and priorities, and for a profile the facts with students per staff member.
 * @throws AppError not_found | forbidden | conflict (not submitted yet)
 */
export async function getResults(db: Db, actor: Actor, id: number): Promise<AssessmentResults> {
  const { a, org, def } = await loadSubmitted(db, actor, id, 'assessment.read', 'Results appear once the assessment is submitted.');

  const scores = await db.select().from(assessmentScores).where(eq(assessmentScores.assessmentId, id));
  const [previous] = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.orgId, a.orgId), eq(assessments.instrumentId, a.instrumentId), eq(assessments.status, 'submitted'), sql`(${assessments.schoolYear}, ${periodRank(sql`${assessments.term}`)}) < (${a.schoolYear}, ${periodRank(sql`${a.term}`)})`))
    .orderBy(desc(assessments.schoolYear), desc(periodRank(sql`${assessments.term}`)))
    .limit(1);
  const previousScores = previous ? await db.select().from(assessmentScores).where(eq(assessmentScores.assessmentId, previous.id)) : [];

  // District and state above the organisation (those the caller may see are named; all are averaged).
  const above = (await findAncestors(db, org.path)).filter((x) => x.kind === 'district' || x.kind === 'state' || x.kind === 'network').reverse();
  const comparisons = new Map<string, AssessmentResults['scales'][number]['comparisons']>();
  for (const group of above) {
    const rows = await queryRows<{ scale_id: string; mean: number | null; contributors: number }>(
      db,
      sql`select s.scale_id, avg(s.score)::float8 as mean, count(distinct a.org_id)::int as contributors
          from assessment_scores s
          join assessments a on a.id = s.assessment_id
          join organizations o on o.id = a.org_id
          where a.instrument_id = ${a.instrumentId} and a.status = 'submitted'
            and a.school_year = ${a.schoolYear} and a.term = ${a.term}
            and o.path like ${likePrefix(group.path)} and s.score is not null
          group by s.scale_id`,
    );
    for (const r of rows) {
      const enough = r.contributors >= MIN_COMPARISON_GROUP;
      const list = comparisons.get(r.scale_id) ?? [];
      list.push({ orgId: group.id, orgName: group.name, kind: group.kind, mean: enough ? r.mean : null, contributors: r.contributors, enough });
      comparisons.set(r.scale_id, list);
    }
  }

  const answers = await db.select({ slotId: assessmentAnswers.slotId, value: assessmentAnswers.value }).from(assessmentAnswers).where(eq(assessmentAnswers.assessmentId, id));
  const values = new Map(answers.map((x) => [x.slotId, x.value]));
  const slots = allSlots(def);
  const rated = slots
    .filter((s) => s.kind === 'ordinal' && typeof values.get(s.id) === 'number')
    .map((s) => ({ slotId: s.id, value: values.get(s.id) as number, tags: s.item.tags ?? [] }));
  const byValue = [...rated].sort((x, y) => y.value - x.value);
  const enrolment = typeof values.get('enrolment') === 'number' ? (values.get('enrolment') as number) : org.enrolment;
  const factsAround = def.kind === 'profile' ? await profileComparisons(db, a!, above, slots) : new Map<string, FactComparison[]>();
  const facts = def.kind === 'profile'
    ? slots
        .filter((s) => values.has(s.id) && values.get(s.id) !== null)
        .map((s) => {
          const v = values.get(s.id);
          return { slotId: s.id, value: v, studentsPer: isStaff(s.item) && typeof v === 'number' && v > 0 && enrolment ? Math.round(enrolment / v) : null, comparisons: factsAround.get(s.id) ?? [] };
        })
    : [];

  return {
    assessment: {
      id: a.id,
      orgId: a.orgId,
      orgName: org.name,
      instrumentId: a.instrumentId,
      instrumentVersion: a.instrumentVersion,
      schoolYear: a.schoolYear,
      term: a.term as AssessmentResults['assessment']['term'],
      status: 'submitted',
      startedAt: a.startedAt.toISOString(),
      submittedAt: a.submittedAt?.toISOString() ?? null,
      answered: answers.filter((x) => x.value !== null).length,
      total: slots.length,
    },
    definition: def,
    scales: def.scales.map((scale) => {
      const s = scores.find((x) => x.scaleId === scale.id);
      const p = previousScores.find((x) => x.scaleId === scale.id);
      return {
        scaleId: scale.id,
        score: s?.score ?? null,
        band: s?.band ?? null,
        answered: s?.answered ?? 0,
        total: s?.total ?? scale.items.length,
        previous: previous && p ? { score: p.score, schoolYear: previous.schoolYear, term: previous.term } : null,
        comparisons: comparisons.get(scale.id) ?? [],
      };
    }),
    strengths: byValue.slice(0, STRENGTHS),
    priorities: byValue.slice(-STRENGTHS).reverse().filter((x) => !byValue.slice(0, STRENGTHS).includes(x)),
    facts,
    minimumGroup: MIN_COMPARISON_GROUP,
    can: { proposeGoal: can(actor, 'plan.manage', org) },
  };
}

type FactComparison = AssessmentResults['facts'][number]['comparisons'][number];
type SlotWithItem = ReturnType<typeof allSlots>[number];

/** Staff counted in full-time equivalents: the ratio that matters is students per staff member. */
function isStaff(item: SlotWithItem['item']): boolean {
  return item.type === 'number' && (item.unit?.en ?? '').toUpperCase() === 'FTE';
}

/**
 * Profile facts across each district and state above the organisation, from the submitted
 * profiles of the same period: means of numbers, students per staff member (all students over all
 * staff, as ratios are reported), and the share giving each answer to choices and yes/no.
 * Figures are withheld where fewer than five organisations answered.
 */
async function profileComparisons(
  db: Db,
  a: { instrumentId: string; schoolYear: string; term: string },
  groups: { id: number; name: string; kind: string; path: string }[],
  slots: SlotWithItem[],
): Promise<Map<string, FactComparison[]>> {
  const numbers = slots.filter((s) => s.item.type === 'number').map((s) => s.id);
  const choices = slots.filter((s) => ['single_choice', 'multiple_choice', 'yes_no'].includes(s.item.type)).map((s) => s.id);
  const staff = new Set(slots.filter((s) => isStaff(s.item)).map((s) => s.id));
  const out = new Map<string, FactComparison[]>();
  if (!numbers.length && !choices.length) return out;
  const asNumber = sql`case when jsonb_typeof(x.value) = 'number' then (x.value #>> '{}')::float8 end`;
  for (const group of groups) {
    // Each school's enrolment as its profile gives it, else as the directory has it.
    const answered = sql`with latest as (
        select a.id, coalesce(case when jsonb_typeof(e.value) = 'number' then (e.value #>> '{}')::float8 end, o.enrolment) as enrolment
        from assessments a
        join organizations o on o.id = a.org_id
        left join assessment_answers e on e.assessment_id = a.id and e.slot_id = 'enrolment'
        where a.instrument_id = ${a.instrumentId} and a.status = 'submitted' and a.school_year = ${a.schoolYear} and a.term = ${a.term}
          and o.path like ${likePrefix(group.path)})`;
    const [figures, shares] = await Promise.all([
      queryRows<{ slot_id: string; contributors: number; mean: number | null; students: number | null; staff: number | null }>(
        db,
        sql`${answered}
            select x.slot_id, count(*)::int as contributors, avg(${asNumber}) as mean,
              sum(l.enrolment) filter (where ${asNumber} is not null) as students,
              sum(${asNumber}) filter (where l.enrolment is not null) as staff
            from latest l join assessment_answers x on x.assessment_id = l.id
            where x.slot_id in ${[...numbers, ...choices]} and x.value is not null and x.value <> 'null'::jsonb
            group by x.slot_id`,
      ),
      choices.length
        ? queryRows<{ slot_id: string; answer: string; n: number }>(
            db,
            sql`${answered}
                select x.slot_id, v.answer, count(*)::int as n
                from latest l join assessment_answers x on x.assessment_id = l.id
                cross join lateral jsonb_array_elements_text(case jsonb_typeof(x.value) when 'array' then x.value else jsonb_build_array(x.value) end) v(answer)
                where x.slot_id in ${choices} and jsonb_typeof(x.value) in ('array', 'string', 'boolean')
                group by 1, 2`,
          )
        : [],
    ]);
    for (const f of figures) {
      const enough = f.contributors >= MIN_COMPARISON_GROUP;
      const mine = shares.filter((x) => x.slot_id === f.slot_id);
      const list = out.get(f.slot_id) ?? [];
      list.push({
        orgId: group.id,
        orgName: group.name,
        kind: group.kind,
        contributors: f.contributors,
        enough,
        mean: enough && numbers.includes(f.slot_id) ? f.mean : null,
        studentsPer: enough && staff.has(f.slot_id) && f.students && f.staff ? Math.round(f.students / f.staff) : null,
        shares: enough && choices.includes(f.slot_id) ? Object.fromEntries(mine.map((x) => [x.answer, Math.round((x.n / f.contributors) * 100)])) : null,
      });
      out.set(f.slot_id, list);
    }
  }
  return out;
}

/** Order of terms within a school year, in SQL. */
export function periodRank(term: ReturnType<typeof sql>) {
  return sql`(case ${term} when 'fall' then 1 when 'winter' then 2 when 'spring' then 3 else 4 end)`;
}
