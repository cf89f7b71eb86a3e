import { and, asc, desc, eq, gt, ne, sql } from 'drizzle-orm';
import { type Actor, assertCan, can } from '../../../server/authz/scope.js';
import { type Db, type DbOrTx, queryRows } from '../../../server/db/client.js';
import { AppError, badRequest, conflict, notFound } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { users } from '../../auth/server/auth.tables.js';
import type { Answers } from '../../instruments/model/answers.js';
import { validateAnswers } from '../../instruments/model/answers.js';
import type { InstrumentDefinition } from '../../instruments/model/instrument.schema.js';
import { allSlots, specOf } from '../../instruments/model/item-types.js';
import { scoreAll } from '../../instruments/model/scoring.js';
import { getInstrument, loadPublishedDefinition } from '../../instruments/server/instruments.service.js';
import { findOrg, inSubtree } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { Permission } from '../../../shared/permissions.js';
import type { AnswerView, AssessmentDetail, AssessmentSummary } from '../assessments.contract.js';
import { assessmentAnswers, assessments, assessmentScores } from './assessments.tables.js';
import { refreshGroupFigures } from './coverage.queries.js';

type Row = typeof assessments.$inferSelect;
type Term = AssessmentSummary['term'];

/** Term order inside a school year, for "the previous period". */
const termOrder = sql`case ${assessments.term} when 'fall' then 1 when 'winter' then 2 when 'spring' then 3 else 4 end`;

/**
 * Loads an assessment and checks the permission on its organisation (the one stored on the row).
 * @throws AppError not_found | forbidden
 */
async function load(db: DbOrTx, actor: Actor, id: number, permission: Permission) {
  const [a] = await db.select().from(assessments).where(eq(assessments.id, id));
  const org = a ? await findOrg(db, a.orgId) : undefined;
  assertCan(actor, permission, org, 'Assessment');
  return { a: a!, org: org! };
}

async function definitionOf(db: DbOrTx, a: Row): Promise<InstrumentDefinition> {
  const def = await loadPublishedDefinition(db as Db, a.instrumentId, a.instrumentVersion);
  if (!def) throw notFound('Instrument version');
  return def;
}

/**
 * A submitted assessment with its organisation and instrument version, for what is built on its
 * results (the results page, proposed goals), once the permission on its organisation holds.
 * @throws AppError not_found | forbidden | conflict (not submitted yet)
 */
export async function loadSubmitted(db: Db, actor: Actor, id: number, permission: Permission, notYet: string) {
  const { a, org } = await load(db, actor, id, permission);
  if (a.status !== 'submitted') throw conflict(notYet);
  return { a, org, def: await definitionOf(db, a) };
}

/**
 * The moment to ask for later changes from, on the database's clock. Two seconds early: a save
 * committed just after this read but stamped just before it is then sent again, never missed
 * (the page merges answers by slot).
 */
async function dbNow(db: DbOrTx): Promise<Date | string> {
  const [{ now }] = await queryRows<{ now: Date | string }>(db, sql`select now() - interval '2 seconds' as now`);
  return now;
}

function answerable(def: InstrumentDefinition) {
  return allSlots(def).filter((s) => specOf(s.item).answerable);
}

/** An answer as the page shows it: who changed it last (name, else email) and when. */
function answerView(r: { slotId: string; value: unknown; note: string | null; evidence: string[] | null; name: string | null; email: string | null; updatedAt: Date | string }): AnswerView {
  return { slotId: r.slotId, value: r.value ?? null, note: r.note, evidence: r.evidence ?? null, updatedBy: r.name || r.email || null, updatedAt: new Date(r.updatedAt).toISOString() };
}

async function answerRows(db: DbOrTx, id: number, since?: Date): Promise<AnswerView[]> {
  const rows = await db
    .select({ slotId: assessmentAnswers.slotId, value: assessmentAnswers.value, note: assessmentAnswers.note, evidence: assessmentAnswers.evidence, name: users.name, email: users.email, updatedAt: assessmentAnswers.updatedAt })
    .from(assessmentAnswers)
    .leftJoin(users, eq(users.id, assessmentAnswers.updatedBy))
    .where(and(eq(assessmentAnswers.assessmentId, id), since ? gt(assessmentAnswers.updatedAt, since) : undefined))
    .orderBy(asc(assessmentAnswers.updatedAt));
  return rows.map(answerView);
}

