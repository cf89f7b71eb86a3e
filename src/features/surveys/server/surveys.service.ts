import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Actor, assertCan, can, likePrefix } from '../../../server/authz/scope.js';
import { type Db, type DbOrTx, queryRows } from '../../../server/db/client.js';
import { badRequest, conflict, forbidden } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import type { InstrumentDefinition } from '../../instruments/model/instrument.schema.js';
import { allItems } from '../../instruments/model/item-types.js';
import { getInstrument, loadPublishedDefinition } from '../../instruments/server/instruments.service.js';
import { findOrg, inSubtree, type OrgRow } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { AdministrationDetail, AdministrationSummary, createAdministrationBody } from '../surveys.contract.js';
import type { z } from 'zod';
import { ACCESS_CODE_LENGTH, hashCode, LINK_CODE_LENGTH, randomCode } from './surveys.codes.js';
import { slipsPdf } from './surveys.slips.js';
import type { LanguageCode } from '../../instruments/model/text.js';
import { forgetCodes } from './surveys.lookup.js';
import { surveyAccessCodes, surveyAdministrations, surveyCodeBatches, surveyResponses, surveySites } from './surveys.tables.js';
import { forgetCounts } from './surveys.rollup.js';
import { zonedToInstant } from './surveys.time.js';

type Administration = typeof surveyAdministrations.$inferSelect;
type CreateBody = z.output<typeof createAdministrationBody>;

/** not_open before the opening, open until the closing, closed after. */
export function windowState(a: { opensAt: Date; closesAt: Date }, now = new Date()): 'not_open' | 'open' | 'closed' {
  if (now >= a.closesAt) return 'closed';
  return now < a.opensAt ? 'not_open' : 'open';
}

/** The demographic questions of an instrument version (question ids). */
export function demographicItems(def: InstrumentDefinition): string[] {
  return allItems(def)
    .filter(({ item }) => 'demographic' in item && item.demographic)
    .map(({ item }) => item.id);
}

/**
 * Loads an administration and checks the permission on the organisation giving it.
 * @throws AppError not_found | forbidden
 */
export async function loadAdministration(db: Db, actor: Actor, id: number, permission: 'survey.read' | 'survey.run') {
  const [a] = await db.select().from(surveyAdministrations).where(eq(surveyAdministrations.id, id));
  const org = a ? await findOrg(db, a.orgId) : undefined;
  if (org && !can(actor, 'survey.read', org)) {
    // A school team sees a district's administration through its own school's part in it
    // (only that part), but manages nothing of it.
    const paths = await queryRows<{ path: string }>(db, sql`select o.path from survey_sites s join organizations o on o.id = s.org_id where s.administration_id = ${id}`);
    const mine = paths.filter((p) => can(actor, 'survey.read', p));
    if (mine.length) {
      if (permission !== 'survey.read') throw forbidden();
      return { a: a!, org, sitePaths: new Set(mine.map((p) => p.path)) };
    }
  }
  assertCan(actor, permission, org, 'Administration');
  return { a: a!, org: org!, sitePaths: null };
}

/** Active schools below (or equal to) an organisation, or the chosen ones after checking each is. */
async function schoolsFor(db: Db, org: OrgRow, chosen: number[] | undefined): Promise<number[]> {
  const rows = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(inSubtree(org.path), eq(organizations.kind, 'school'), eq(organizations.status, 'active'), chosen ? inArray(organizations.id, chosen) : undefined));
  const ids = rows.map((r) => r.id);
  if (chosen) {
    const missing = chosen.filter((id) => !ids.includes(id));
    if (missing.length) throw badRequest(`Organisation ${missing[0]} is not an active school of ${org.name}.`, 'schoolIds');
  }
  if (!ids.length) throw badRequest(`${org.name} has no active school to survey.`, 'schoolIds');
  return [...new Set(ids)];
}

