import { and, asc, eq, ne } from 'drizzle-orm';
import { type Actor, assertCan } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { getInstrument, loadPublishedDefinition } from '../../instruments/server/instruments.service.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import { bandCounts, bandTrend, coverageCounts, coverageSchoolPage, heatmap, previousYear } from './coverage.queries.js';

/**
 * Coverage and quality across the schools below an organisation the caller may read. Assessment
 * data is team data: visible inside the organisation and above it, so scope is the only gate.
 * @throws AppError not_found | forbidden
 */
async function orgFor(db: Db, actor: Actor, orgId: number) {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'assessment.read', org);
  return org!;
}

/** The scales of an instrument's newest published version, in its order. */
async function scalesOf(db: Db, actor: Actor, instrumentId: string): Promise<string[]> {
  const info = await getInstrument(db, actor, instrumentId);
  const def = info.publishedVersion ? await loadPublishedDefinition(db, instrumentId, info.publishedVersion) : null;
  return def?.scales.map((s) => s.id) ?? [];
}

export async function getCoverageSummary(db: Db, actor: Actor, orgId: number, q: { schoolYear: string; instruments: string[] }) {
  const org = await orgFor(db, actor, orgId);
  const counts = await coverageCounts(db, org.path, q.schoolYear, q.instruments);
  return { schoolYear: q.schoolYear, previousYear: previousYear(q.schoolYear), ...counts };
}

export async function getCoverageSchools(db: Db, actor: Actor, orgId: number, q: Parameters<typeof coverageSchoolPage>[2]) {
  const org = await orgFor(db, actor, orgId);
  return coverageSchoolPage(db, org.path, q);
}

export async function getHeatmap(db: Db, actor: Actor, orgId: number, q: { schoolYear: string; instrumentId: string }) {
  const org = await orgFor(db, actor, orgId);
  const scales = await scalesOf(db, actor, q.instrumentId);
  // A school's own row is the school; otherwise the rows are its children.
  const children =
    org.kind === 'school'
      ? [{ id: org.id, name: org.name, kind: org.kind }]
      : await db
          .select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
          .from(organizations)
          .where(and(eq(organizations.parentId, org.id), eq(organizations.status, 'active'), ne(organizations.kind, 'partner')))
          .orderBy(asc(organizations.name));
  const cells = await heatmap(db, org.kind === 'school' ? { ...org, depth: org.depth - 1, path: org.path } : org, q.instrumentId, q.schoolYear);
  return {
    scales,
    rows: children.map((c) => {
      const mine = cells.filter((x) => x.child_id === c.id);
      return { id: c.id, name: c.name, kind: c.kind, schools: Math.max(0, ...mine.map((x) => x.schools)), means: scales.map((s) => mine.find((x) => x.scale_id === s)?.mean ?? null) };
    }),
  };
}

export async function getBands(db: Db, actor: Actor, orgId: number, q: { schoolYear: string; instrumentId: string }) {
  const org = await orgFor(db, actor, orgId);
  const scales = await scalesOf(db, actor, q.instrumentId);
  const rows = await bandCounts(db, org.path, q.instrumentId, q.schoolYear);
  return {
    scales: scales.map((scaleId) => {
      const mine = rows.filter((r) => r.scale_id === scaleId);
      const counts = Object.fromEntries(mine.map((r) => [r.band ?? 'none', r.n]));
      return { scaleId, counts, scored: mine.filter((r) => r.band !== null).reduce((n, r) => n + r.n, 0) };
    }),
  };
}

export async function getTrend(db: Db, actor: Actor, orgId: number, q: { instrumentId: string; band: string }) {
  const org = await orgFor(db, actor, orgId);
  const scales = await scalesOf(db, actor, q.instrumentId);
  const rows = await bandTrend(db, org.path, q.instrumentId, q.band);
  const periods: { schoolYear: string; term: string }[] = [];
  for (const r of rows) if (!periods.some((p) => p.schoolYear === r.school_year && p.term === r.term)) periods.push({ schoolYear: r.school_year, term: r.term });
  return {
    periods,
    scales: scales.map((scaleId) => ({
      scaleId,
      shares: periods.map((p) => {
        const r = rows.find((x) => x.scale_id === scaleId && x.school_year === p.schoolYear && x.term === p.term);
        return { share: r?.share ?? null, schools: r?.schools ?? 0 };
      }),
    })),
  };
}
