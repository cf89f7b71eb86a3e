import { and, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../../server/authz/scope.js';
import { likePrefix } from '../../../server/authz/scope.js';
import { type Db, type DbOrTx, queryRows } from '../../../server/db/client.js';
import { AppError, badRequest } from '../../../server/http/errors.js';
import { loadSubmitted } from '../../assessments/server/assessments.service.js';
import { periodRank } from '../../assessments/server/assessments.results.js';
import { assessments, assessmentScores } from '../../assessments/server/assessments.tables.js';
import { instrumentVersions } from '../../instruments/server/instruments.tables.js';
import { getSurveyReport } from '../../reports/server/reports.service.js';
import type { GoalCheck, GoalInput } from '../plans.contract.js';
import type { GoalMeasure } from '../plans.model.js';
import { goalProposals, type GoalSource } from './plans.tables.js';

type OrgRef = { id: number; path: string };

/** A figure of a result, and where it comes from. */
interface Reading {
  value: number | null;
  withheld: boolean;
  period: string;
  /** The assessment or administration read. */
  id: number;
  link: string;
}

/** The score of one scale in one submitted assessment. */
async function assessmentScore(db: Db, assessmentId: number, scaleId: string): Promise<number | null> {
  const [s] = await db.select({ score: assessmentScores.score }).from(assessmentScores).where(and(eq(assessmentScores.assessmentId, assessmentId), eq(assessmentScores.scaleId, scaleId)));
  return s?.score ?? null;
}

/** One scale of a closed survey for an organisation (and a group), through the report and its privacy rules. */
async function surveyFigure(db: Db, actor: Actor, administrationId: number, orgId: number, m: { scaleId: string; metric: 'percent_favorable' | 'mean'; group: { questionId: string; value: string } | null }) {
  const report = await getSurveyReport(db, actor, administrationId, { org: orgId, filter: m.group ? `${m.group.questionId}:${m.group.value}` : undefined, lang: 'en' });
  const scale = report.scales.find((s) => s.id === m.scaleId);
  if (!scale) throw badRequest(`This survey has no scale "${m.scaleId}".`, 'from.scaleId');
  const f = scale.overall;
  // A coded share ("5 % or less") is not a figure to compare with a target.
  const value = m.metric === 'mean' ? f.mean : f.favourable.coded ? null : f.favourable.value;
  return { value, withheld: value === null && (f.withheld !== null || f.favourable.coded !== null), report };
}

/**
 * What a goal made from a result starts with: the figure at the time (its baseline), the measure
 * to check later, and the result's framework tags. Reads through the result's own permission
 * checks, so nobody turns a result they cannot read into a goal.
 * @throws AppError not_found | conflict (not submitted or closed) | validation_failed (not the plan's organisation, unknown scale)
 */
export async function resolveSource(db: Db, actor: Actor, org: OrgRef, from: NonNullable<GoalInput['from']>): Promise<{ source: GoalSource; measure: GoalMeasure | null; elements: string[]; proposalId: number | null }> {
  if (from.kind === 'proposal') {
    const [p] = await db.select().from(goalProposals).where(eq(goalProposals.id, from.proposalId));
    if (!p || p.orgId !== org.id) throw badRequest('This proposed goal belongs to another organisation.', 'from.proposalId');
    if (p.status !== 'open') throw new AppError('conflict', 'A plan already took up this proposed goal.', 'from.proposalId');
    const { a, def } = await loadSubmitted(db, actor, p.assessmentId, 'assessment.read', 'Goals come from submitted results.');
    const scale = p.scaleId ? def.scales.find((s) => s.id === p.scaleId) : undefined;
    const baseline = scale ? await assessmentScore(db, a.id, scale.id) : null;
    return {
      source: { kind: 'proposal', id: a.id, slotId: p.slotId, scaleId: p.scaleId ?? undefined, value: baseline ?? p.value, period: `${a.schoolYear} ${a.term}` },
      measure: scale ? { source: 'assessment', instrumentId: a.instrumentId, scaleId: scale.id } : null,
      elements: scale?.tags ?? [],
      proposalId: p.id,
    };
  }
  if (from.kind === 'assessment') {
    const { a, def } = await loadSubmitted(db, actor, from.assessmentId, 'assessment.read', 'Goals come from submitted results.');
    if (a.orgId !== org.id) throw badRequest('These results are of another organisation than the plan\'s.', 'from.assessmentId');
    const scale = def.scales.find((s) => s.id === from.scaleId);
    if (!scale) throw badRequest(`This assessment has no domain "${from.scaleId}".`, 'from.scaleId');
    return {
      source: { kind: 'assessment', id: a.id, scaleId: scale.id, value: await assessmentScore(db, a.id, scale.id), period: `${a.schoolYear} ${a.term}` },
      measure: { source: 'assessment', instrumentId: a.instrumentId, scaleId: scale.id },
      elements: scale.tags ?? [],
      proposalId: null,
    };
  }
  const { value, report } = await surveyFigure(db, actor, from.administrationId, org.id, from);
  const scale = report.scales.find((s) => s.id === from.scaleId)!;
  return {
    source: { kind: 'survey', id: from.administrationId, scaleId: from.scaleId, group: from.group, value, period: report.administration.closesAt.slice(0, 10) },
    measure: { source: 'survey', instrumentId: report.administration.instrumentId, scaleId: from.scaleId, metric: from.metric, group: from.group },
    elements: scale.tags,
    proposalId: null,
  };
}

/** The latest result of a measure for an organisation, if there is one the reader may see. */
async function latestReading(db: Db, actor: Actor, org: OrgRef, m: GoalMeasure): Promise<Reading | null> {
  if (m.source === 'assessment') {
    const [latest] = await db
      .select({ id: assessments.id, schoolYear: assessments.schoolYear, term: assessments.term, score: assessmentScores.score })
      .from(assessments)
      .innerJoin(assessmentScores, and(eq(assessmentScores.assessmentId, assessments.id), eq(assessmentScores.scaleId, m.scaleId)))
      .where(and(eq(assessments.orgId, org.id), eq(assessments.instrumentId, m.instrumentId), eq(assessments.status, 'submitted')))
      .orderBy(desc(assessments.schoolYear), desc(periodRank(sql`${assessments.term}`)))
      .limit(1);
    return latest ? { value: latest.score, withheld: false, period: `${latest.schoolYear} ${latest.term}`, id: latest.id, link: `/assessments/${latest.id}/results` } : null;
  }
  // The newest closed administration of this survey that covers the organisation (given by it or above it, or at its schools).
  const [admin] = await queryRows<{ id: number; closes_at: Date | string }>(
    db,
    sql`select a.id, a.closes_at from survey_administrations a
        where a.instrument_id = ${m.instrumentId} and a.closes_at <= now()
          and exists (select 1 from survey_sites s join organizations o on o.id = s.org_id where s.administration_id = a.id and o.path like ${likePrefix(org.path)})
        order by a.closes_at desc, a.id desc limit 1`,
  );
  if (!admin) return null;
  try {
    const { value, withheld } = await surveyFigure(db, actor, admin.id, org.id, m);
    const group = m.group ? `&filter=${encodeURIComponent(`${m.group.questionId}:${m.group.value}`)}` : '';
    return { value, withheld, period: new Date(admin.closes_at).toISOString().slice(0, 10), id: admin.id, link: `/surveys/${admin.id}/results?org=${org.id}${group}` };
  } catch (err) {
    // A reader who may not see that survey's results, or a survey that no longer fits the measure
    // (a new version without the scale, a question not asked), gives no figure, not a broken plan.
    if (err instanceof AppError) return null;
    throw err;
  }
}

/**
 * Checks a goal against the latest result of its measure: met, improving, not improving, missed
 * (past its date), or waiting for a result later than the one it started from.
 */
export async function checkGoal(db: Db, actor: Actor, org: OrgRef, g: { measure: GoalMeasure | null; source: GoalSource | null; baseline: number | null; target: number | null; targetDate: string | null }, today = new Date()): Promise<GoalCheck> {
  if (!g.measure) return { status: 'unmeasured', current: null, period: null, link: null, withheld: false };
  const r = await latestReading(db, actor, org, g.measure);
  // The result the goal started from is not a later result (a proposal's is an assessment).
  const fromThis = (id: number) => !!g.source && g.source.id === id && (g.source.kind === 'survey') === (g.measure!.source === 'survey');
  if (!r) return { status: g.target === null ? 'unmeasured' : 'waiting', current: null, period: null, link: null, withheld: false };
  const base = { current: r.value, period: r.period, link: r.link, withheld: r.withheld };
  if (g.target === null) return { status: 'unmeasured', ...base };
  if (fromThis(r.id) || r.value === null) return { status: 'waiting', ...base };
  const up = g.baseline === null || g.target >= g.baseline;
  if (up ? r.value >= g.target : r.value <= g.target) return { status: 'met', ...base };
  if (g.targetDate && today.toISOString().slice(0, 10) > g.targetDate) return { status: 'missed', ...base };
  const better = g.baseline !== null && (up ? r.value > g.baseline : r.value < g.baseline);
  return { status: better ? 'improving' : 'not_improving', ...base };
}

/**
 * Checks that a measure names a published instrument of the right kind with that scale (and, for a
 * survey group, a demographic question of it), so a goal never points at nothing.
 * @throws AppError validation_failed (on `field`.instrumentId, .scaleId or .group)
 */
export async function assertMeasure(db: DbOrTx, m: GoalMeasure | null | undefined, field = 'measure'): Promise<void> {
  if (!m) return;
  const [v] = await db
    .select({ definition: instrumentVersions.definition })
    .from(instrumentVersions)
    .where(and(eq(instrumentVersions.instrumentId, m.instrumentId), eq(instrumentVersions.status, 'published')))
    .orderBy(desc(instrumentVersions.version))
    .limit(1);
  const kind = m.source === 'survey' ? 'survey' : 'self_assessment';
  if (!v || v.definition.kind !== kind) throw badRequest(`There is no published ${m.source === 'survey' ? 'survey' : 'self-assessment'} "${m.instrumentId}".`, `${field}.instrumentId`);
  if (!v.definition.scales.some((sc) => sc.id === m.scaleId)) throw badRequest(`"${m.instrumentId}" has no scale "${m.scaleId}".`, `${field}.scaleId`);
  if (m.source === 'survey' && m.group) {
    const q = v.definition.sections.flatMap((sec) => sec.items).find((i) => i.id === m.group!.questionId);
    if (!q || !('demographic' in q) || !q.demographic) throw badRequest(`"${m.instrumentId}" asks no demographic question "${m.group.questionId}".`, `${field}.group`);
  }
}
