import { z } from 'zod';
import { languageSchema } from '../instruments/model/text.js';

/**
 * Why a figure is not shown: too few respondents; withheld so that another cannot be worked out;
 * or two answers combined would describe a group under k somewhere at or below the organisation.
 */
export const withheldReason = z.enum(['small', 'complementary', 'combination']).nullable();

/** A percentage as shown: under 40 respondents, extremes read "5 % or less" / "95 % or more". */
export const shownPercent = z.object({ value: z.number().nullable(), coded: z.enum(['at_most', 'at_least']).nullable() });
export type ShownPercent = z.infer<typeof shownPercent>;

/** Figures of one scale for one group of respondents; every figure null when withheld. */
export const scaleFigure = z.object({
  n: z.number().nullable(),
  withheld: withheldReason,
  /** Mean scale score (points, sum or favourable share, as the scale is scored). */
  mean: z.number().nullable(),
  favourable: shownPercent,
  bands: z.array(z.object({ id: z.string(), percent: shownPercent })),
});
export type ScaleFigure = z.infer<typeof scaleFigure>;

/** Figures of one rated question for one group: answers with a point, share per point, mean, favourable share. */
export const itemFigure = z.object({
  n: z.number().nullable(),
  withheld: withheldReason,
  mean: z.number().nullable(),
  favourable: shownPercent,
  distribution: z.array(shownPercent),
});
export type ItemFigure = z.infer<typeof itemFigure>;

const orgRef = z.object({ id: z.number(), name: z.string(), kind: z.string() });

export const reportQuery = z.object({
  /** The organisation reported on; the administration's own (or the highest one you may read) when left out. */
  org: z.coerce.number().int().positive().optional(),
  /** Side by side: `school` (organisations directly below) or a demographic question's id. */
  by: z.string().regex(/^[a-z][a-z0-9_]*$/, 'Group by "school" or a demographic question id.').optional(),
  /** Only respondents who gave one answer to a demographic question, as question:answer; two joined by a comma combine. */
  filter: z
    .string()
    .regex(/^[a-z][a-z0-9_]*:[A-Za-z0-9_.-]+(,[a-z][a-z0-9_]*:[A-Za-z0-9_.-]+)?$/, 'Filter as question:answer, e.g. grade:g7, or two joined by a comma.')
    .optional(),
  lang: languageSchema.default('en'),
});
export type ReportQuery = z.infer<typeof reportQuery>;

export const surveyReport = z.object({
  administration: z.object({ id: z.number(), title: z.string(), instrumentId: z.string(), instrumentVersion: z.number(), opensAt: z.string(), closesAt: z.string(), org: orgRef }),
  org: orgRef,
  parent: orgRef.nullable(),
  /** The smallest group any figure here describes. */
  k: z.number(),
  respondents: z.object({ n: z.number().nullable(), withheld: withheldReason }),
  /** Demographic questions this administration asked, for `by` and `filter`. */
  dimensions: z.array(z.object({ id: z.string(), label: z.string(), multi: z.boolean(), groups: z.array(z.object({ key: z.string(), label: z.string() })) })),
  by: z.string().nullable(),
  filter: z.object({ dim: z.string(), group: z.string(), label: z.string() }).nullable(),
  /** The second answer of a combined filter. */
  alsoFilter: z.object({ dim: z.string(), group: z.string(), label: z.string() }).nullable(),
  /** The side-by-side columns (groups, or organisations below), each with its respondents. */
  columns: z.array(z.object({ key: z.string(), label: z.string(), n: z.number().nullable(), withheld: withheldReason })),
  scales: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      method: z.enum(['mean', 'sum', 'percent_favorable']),
      tags: z.array(z.string()),
      bands: z.array(z.object({ id: z.string(), label: z.string() })),
      overall: scaleFigure,
      parent: scaleFigure.nullable(),
      columns: z.array(scaleFigure),
      /** The same scale in earlier comparable administrations, oldest first, this one last. */
      trend: z.array(z.object({ administrationId: z.number(), title: z.string(), closesAt: z.string(), figure: scaleFigure })),
    }),
  ),
  items: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      scales: z.array(z.string()),
      reverse: z.boolean(),
      tags: z.array(z.string()),
      points: z.array(z.object({ value: z.number(), label: z.string() })),
      overall: itemFigure,
      parent: itemFigure.nullable(),
      columns: z.array(itemFigure),
    }),
  ),
  /** Framework elements with the scales and items tagged with them. */
  elements: z.array(z.object({ ref: z.string(), scales: z.array(z.string()), items: z.array(z.string()) })),
});
export type SurveyReport = z.infer<typeof surveyReport>;

export const commentsQuery = z.object({ org: z.coerce.number().int().positive().optional(), lang: languageSchema.default('en') });
/** Free-text answers of an organisation's respondents, per question, in alphabetical order (never in the order given). */
export const surveyComments = z.object({
  org: orgRef,
  /** Null when the organisation's respondents are too few (or withheld): no answer is listed then. */
  withheld: withheldReason,
  questions: z.array(z.object({ id: z.string(), text: z.string(), total: z.number(), answers: z.array(z.string()) })),
});
export type SurveyComments = z.infer<typeof surveyComments>;
