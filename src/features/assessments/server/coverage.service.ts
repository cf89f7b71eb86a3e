import { and, asc, eq, ne } from 'drizzle-orm';
import { type Actor, assertCan } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { getInstrument, loadPublishedDefinition } from '../../instruments/server/instruments.service.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import { type ExportFormat, tableFile } from '../../../server/exports/table-export.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import {
  bandCounts,
  bandCountsFromRollup,
  bandTrend,
  bandTrendFromRollup,
  coverageCounts,
  coverageSchoolPage,
  heatmap,
  heatmapFromRollup,
  previousYear,
  submittedScores,
} from './coverage.queries.js';

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
  const counts = await coverageCounts(db, org, q.schoolYear, q.instruments);
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
  // Schools as rows: their own scores. Districts, states as rows: the roll-ups of their groups.
  const bySchool = org.kind === 'school' || children.every((c) => c.kind === 'school');
  const cells = bySchool
    ? await heatmap(db, org.kind === 'school' ? { ...org, depth: org.depth - 1, path: org.path } : org, q.instrumentId, q.schoolYear)
    : await heatmapFromRollup(db, org, q.instrumentId, q.schoolYear);
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
  const rows = org.kind === 'school' ? await bandCounts(db, org.path, q.instrumentId, q.schoolYear) : await bandCountsFromRollup(db, org.path, q.instrumentId, q.schoolYear);
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
  const rows = org.kind === 'school' ? await bandTrend(db, org.path, q.instrumentId, q.band) : await bandTrendFromRollup(db, org.path, q.instrumentId, q.band);
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

/**
 * The coverage table (every school, no paging) or every submitted score, as CSV or XLSX, for
 * what the caller may see; each export is written to the audit log.
 */
export async function exportCoverage(db: Db, actor: Actor, orgId: number, q: { schoolYear: string; instruments: string[]; format: ExportFormat }) {
  const org = await orgFor(db, actor, orgId);
  const page = await coverageSchoolPage(db, org.path, { schoolYear: q.schoolYear, instruments: q.instruments, sort: 'name', offset: 0, limit: 1_000_000 });
  const file = await tableFile(
    q.format,
    ['code', 'school', 'district', ...q.instruments.map((i) => `${i} ${q.schoolYear}`)],
    page.items.map((s) => [s.code, s.name, s.district, ...s.levels]),
    `coverage-${org.code}-${q.schoolYear}`,
  );
  await writeAudit(db, { action: 'export.coverage', actor, org, targetType: 'organization', targetId: org.id, details: { format: q.format, schoolYear: q.schoolYear, rows: page.items.length } });
  return file;
}

export async function exportScores(db: Db, actor: Actor, orgId: number, q: { instrumentId: string; format: ExportFormat }) {
  const org = await orgFor(db, actor, orgId);
  const scales = await scalesOf(db, actor, q.instrumentId);
  const rows = await submittedScores(db, org.path, q.instrumentId);
  const byAssessment = new Map<number, (typeof rows)[number][]>();
  for (const r of rows) byAssessment.set(r.assessment_id, [...(byAssessment.get(r.assessment_id) ?? []), r]);
  const table = [...byAssessment.values()].map((list) => {
    const first = list[0];
    const cells = scales.flatMap((s) => {
      const x = list.find((r) => r.scale_id === s);
      return [x?.score === null || x?.score === undefined ? null : Math.round(x.score * 1000) / 1000, x?.band ?? null];
    });
    return [first.code, first.name, first.kind, first.district, first.school_year, first.term, first.submitted_at ? new Date(first.submitted_at).toISOString().slice(0, 10) : null, ...cells];
  });
  const file = await tableFile(q.format, ['code', 'organization', 'kind', 'parent', 'school_year', 'term', 'submitted', ...scales.flatMap((s) => [`${s} score`, `${s} band`])], table, `scores-${q.instrumentId}-${org.code}`);
  await writeAudit(db, { action: 'export.scores', actor, org, targetType: 'organization', targetId: org.id, details: { format: q.format, instrumentId: q.instrumentId, rows: table.length } });
  return file;
}