/**
 * The published version of a survey instrument the caller can use (the newest when no version is given).
 * @throws AppError validation_failed (instrumentId: unknown, not visible or not a survey; version: not published)
 */
export async function surveyDefinition(db: Db, actor: Actor, instrumentId: string, version: number | undefined): Promise<InstrumentDefinition> {
  const instrument = await getInstrument(db, actor, instrumentId).catch(() => {
    throw badRequest(`There is no instrument "${instrumentId}" you can use.`, 'instrumentId');
  });
  if (instrument.kind !== 'survey') throw badRequest('Only surveys are given to respondents. Profiles and self-assessments are filled in by a team.', 'instrumentId');
  const chosen = version ?? instrument.publishedVersion;
  const def = chosen ? await loadPublishedDefinition(db, instrumentId, chosen) : null;
  if (!def) throw badRequest('This instrument has no such published version yet.', 'version');
  return def;
}

/**
 * Adds schools to an administration, each with an open link code (used only when the
 * administration offers open links). A clash with an existing code (rare at 31⁸) is drawn again.
 */
export async function insertSites(tx: DbOrTx, administrationId: number, schools: number[]): Promise<void> {
  let pending = schools;
  while (pending.length) {
    const batch = pending.map((orgId) => ({ administrationId, orgId, linkCode: randomCode(LINK_CODE_LENGTH) }));
    const done = await tx.insert(surveySites).values(batch).onConflictDoNothing().returning({ orgId: surveySites.orgId });
    const placed = new Set(done.map((d) => d.orgId));
    pending = pending.filter((o) => !placed.has(o));
  }
}

/**
 * Sets up a survey administration: the instrument version, the schools with an open link code
 * each, languages, window, consent and assent texts, demographic questions asked.
 * @throws AppError not_found | forbidden | validation_failed (names the field) | conflict (organisation archived)
 */
export async function createAdministration(db: Db, actor: Actor, body: CreateBody): Promise<AdministrationDetail> {
  const org = await findOrg(db, body.orgId);
  assertCan(actor, 'survey.run', org);
  if (org!.status !== 'active') throw conflict('This organisation is archived.', 'orgId');
  const def = await surveyDefinition(db, actor, body.instrumentId, body.version);
  const missingLanguage = body.languages.find((l) => !def.languages.includes(l));
  if (missingLanguage) throw badRequest(`This instrument is not written in "${missingLanguage}".`, 'languages');
  for (const field of ['notice', 'assent'] as const) {
    const gap = body.languages.find((l) => !body[field][l]);
    if (gap) throw badRequest(`Write the ${field} in every language offered (missing: ${gap}).`, field);
  }
  const asked = demographicItems(def);
  const unknown = body.demographics.find((d) => !asked.includes(d));
  if (unknown) throw badRequest(`"${unknown}" is not a demographic question of this instrument.`, 'demographics');
  const opensAt = zonedToInstant(body.opensAt, body.timeZone);
  const closesAt = zonedToInstant(body.closesAt, body.timeZone);
  if (closesAt <= opensAt) throw badRequest('The survey must close after it opens.', 'closesAt');
  const schools = await schoolsFor(db, org!, body.schoolIds);

  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(surveyAdministrations)
      .values({
        orgId: org!.id, stateId: org!.stateId, instrumentId: def.id, instrumentVersion: def.version, title: body.title, audience: def.audience,
        languages: [...new Set(body.languages)], opensAt, closesAt, timeZone: body.timeZone, consentModel: body.consent, notice: body.notice, assent: body.assent,
        demographics: [...new Set(body.demographics)], openLink: body.openLink, accessCodes: body.accessCodes, createdBy: actor.userId || null,
      })
      .returning({ id: surveyAdministrations.id });
    await insertSites(tx, row.id, schools);
    await writeAudit(tx, { action: 'survey.created', actor, org: org!, targetType: 'survey_administration', targetId: row.id, details: { instrument: `${def.id}@${def.version}`, schools: schools.length } });
    return row.id;
  });
  return getAdministration(db, actor, id);
}