function summarize(a: Row, orgName: string, def: InstrumentDefinition, answers: { slotId: string; value: unknown }[]): AssessmentSummary {
  const slots = answerable(def);
  const given = new Set(answers.filter((x) => x.value !== null && x.value !== undefined).map((x) => x.slotId));
  return {
    id: a.id,
    orgId: a.orgId,
    orgName,
    instrumentId: a.instrumentId,
    instrumentVersion: a.instrumentVersion,
    schoolYear: a.schoolYear,
    term: a.term as Term,
    status: a.status as AssessmentSummary['status'],
    startedAt: a.startedAt.toISOString(),
    submittedAt: a.submittedAt?.toISOString() ?? null,
    answered: slots.filter((s) => given.has(s.id)).length,
    total: slots.length,
  };
}

/**
 * Starts an assessment of an organisation with a published profile or self-assessment for one
 * period, optionally from a copy of the answers of its previous assessment with that instrument.
 * @throws AppError not_found | forbidden | validation_failed | conflict (one per period)
 */
export async function startAssessment(
  db: Db,
  actor: Actor,
  input: { orgId: number; instrumentId: string; version?: number; schoolYear: string; term: Term; copyPrevious: boolean },
): Promise<AssessmentDetail> {
  const org = await findOrg(db, input.orgId);
  assertCan(actor, 'assessment.run', org);
  if (org!.status !== 'active') throw conflict('This organisation is archived.', 'orgId');
  const instrument = await getInstrument(db, actor, input.instrumentId).catch(() => {
    throw badRequest(`There is no instrument "${input.instrumentId}" you can use.`, 'instrumentId');
  });
  if (instrument.kind === 'survey') throw badRequest('Surveys are given to respondents, not filled in by a team. Choose a profile or a self-assessment.', 'instrumentId');
  const version = input.version ?? instrument.publishedVersion;
  const def = version ? await loadPublishedDefinition(db, input.instrumentId, version) : null;
  if (!def) throw badRequest('This instrument has no such published version yet.', 'version');
  const id = await db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: assessments.id })
      .from(assessments)
      .where(and(eq(assessments.orgId, org!.id), eq(assessments.instrumentId, def.id), eq(assessments.schoolYear, input.schoolYear), eq(assessments.term, input.term)));
    if (clash) throw conflict('This organisation already has an assessment with this instrument for this period.', 'term');
    const previous = input.copyPrevious
      ? (
          await tx
            .select()
            .from(assessments)
            .where(and(eq(assessments.orgId, org!.id), eq(assessments.instrumentId, def.id)))
            .orderBy(desc(assessments.schoolYear), desc(termOrder))
            .limit(1)
        )[0]
      : undefined;
    const [row] = await tx
      .insert(assessments)
      .values({ orgId: org!.id, stateId: org!.stateId, instrumentId: def.id, instrumentVersion: def.version, schoolYear: input.schoolYear, term: input.term, startedBy: actor.userId || null, copiedFromId: previous?.id ?? null })
      .returning({ id: assessments.id });
    if (previous) {
      // Only answers that still fit this version's slots are carried over.
      const slots = allSlots(def).map((s) => s.id);
      await tx.execute(sql`
        insert into assessment_answers (assessment_id, slot_id, value, note, evidence, updated_by, updated_at)
        select ${row.id}, slot_id, value, note, evidence, updated_by, now() from assessment_answers
        where assessment_id = ${previous.id} and slot_id in ${slots}`);
    }
    if (org!.kind === 'school' && org!.parentId !== null) await refreshGroupFigures(tx, org!.parentId, def.id, input.schoolYear);
    await writeAudit(tx, { action: 'assessment.started', actor, org: org!, targetType: 'assessment', targetId: row.id, details: { instrument: `${def.id}@${def.version}`, period: `${input.schoolYear} ${input.term}`, copiedFrom: previous?.id ?? null } });
    return row.id;
  });
  return getAssessment(db, actor, id);
}

