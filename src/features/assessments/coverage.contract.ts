import { z } from 'zod';
import { schoolYear } from './assessments.contract.js';

/** How far a school is with an instrument: submitted this year, under way this year, submitted last year only, never. */
export const coverageLevels = ['this_year', 'in_progress', 'last_year', 'never'] as const;
export type CoverageLevel = (typeof coverageLevels)[number];

const instrumentList = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*(,[a-z][a-z0-9_-]*){0,3}$/, 'List one to four instrument ids, separated by commas.')
  .transform((s) => s.split(','));

export const coverageQuery = z.object({
  schoolYear,
  instruments: instrumentList.default(['school_mh_profile', 'quality_school'] as never),
});
export const coverageSummary = z.object({
  schoolYear: z.string(),
  previousYear: z.string(),
  schools: z.number(),
  instruments: z.array(z.object({ instrumentId: z.string(), counts: z.record(z.enum(coverageLevels), z.number()) })),
});
export type CoverageSummary = z.infer<typeof coverageSummary>;

export const coverageSchoolsQuery = coverageQuery.extend({
  q: z.string().trim().max(100).optional(),
  /** Only schools at this level for the first instrument. */
  level: z.enum(coverageLevels).optional(),
  sort: z.enum(['name', 'district', 'level']).default('name'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const coverageSchools = z.object({
  total: z.number(),
  items: z.array(z.object({ id: z.number(), name: z.string(), code: z.string(), district: z.string().nullable(), levels: z.array(z.enum(coverageLevels)) })),
});
export type CoverageSchools = z.infer<typeof coverageSchools>;

export const scoresQuery = z.object({ schoolYear, instrumentId: z.string().regex(/^[a-z][a-z0-9_-]*$/).default('quality_school') });
/** Rows are the organisation's children (districts of a state, schools of a district); cells the mean of their schools' scores. */
export const heatmapResponse = z.object({
  scales: z.array(z.string()),
  rows: z.array(z.object({ id: z.number(), name: z.string(), kind: z.string(), schools: z.number(), means: z.array(z.number().nullable()) })),
});
export const bandsResponse = z.object({
  scales: z.array(z.object({ scaleId: z.string(), counts: z.record(z.string(), z.number()), scored: z.number() })),
});
export const trendQuery = z.object({ instrumentId: z.string().regex(/^[a-z][a-z0-9_-]*$/).default('quality_school'), band: z.string().max(64).default('mastery') });
export const trendResponse = z.object({
  periods: z.array(z.object({ schoolYear: z.string(), term: z.string() })),
  scales: z.array(z.object({ scaleId: z.string(), shares: z.array(z.object({ share: z.number().nullable(), schools: z.number() })) })),
});

export const coverageExportQuery = coverageQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export const scoresExportQuery = z.object({ instrumentId: z.string().regex(/^[a-z][a-z0-9_-]*$/).default('quality_school'), format: z.enum(['csv', 'xlsx']).default('csv') });