function summary(a: Administration, orgName: string, schools: number, responses: number): AdministrationSummary {
  return {
    id: a.id, orgId: a.orgId, orgName, instrumentId: a.instrumentId, instrumentVersion: a.instrumentVersion, title: a.title, audience: a.audience,
    languages: a.languages as AdministrationSummary['languages'], opensAt: a.opensAt.toISOString(), closesAt: a.closesAt.toISOString(), timeZone: a.timeZone,
    state: windowState(a), schools, responses,
  };
}

/** Administrations given by an organisation or below it, or covering its schools; newest first. */
export async function listAdministrations(db: Db, actor: Actor, orgId: number): Promise<AdministrationSummary[]> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'survey.read', org);
  // Whoever reads an administration only through some of its schools sees those schools' figures.
  const rows = await queryRows<{ id: number; org_name: string; org_path: string; schools: number; responses: number; my_schools: number; my_responses: number }>(
    db,
    sql`select a.id, g.name as org_name, g.path as org_path,
          count(*)::int as schools, (count(*) filter (where o.path like ${likePrefix(org!.path)}))::int as my_schools,
          sum(site.n)::int as responses, coalesce(sum(site.n) filter (where o.path like ${likePrefix(org!.path)}), 0)::int as my_responses
        from survey_administrations a
        join organizations g on g.id = a.org_id
        join survey_sites s on s.administration_id = a.id
        join organizations o on o.id = s.org_id
        cross join lateral (select count(*)::int as n from survey_responses r where r.administration_id = a.id and r.org_id = s.org_id) site
        where g.path like ${likePrefix(org!.path)}
           or a.id in (select s2.administration_id from survey_sites s2 join organizations o2 on o2.id = s2.org_id where o2.path like ${likePrefix(org!.path)})
        group by a.id, g.name, g.path
        order by max(a.opens_at) desc, a.id desc limit 500`,
  );
  if (!rows.length) return [];
  const full = await db.select().from(surveyAdministrations).where(inArray(surveyAdministrations.id, rows.map((r) => r.id))).orderBy(desc(surveyAdministrations.opensAt), desc(surveyAdministrations.id));
  return full.map((a) => {
    const r = rows.find((x) => x.id === a.id)!;
    const whole = can(actor, 'survey.read', { path: r.org_path });
    return summary(a, r.org_name, whole ? r.schools : r.my_schools, whole ? r.responses : r.my_responses);
  });
}

/**
 * The schools of an administration with their counts (responses, "no thanks", codes printed and
 * used), only those in `sitePaths` when the caller sees the administration through its schools.
 */
async function sitesOf(db: Db, id: number, sitePaths: Set<string> | null) {
  const all = await queryRows<{ org_id: number; path: string; name: string; code: string; link_code: string; enrolment: number | null; declined: number; responses: number; printed: number; used: number }>(
    db,
    sql`select s.org_id, o.path, o.name, o.code, s.link_code, o.enrolment, s.declined,
          (select count(*)::int from survey_responses r where r.administration_id = s.administration_id and r.org_id = s.org_id) as responses,
          (select count(*)::int from survey_access_codes c where c.administration_id = s.administration_id and c.org_id = s.org_id) as printed,
          (select count(*)::int from survey_access_codes c where c.administration_id = s.administration_id and c.org_id = s.org_id and c.used) as used
        from survey_sites s join organizations o on o.id = s.org_id
        where s.administration_id = ${id}
        order by o.name`,
  );
  return sitePaths ? all.filter((x) => sitePaths.has(x.path)) : all;
}

