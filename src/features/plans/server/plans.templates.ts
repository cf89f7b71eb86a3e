import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Actor, assertCan, can } from '../../../server/authz/scope.js';
import { contentHash } from '../../../server/content-hash.js';
import type { Db, DbOrTx } from '../../../server/db/client.js';
import { badRequest, forbidden } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { contentDir } from '../../instruments/server/content.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import { findOrg, type OrgRow, pathIds } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import { type GoalMeasure, type PlanTemplateDefinition, planTemplateDefinition, type PriorityRatings } from '../plans.model.js';
import { planActions, planGoals, plans, planTemplates } from './plans.tables.js';
import { intArray } from '../../../server/db/arrays.js';

/** The templates shipped in content/plan-templates/*.json, with what is wrong with any of them. */
export function readShippedTemplates(dir = path.join(contentDir, 'plan-templates')): { file: string; definition: PlanTemplateDefinition | null; error: string | null }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const parsed = planTemplateDefinition.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) return { file, definition: null, error: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ') };
      if (`${parsed.data.id}.json` !== f) return { file, definition: null, error: `the file must be named ${parsed.data.id}.json` };
      return { file, definition: parsed.data, error: null };
    });
}

/**
 * Brings the shipped templates into the database: new ones added, changed files applied (templates
 * are copied into plans when used, so changing one never changes a plan). Returns warnings.
 */
export async function syncShippedTemplates(db: Db, knownFrameworks: Set<string>): Promise<string[]> {
  const warnings: string[] = [];
  for (const t of readShippedTemplates()) {
    if (!t.definition) {
      warnings.push(`Skipped ${t.file}: ${t.error}`);
      continue;
    }
    if (!knownFrameworks.has(t.definition.frameworkId)) {
      warnings.push(`Skipped ${t.file}: there is no framework "${t.definition.frameworkId}".`);
      continue;
    }
    const hash = contentHash(t.definition);
    await db
      .insert(planTemplates)
      .values({ key: t.definition.id, frameworkId: t.definition.frameworkId, definition: t.definition, contentHash: hash })
      .onConflictDoUpdate({ target: planTemplates.key, set: { definition: t.definition, frameworkId: t.definition.frameworkId, contentHash: hash }, setWhere: sql`${planTemplates.contentHash} is distinct from ${hash}` });
  }
  return warnings;
}

/** Templates an organisation may start from: shipped ones, and those of the organisation or any above it. */
function offeredTo(org: OrgRow) {
  const owners = pathIds(org.path);
  return sql`(${planTemplates.ownerOrgId} is null or ${planTemplates.ownerOrgId} = any(${intArray(owners)}))`;
}

/** The templates offered to an organisation, optionally for one framework: shipped first, then nearest owner. */
export async function listTemplates(db: Db, actor: Actor, orgId: number, frameworkId?: string) {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'plan.read', org);
  const rows = await db
    .select({ t: planTemplates, ownerName: organizations.name, ownerPath: organizations.path })
    .from(planTemplates)
    .leftJoin(organizations, eq(organizations.id, planTemplates.ownerOrgId))
    .where(and(offeredTo(org!), frameworkId ? eq(planTemplates.frameworkId, frameworkId) : undefined))
    .orderBy(sql`${planTemplates.ownerOrgId} is not null`, asc(planTemplates.id));
  return {
    items: rows.map(({ t, ownerName, ownerPath }) => ({
      id: t.id,
      key: t.key,
      frameworkId: t.frameworkId,
      ownerOrgId: t.ownerOrgId,
      ownerName: ownerName ?? null,
      title: t.definition.title,
      description: t.definition.description,
      goals: t.definition.goals.length,
      actions: t.definition.goals.reduce((n, g) => n + g.actions.length, 0),
      canDelete: t.ownerOrgId !== null && !!ownerPath && can(actor, 'plan.own', { path: ownerPath }),
    })),
  };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