/** An assessment with its instrument, every answer (who and when), progress and what the caller may do. */
export async function getAssessment(db: Db, actor: Actor, id: number): Promise<AssessmentDetail> {
  const { a, org } = await load(db, actor, id, 'assessment.read');
  const def = await definitionOf(db, a);
  const now = await dbNow(db);
  const answers = await answerRows(db, id);
  const given = new Set(answers.filter((x) => x.value !== null).map((x) => x.slotId));
  const progress = def.sections.map((s) => {
    const slots = s.items.flatMap((item) => (specOf(item).answerable ? specOf(item).slots(item) : []));
    return { sectionId: s.id, answered: slots.filter((x) => given.has(x.id)).length, total: slots.length };
  });
  const open = a.status === 'in_progress';
  return {
    ...summarize(a, org.name, def, answers),
    definition: def,
    answers,
    progress,
    can: { answer: open && can(actor, 'assessment.answer', org), submit: open && can(actor, 'assessment.run', org), reopen: !open && can(actor, 'assessment.run', org) },
    readAt: new Date(now).toISOString(),
  };
}

/** Answers changed by anyone since a moment, so a page can show what others did meanwhile. */
export async function changesSince(db: Db, actor: Actor, id: number, since: Date) {
  const { a } = await load(db, actor, id, 'assessment.read');
  // Read the clock before the changes, so nothing saved in between is missed next time.
  const now = await dbNow(db);
  return { answers: await answerRows(db, id, since), status: a.status as 'in_progress' | 'submitted', readAt: new Date(now).toISOString() };
}

/**
 * Saves one answer (and its note and evidence) as it is given. Per-slot rows, so two people
 * answering different questions never overwrite each other; a locked assessment refuses (409).
 * @throws AppError not_found | forbidden | conflict | validation_failed (naming the item)
 */
export async function saveAnswer(
  db: Db,
  actor: Actor,
  id: number,
  slotId: string,
  body: { value?: unknown; note?: string | null; evidence?: string[] | null },
): Promise<AnswerView> {
  const { a } = await load(db, actor, id, 'assessment.answer');
  const def = await definitionOf(db, a);
  const slot = allSlots(def).find((s) => s.id === slotId);
  if (!slot || !specOf(slot.item).answerable) throw badRequest(`There is no question "${slotId}" in this instrument.`, slotId);
  if (body.value !== undefined && body.value !== null) {
    const problem = specOf(slot.item).check(slot.item, slot, body.value, { labelSets: def.labelSets });
    if (problem) throw badRequest(`${slotId}: ${problem}`, slotId);
  }
  // One statement: the shared lock lets answers go on in parallel but never past a submission
  // (which locks the row for update), and the saved row comes back with who saved it.
  const provided = (v: unknown) => sql`${v === undefined ? sql`false` : sql`true`}`;
  const value = body.value === undefined || body.value === null ? null : JSON.stringify(body.value);
  const note = body.note || null;
  const evidence = body.evidence?.length ? JSON.stringify(body.evidence) : null;
  const by = actor.userId || null;
  const [row] = await queryRows<{ slot_id: string; value: unknown; note: string | null; evidence: string[] | null; updated_at: Date | string; name: string | null; email: string | null }>(
    db,
    sql`with saved as (
          insert into assessment_answers (assessment_id, slot_id, value, note, evidence, updated_by)
          select a.id, ${slotId}, ${value}::jsonb, ${note}, ${evidence}::jsonb, ${by}::int
          from assessments a where a.id = ${id} and a.status = 'in_progress'
          for share
          on conflict (assessment_id, slot_id) do update set
            value = case when ${provided(body.value)} then excluded.value else assessment_answers.value end,
            note = case when ${provided(body.note)} then excluded.note else assessment_answers.note end,
            evidence = case when ${provided(body.evidence)} then excluded.evidence else assessment_answers.evidence end,
            updated_by = excluded.updated_by, updated_at = now()
          returning slot_id, value, note, evidence, updated_by, updated_at)
        select s.slot_id, s.value, s.note, s.evidence, s.updated_at, u.name, u.email from saved s left join users u on u.id = s.updated_by`,
  );
  if (!row) throw conflict('This assessment is submitted and locked. A coordinator can reopen it.');
  return answerView({ slotId: row.slot_id, value: row.value, note: row.note, evidence: row.evidence, name: row.name, email: row.email, updatedAt: row.updated_at });
}

/**
 * Submits and locks an assessment: required questions must be answered; answers to hidden
 * questions are set aside; scale scores are computed and kept for dashboards.
 * @throws AppError not_found | forbidden | conflict | validation_failed (first unanswered or invalid item)
 */