/** An administration with its schools: link codes, responses, "no thanks" counts and codes printed and used. */
export async function getAdministration(db: Db, actor: Actor, id: number): Promise<AdministrationDetail> {
  const { a, org, sitePaths } = await loadAdministration(db, actor, id, 'survey.read');
  const sites = await sitesOf(db, id, sitePaths);
  const total = sites.reduce((n, s) => n + s.responses, 0);
  return {
    ...summary(a, org.name, sites.length, total),
    consent: a.consentModel as 'active' | 'passive',
    notice: a.notice,
    assent: a.assent,
    demographics: a.demographics,
    openLink: a.openLink,
    accessCodes: a.accessCodes,
    sites: sites.map((s) => ({
      orgId: s.org_id, name: s.name, code: s.code, linkCode: a.openLink ? s.link_code : null, enrolment: s.enrolment, responses: s.responses, declined: s.declined, codesPrinted: s.printed, codesUsed: s.used,
    })),
    can: { manage: can(actor, 'survey.run', org) },
  };
}

/**
 * Closes an administration now (no more responses; what arrived stays).
 * @throws AppError not_found | forbidden | conflict (already closed)
 */
export async function closeAdministration(db: Db, actor: Actor, id: number): Promise<AdministrationDetail> {
  const { a, org } = await loadAdministration(db, actor, id, 'survey.run');
  if (windowState(a) === 'closed') throw conflict('This survey is already closed.');
  await db.transaction(async (tx) => {
    // Closing one that has not opened yet closes it for good: it opens and closes at this moment.
    await tx.update(surveyAdministrations).set({ closesAt: sql`now()`, opensAt: sql`least(${surveyAdministrations.opensAt}, now())` }).where(eq(surveyAdministrations.id, id));
    await writeAudit(tx, { action: 'survey.closed', actor, org, targetType: 'survey_administration', targetId: id });
  });
  forgetCodes();
  return getAdministration(db, actor, id);
}

/**
 * Moves the closing to a later moment: extends an open administration or reopens a closed one.
 * @throws AppError not_found | forbidden | validation_failed (closesAt in the past or before the opening)
 */
export async function extendAdministration(db: Db, actor: Actor, id: number, closesAtLocal: string): Promise<AdministrationDetail> {
  const { a, org } = await loadAdministration(db, actor, id, 'survey.run');
  const closesAt = zonedToInstant(closesAtLocal, a.timeZone);
  if (closesAt <= new Date()) throw badRequest('Choose a closing time in the future.', 'closesAt');
  if (closesAt <= a.opensAt) throw badRequest('The survey must close after it opens.', 'closesAt');
  const reopened = windowState(a) === 'closed';
  await db.transaction(async (tx) => {
    await tx.update(surveyAdministrations).set({ closesAt }).where(eq(surveyAdministrations.id, id));
    await writeAudit(tx, { action: reopened ? 'survey.reopened' : 'survey.extended', actor, org, targetType: 'survey_administration', targetId: id, details: { from: a.closesAt.toISOString(), to: closesAt.toISOString() } });
  });
  forgetCodes();
  return getAdministration(db, actor, id);
}

/**
 * Deletes every response of an administration and the counts made from them, for good (the
 * administration and its codes stay). Responses go first: the roll-up job skips rows locked here,
 * and counts it made before are removed after.
 * @throws AppError not_found | forbidden
 */
export async function deleteAllResponses(db: Db, actor: Actor, id: number): Promise<{ deleted: number }> {
  const { org } = await loadAdministration(db, actor, id, 'survey.run');
  return db.transaction(async (tx) => {
    await forgetCounts(tx, id);
    const gone = await tx.delete(surveyResponses).where(eq(surveyResponses.administrationId, id)).returning({ id: surveyResponses.submissionId });
    await tx.update(surveySites).set({ declined: 0 }).where(eq(surveySites.administrationId, id));
    await writeAudit(tx, { action: 'survey.responses_deleted', actor, org, targetType: 'survey_administration', targetId: id, details: { deleted: gone.length } });
    return { deleted: gone.length };
  });
}