function addMonths(day: string, months: number): Date {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** A template goal as the plan receives it: words in one language, actions dated within the period. */
export interface PlannedGoal {
  title: string;
  description: string;
  elements: string[];
  measure?: GoalMeasure;
  actions: { title: string; description: string; startsOn: string; dueOn: string; priority?: PriorityRatings }[];
}

/**
 * The goals and actions of a template offered to the organisation, written in `language` (falling
 * back to another language the template has), with dates placed within the plan's period.
 * @throws AppError validation_failed (templateId: unknown, not offered here, or of another framework)
 */
export async function templateGoals(db: DbOrTx, org: OrgRow, templateId: number, frameworkId: string, plan: { startsOn: string; endsOn: string; language: LanguageCode }): Promise<PlannedGoal[]> {
  const [t] = await db.select().from(planTemplates).where(and(eq(planTemplates.id, templateId), offeredTo(org)));
  if (!t) throw badRequest('This template is not offered to this organisation.', 'templateId');
  if (t.frameworkId !== frameworkId) throw badRequest('This template is organised by another framework than the plan.', 'templateId');
  const text = (w: Parameters<typeof pick>[0]) => pick(w, plan.language);
  const clamp = (d: Date) => (isoDay(d) > plan.endsOn ? plan.endsOn : isoDay(d));
  return t.definition.goals.map((g) => ({
    title: text(g.title),
    description: g.description ? text(g.description) : '',
    elements: g.elements,
    measure: g.measure,
    actions: g.actions.map((a) => {
      const start = addMonths(plan.startsOn, a.startMonth);
      const due = addMonths(plan.startsOn, a.startMonth + a.months);
      due.setUTCDate(due.getUTCDate() - 1);
      return { title: text(a.title), description: a.description ? text(a.description) : '', startsOn: clamp(start), dueOn: clamp(due), priority: a.priority };
    }),
  }));
}

/**
 * Publishes a plan's goals and actions as a template for the organisations below (a district for
 * its schools). Dates become months from the plan's start; owners and results stay behind.
 * @throws AppError not_found | forbidden (a school has no one below it to publish for)
 */
export async function publishTemplate(db: Db, actor: Actor, planId: number, body: { title: string; description: string }, language: LanguageCode) {
  const [plan] = await db.select().from(plans).where(eq(plans.id, planId));
  const org = plan ? await findOrg(db, plan.orgId) : undefined;
  assertCan(actor, 'plan.own', org, 'Plan');
  if (org!.kind === 'school') throw forbidden('A school has no organisations below it to publish a template for.');
  const goals = await db.select().from(planGoals).where(eq(planGoals.planId, planId)).orderBy(asc(planGoals.position), asc(planGoals.id));
  if (!goals.length) throw badRequest('Add at least one goal to the plan before publishing it as a template.', 'planId');
  const actions = await db.select().from(planActions).where(eq(planActions.planId, planId)).orderBy(asc(planActions.position), asc(planActions.id));
  const months = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  const words = (s: string) => ({ [language]: s });
  const definition: PlanTemplateDefinition = {
    schemaVersion: 1,
    id: `plan_${planId}`,
    frameworkId: plan!.frameworkId,
    title: words(body.title),
    description: words(body.description || body.title),
    goals: goals.map((g) => ({
      elements: g.elements,
      title: words(g.title),
      ...(g.description ? { description: words(g.description) } : {}),
      ...(g.measure ? { measure: g.measure } : {}),
      actions: actions
        .filter((a) => a.goalId === g.id)
        .map((a) => {
          const startMonth = a.startsOn ? Math.max(0, months(plan!.startsOn, a.startsOn)) : 0;
          const span = a.startsOn && a.dueOn ? Math.max(1, months(a.startsOn, a.dueOn) + 1) : 3;
          return { title: words(a.title), ...(a.description ? { description: words(a.description) } : {}), startMonth: Math.min(startMonth, 60), months: Math.min(span, 60), ...(a.priority ? { priority: a.priority } : {}) };
        }),
    })),
  };
  const untagged = definition.goals.findIndex((g) => g.elements.length === 0);
  if (untagged >= 0) throw badRequest(`Tag every goal with a framework element before publishing ("${goals[untagged].title}" has none).`, 'planId');
  const parsed = planTemplateDefinition.safeParse(definition);
  if (!parsed.success) throw badRequest(`This plan does not fit a template (at most 50 goals of at most 30 actions each, tagged, with titles of at most 4,000 characters): ${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`, 'planId');
  const checked = parsed.data;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(planTemplates).values({ ownerOrgId: org!.id, frameworkId: plan!.frameworkId, definition: checked, createdBy: actor.userId || null }).returning({ id: planTemplates.id });
    await writeAudit(tx, { action: 'plan.template_published', actor, org, targetType: 'plan_template', targetId: row.id, details: { planId, title: body.title } });
    return { id: row.id };
  });
}

/**
 * Withdraws an organisation's template (plans made from it keep their goals).
 * @throws AppError not_found | forbidden (shipped templates cannot be withdrawn)
 */
export async function deleteTemplate(db: Db, actor: Actor, id: number): Promise<void> {
  const [t] = await db.select().from(planTemplates).where(eq(planTemplates.id, id));
  if (t && t.ownerOrgId === null) throw forbidden('Shipped templates come with the product and cannot be withdrawn.');
  const org = t?.ownerOrgId ? await findOrg(db, t.ownerOrgId) : undefined;
  assertCan(actor, 'plan.own', org, 'Template');
  await db.transaction(async (tx) => {
    await tx.delete(planTemplates).where(and(eq(planTemplates.id, id)));
    await writeAudit(tx, { action: 'plan.template_withdrawn', actor, org, targetType: 'plan_template', targetId: id });
  });
}