export async function submitAssessment(db: Db, actor: Actor, id: number): Promise<AssessmentDetail> {
  const { a, org } = await load(db, actor, id, 'assessment.run');
  const def = await definitionOf(db, a);
  await db.transaction(async (tx) => {
    const [current] = await tx.select({ status: assessments.status }).from(assessments).where(eq(assessments.id, id)).for('update');
    if (current.status !== 'in_progress') throw conflict('This assessment is already submitted.');
    const rows = await tx.select({ slotId: assessmentAnswers.slotId, value: assessmentAnswers.value }).from(assessmentAnswers).where(eq(assessmentAnswers.assessmentId, id));
    const raw: Record<string, unknown> = Object.fromEntries(rows.filter((r) => r.value !== null).map((r) => [r.slotId, r.value]));
    const { answers, errors } = validateAnswers(def, raw, { requireAnswers: true });
    if (errors.length) throw new AppError('validation_failed', `${errors.length} question${errors.length > 1 ? 's need' : ' needs'} attention before submitting; first: ${errors[0].item}: ${errors[0].message}`, errors[0].item);
    const scores = scoreAll(def, answers as Answers);
    if (scores.length) {
      await tx.insert(assessmentScores).values(scores.map((s) => ({ assessmentId: id, scaleId: s.scaleId, score: s.score, band: s.band, answered: s.answered, total: s.total })));
    }
    await tx.update(assessments).set({ status: 'submitted', submittedAt: sql`now()`, submittedBy: actor.userId || null }).where(eq(assessments.id, id));
    if (org.kind === 'school' && org.parentId !== null) await refreshGroupFigures(tx, org.parentId, a.instrumentId, a.schoolYear);
    await writeAudit(tx, { action: 'assessment.submitted', actor, org, targetType: 'assessment', targetId: id, details: { scales: scores.length } });
  });
  return getAssessment(db, actor, id);
}

/**
 * Reopens a submitted assessment for changes (its scores are withdrawn until it is submitted again).
 * @throws AppError not_found | forbidden | conflict
 */
export async function reopenAssessment(db: Db, actor: Actor, id: number): Promise<AssessmentDetail> {
  const { a, org } = await load(db, actor, id, 'assessment.run');
  await db.transaction(async (tx) => {
    const [current] = await tx.select({ status: assessments.status }).from(assessments).where(eq(assessments.id, id)).for('update');
    if (current.status !== 'submitted') throw conflict('Only a submitted assessment can be reopened.');
    await tx.delete(assessmentScores).where(eq(assessmentScores.assessmentId, id));
    await tx.update(assessments).set({ status: 'in_progress', submittedAt: null, submittedBy: null, reopenedCount: sql`${assessments.reopenedCount} + 1` }).where(eq(assessments.id, id));
    if (org.kind === 'school' && org.parentId !== null) await refreshGroupFigures(tx, org.parentId, a.instrumentId, a.schoolYear);
    await writeAudit(tx, { action: 'assessment.reopened', actor, org, targetType: 'assessment', targetId: id });
  });
  return getAssessment(db, actor, id);
}

/** Assessments of an organisation and everything below it, newest period first. */
export async function listAssessments(db: Db, actor: Actor, q: { orgId: number; instrumentId?: string; status?: 'in_progress' | 'submitted' }): Promise<AssessmentSummary[]> {
  const org = await findOrg(db, q.orgId);
  assertCan(actor, 'assessment.read', org);
  const rows = await db
    .select({ a: assessments, orgName: organizations.name, answered: sql<number>`(select count(*)::int from assessment_answers x where x.assessment_id = ${assessments.id} and x.value is not null)` })
    .from(assessments)
    .innerJoin(organizations, eq(organizations.id, assessments.orgId))
    .where(and(inSubtree(org!.path), q.instrumentId ? eq(assessments.instrumentId, q.instrumentId) : undefined, q.status ? eq(assessments.status, q.status) : undefined, ne(assessments.id, 0)))
    .orderBy(desc(assessments.schoolYear), desc(termOrder), asc(organizations.name))
    .limit(500);
  const defs = new Map<string, InstrumentDefinition | null>();
  const out: AssessmentSummary[] = [];
  for (const r of rows) {
    const key = `${r.a.instrumentId}@${r.a.instrumentVersion}`;
    if (!defs.has(key)) defs.set(key, await loadPublishedDefinition(db, r.a.instrumentId, r.a.instrumentVersion));
    const def = defs.get(key);
    if (!def) continue;
    const total = answerable(def).length;
    out.push({ ...summarize(r.a, r.orgName, def, []), answered: r.answered, total });
  }
  return out;
}