/** Responses per day and per school, and participation against enrolment (counts only). */
export async function getMonitor(db: Db, actor: Actor, id: number) {
  const { sitePaths } = await loadAdministration(db, actor, id, 'survey.read');
  // A school team's view counts its own schools only.
  const mine = sitePaths ? sql`and org_id in (select o.id from organizations o where o.path in ${[...sitePaths]})` : sql``;
  const [days, sites, [totals]] = await Promise.all([
    queryRows<{ day: string; responses: number }>(db, sql`select submitted_on::text as day, count(*)::int as responses from survey_responses where administration_id = ${id} ${mine} group by 1 order by 1`),
    sitesOf(db, id, sitePaths),
    queryRows<{ total: number; blank: number }>(db, sql`select count(*)::int as total, (count(*) filter (where blank))::int as blank from survey_responses where administration_id = ${id} ${mine}`),
  ]);
  return {
    days,
    sites: sites.map((s) => ({ orgId: s.org_id, name: s.name, responses: s.responses, enrolment: s.enrolment, participation: s.enrolment ? Math.round((s.responses / s.enrolment) * 1000) / 10 : null, declined: s.declined })),
    total: totals.total,
    blank: totals.blank,
  };
}


/**
 * Makes single-use codes for classes of one school of the administration and returns them as a
 * printable PDF of slips — the only time the codes exist in plain text (only hashes are kept).
 * @throws AppError not_found | forbidden | conflict (the administration uses open links only) | validation_failed (school not taking part, too many codes)
 */
export async function createCodeBatches(db: Db, actor: Actor, id: number, body: { orgId: number; classes: { label: string; count: number }[]; lang: LanguageCode }, baseUrl: string): Promise<{ pdf: Buffer; codes: number }> {
  const { a, org } = await loadAdministration(db, actor, id, 'survey.run');
  if (!a.accessCodes) throw conflict('This administration uses open links only. Set one up with single-use codes to print them.');
  const [site] = await db.select({ orgId: surveySites.orgId, name: organizations.name }).from(surveySites).innerJoin(organizations, eq(organizations.id, surveySites.orgId)).where(and(eq(surveySites.administrationId, id), eq(surveySites.orgId, body.orgId)));
  if (!site) throw badRequest('This school does not take part in the administration.', 'orgId');
  const total = body.classes.reduce((n, c) => n + c.count, 0);
  // A school's worth at a time: the PDF is made on the server's thread.
  if (total > 1000) throw badRequest(`Print at most 1,000 codes at a time (asked for ${total}).`, 'classes');
  const slips: { label: string; code: string }[] = [];
  await db.transaction(async (tx) => {
    for (const c of body.classes) {
      const [batch] = await tx.insert(surveyCodeBatches).values({ administrationId: id, orgId: site.orgId, label: c.label, count: c.count, createdBy: actor.userId || null }).returning({ id: surveyCodeBatches.id });
      let needed = c.count;
      while (needed > 0) {
        const fresh = Array.from({ length: needed }, () => randomCode(ACCESS_CODE_LENGTH));
        const placed = await tx
          .insert(surveyAccessCodes)
          .values(fresh.map((code) => ({ codeHash: hashCode(code), batchId: batch.id, administrationId: id, orgId: site.orgId })))
          .onConflictDoNothing()
          .returning({ codeHash: surveyAccessCodes.codeHash });
        const kept = new Set(placed.map((p) => p.codeHash));
        for (const code of fresh) if (kept.has(hashCode(code))) slips.push({ label: c.label, code });
        needed -= placed.length;
      }
    }
    await writeAudit(tx, { action: 'survey.codes_made', actor, org, targetType: 'survey_administration', targetId: id, details: { orgId: site.orgId, codes: total, classes: body.classes.map((c) => c.label) } });
  });
  return { pdf: await slipsPdf({ title: a.title, school: site.name, baseUrl, lang: body.lang, slips }), codes: total };
}
