import { z } from 'zod';
import { languageSchema } from '../instruments/model/text.js';
import { timeZone } from './surveys.contract.js';

/**
 * Importing past survey results: a CSV of one row per respondent is read once ("inspect"), its
 * columns are matched to the instrument's rated items and demographic questions, then imported as
 * a closed administration ("run") in the background.
 */

/** Text in up to three languages, as instruments hold it (no refinement: a response shape). */
const words = z.object({ en: z.string().optional(), fr: z.string().optional(), es: z.string().optional() });
export type Words = z.infer<typeof words>;

export const specialAnswer = z.enum(['NA', 'DK', 'PNS']);

/** An answer slot of the instrument a column can fill: a rated item (or matrix row) or a demographic question. */
export const importTarget = z.object({
  /** The slot id answers are stored under (an item id, or `matrix.row`). */
  id: z.string(),
  kind: z.enum(['rated', 'demographic']),
  text: words,
  /** Rated: the lowest and highest points; null for demographic questions. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** Rated: the words of each point from `min` up (null where the scale names none). */
  labels: z.array(words.nullable()),
  /** Special answers the item takes besides its points or choices. */
  special: z.array(specialAnswer),
  /** Demographic: the choices, their kind, and whether several may be chosen. */
  choices: z.array(z.object({ value: z.string(), label: words })),
  demographic: z.string().nullable(),
  multiple: z.boolean(),
});
export type ImportTarget = z.infer<typeof importTarget>;

export const inspectQuery = z.object({
  /** The organisation giving the administration: its schools are the ones rows may belong to. */
  orgId: z.coerce.number().int().positive(),
  instrumentId: z.string().min(1).max(64),
  /** Published version; the newest when left out. */
  version: z.coerce.number().int().min(1).optional(),
  fileName: z.string().max(255).optional(),
});

/** How many rows were left out for one reason, with the first lines of the file where it happened. */
const rowIssue = z.object({ reason: z.enum(['fields', 'noSchool', 'noAnswer']), count: z.number(), lines: z.array(z.number()) });
export type RowIssue = z.infer<typeof rowIssue>;

export const importColumn = z.object({
  /** Position in the file, from 0: how the run names a column (headers may repeat or be empty). */
  index: z.number(),
  name: z.string(),
  /** Distinct values other than blanks (at most the first 20,000 are told apart). */
  distinct: z.number(),
  /** The most frequent values with their counts (at most 1,000). */
  values: z.array(z.object({ value: z.string(), count: z.number() })),
  /** Blank cells and missing-value markers such as NA. */
  missing: z.number(),
  /** Unnamed, or a different value on every row (a row number or a respondent id): never imported. */
  identifier: z.boolean(),
  /** The slot proposed for this column, if its name matches one. */
  proposal: z.string().nullable(),
});
export type ImportColumn = z.infer<typeof importColumn>;

export const importSchool = z.object({ id: z.number(), code: z.string(), name: z.string() });
export type ImportSchool = z.infer<typeof importSchool>;

export const inspection = z.object({
  uploadId: z.string(),
  fileName: z.string().nullable(),
  instrumentId: z.string(),
  instrumentVersion: z.number(),
  languages: z.array(languageSchema),
  rows: z.number(),
  delimiter: z.enum([',', ';', '\t']),
  columns: z.array(importColumn),
  targets: z.array(importTarget),
  /** The column proposed as the school of each row, by its index. */
  schoolColumn: z.number().nullable(),
  /** Active schools of the organisation (the ones a value may be matched to). */
  schools: z.array(importSchool),
  /** Rows that could not be read (a different number of fields than the header). */
  skipped: z.array(rowIssue),
});
export type Inspection = z.infer<typeof inspection>;

/** An explicit answer for a value of a column: a point, a special answer, a choice, or null to leave it unanswered. */
const explicitValue = z.union([z.number().int().min(-100).max(32_000), z.string().min(1).max(64), z.null()]);
export type ExplicitValue = z.infer<typeof explicitValue>;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the day as 2024-05-21.')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= 1990;
  }, 'That day does not exist.');

export const runImportBody = z.object({
  uploadId: z.string().uuid(),
  title: z.string().trim().min(1, 'Give the administration a title.').max(200),
  /** The day the survey was given: every response is stored with it (never a time). */
  givenOn: isoDay,
  timeZone,
  /** The language respondents answered in. */
  language: languageSchema,
  /** Each row's school: from a column whose values are matched to schools, or one school for every row. */
  school: z.union([
    /** Values left out of `map` go to the school whose code or name they are. */
    z.object({ column: z.number().int().min(0), map: z.record(z.string().max(500), z.number().int().positive()) }),
    z.object({ schoolId: z.number().int().positive() }),
  ]),
  columns: z
    .array(
      z.object({
        column: z.number().int().min(0),
        target: z.string().min(1).max(130),
        /** Answers for values of this column, overriding what is recognised (labels, leading numbers). */
        values: z.record(z.string().max(500), explicitValue).default({}),
      }),
    )
    .max(500),
});
export type RunImportBody = z.input<typeof runImportBody>;

export const invalidValue = z.object({ column: z.string(), target: z.string(), value: z.string(), count: z.number(), lines: z.array(z.number()) });

export const importReport = z.object({
  imported: z.number(),
  skipped: z.array(rowIssue),
  perSchool: z.array(z.object({ orgId: z.number(), name: z.string(), responses: z.number() })),
  /** Columns of the file that were not imported (identifiers included), by name. */
  unmappedColumns: z.array(z.string()),
  /** Values no answer was found for: left unanswered, counted per column with their first lines. */
  invalid: z.array(invalidValue),
  seconds: z.number(),
});
export type ImportReport = z.infer<typeof importReport>;

export const importProgress = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  phase: z.enum(['reading', 'writing', 'finished']),
  /** Rows read and turned into responses, and rows written, of `total`. */
  read: z.number(),
  written: z.number(),
  total: z.number(),
});
export type ImportProgress = z.infer<typeof importProgress>;

export const importJob = importProgress.extend({
  orgId: z.number(),
  title: z.string(),
  fileName: z.string().nullable(),
  administrationId: z.number().nullable(),
  report: importReport.nullable(),
  error: z.string().nullable(),
});
export type ImportJob = z.infer<typeof importJob>;

export const importJobParams = z.object({ id: z.string().uuid() });
