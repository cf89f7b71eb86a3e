import { and, desc, eq, sql } from 'drizzle-orm';
import { type Actor, assertCan, likePrefix } from '../../../server/authz/scope.js';
import { type Db, queryRows } from '../../../server/db/client.js';
import { conflict, notFound } from '../../../server/http/errors.js';
import { allSlots } from '../../instruments/model/item-types.js';
import { loadPublishedDefinition } from '../../instruments/server/instruments.service.js';
import { findAncestors, findOrg } from '../../organizations/server/organizations.queries.js';
import type { AssessmentResults } from '../assessments.contract.js';
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
  const [a] = await db.select().from(assessments).where(eq(assessments.id, id));
  const org = a ? await findOrg(db, a.orgId) : undefined;
  assertCan(actor, 'assessment.read', org, 'Assessment');
  if (a!.status !== 'submitted') throw conflict('Results appear once the assessment is submitted.');
  const def = await loadPublishedDefinition(db, a!.instrumentId, a!.instrumentVersion);
  if (!def) throw notFound('Instrument version');

  const scores = await db.select().from(assessmentScores).where(eq(assessmentScores.assessmentId, id));
  const [previous] = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.orgId, a!.orgId), eq(assessments.instrumentId, a!.instrumentId), eq(assessments.status, 'submitted'), sql`(${assessments.schoolYear}, ${periodRank(sql`${assessments.term}`)}) < (${a!.schoolYear}, ${periodRank(sql`${a!.term}`)})`))
    .orderBy(desc(assessments.schoolYear), desc(periodRank(sql`${assessments.term}`)))
    .limit(1);
  const previousScores = previous ? await db.select().from(assessmentScores).where(eq(assessmentScores.assessmentId, previous.id)) : [];

  // District and state above the organisation (those the caller may see are named; all are averaged).
  const above = (await findAncestors(db, org!.path)).filter((x) => x.kind === 'district' || x.kind === 'state' || x.kind === 'network').reverse();
  const comparisons = new Map<string, AssessmentResults['scales'][number]['comparisons']>();
  for (const group of above) {
    const rows = await queryRows<{ scale_id: string; mean: number | null; contributors: number }>(
      db,
      sql`select s.scale_id, avg(s.score)::float8 as mean, count(distinct a.org_id)::int as contributors
          from assessment_scores s
          join assessments a on a.id = s.assessment_id
          join organizations o on o.id = a.org_id
          where a.instrument_id = ${a!.instrumentId} and a.status = 'submitted'
            and a.school_year = ${a!.schoolYear} and a.term = ${a!.term}
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
  const enrolment = typeof values.get('enrolment') === 'number' ? (values.get('enrolment') as number) : org!.enrolment;
  const facts = def.kind === 'profile'
    ? slots
        .filter((s) => values.has(s.id) && values.get(s.id) !== null)
        .map((s) => {
          const v = values.get(s.id);
          // Staff counted in full-time equivalents: how many students each one serves.
          const isStaff = s.item.type === 'number' && (s.item.unit?.en ?? '').toUpperCase() === 'FTE';
          return { slotId: s.id, value: v, studentsPer: isStaff && typeof v === 'number' && v > 0 && enrolment ? Math.round(enrolment / v) : null };
        })
    : [];

  return {
    assessment: {
      id: a!.id,
      orgId: a!.orgId,
      orgName: org!.name,
      instrumentId: a!.instrumentId,
      instrumentVersion: a!.instrumentVersion,
      schoolYear: a!.schoolYear,
      term: a!.term as AssessmentResults['assessment']['term'],
      status: 'submitted',
      startedAt: a!.startedAt.toISOString(),
      submittedAt: a!.submittedAt?.toISOString() ?? null,
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
  };
}

/** Order of terms within a school year. */
function periodRank(term: ReturnType<typeof sql>) {
  return sql`(case ${term} when 'fall' then 1 when 'winter' then 2 when 'spring' then 3 else 4 end)`;
}
