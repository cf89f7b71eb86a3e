import { z } from 'zod';
import { languageSchema, localizedText } from './text.js';

/**
 * The definition format of every questionnaire in Schoolwell (profile, self-assessment, survey),
 * as data. Published with the API as JSON Schema so others can author instruments outside the
 * product. Item types are a discriminated union on `type`; each has its module in `items/`.
 */

export const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'Use lower-case letters, digits and underscores, starting with a letter.');
/** A framework element reference, "<framework id>:<element id>". */
export const elementRef = z.string().regex(/^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/, 'Write framework tags as framework:element.');

/** Answers that are not a point on a scale; never counted in scores. */
export const specialAnswers = ['NA', 'DK', 'PNS'] as const;
export type SpecialAnswer = (typeof specialAnswers)[number];

export const demographicKinds = ['grade', 'gender_identity', 'home_language', 'self_described_group'] as const;
export type DemographicKind = (typeof demographicKinds)[number];

const choice = z.object({ value: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'Choice values use letters, digits, dots, dashes and underscores.'), label: localizedText });
export type Choice = z.infer<typeof choice>;

const itemBase = {
  id: identifier,
  text: localizedText,
  help: localizedText.optional(),
  /** Surveys never require an answer; team instruments may. */
  required: z.boolean().optional(),
  showIf: z.string().max(1000).optional(),
  tags: z.array(elementRef).max(20).optional(),
};

export const likertItem = z.object({
  ...itemBase,
  type: z.literal('likert'),
  /** Name of a label set of the instrument (e.g. agree5). */
  labelSet: identifier,
  notApplicable: z.boolean().optional(),
  dontKnow: z.boolean().optional(),
});

export const ratingItem = z.object({
  ...itemBase,
  type: z.literal('rating'),
  min: z.number().int().min(0).max(10),
  max: z.number().int().min(1).max(100),
  minLabel: localizedText.optional(),
  maxLabel: localizedText.optional(),
  /** Named ranges of the scale, shown beside the points (e.g. 1–2 emerging). */
  bands: z.array(z.object({ min: z.number(), max: z.number(), label: localizedText })).max(10).optional(),
  dontKnow: z.boolean().optional(),
});

export const singleChoiceItem = z.object({
  ...itemBase,
  type: z.literal('single_choice'),
  choices: z.array(choice).min(1).max(200),
  demographic: z.enum(demographicKinds).optional(),
  display: z.enum(['radio', 'dropdown']).optional(),
});

export const multipleChoiceItem = z.object({
  ...itemBase,
  type: z.literal('multiple_choice'),
  choices: z.array(choice).min(1).max(200),
  minSelect: z.number().int().min(0).optional(),
  maxSelect: z.number().int().min(1).optional(),
  demographic: z.enum(demographicKinds).optional(),
});

export const yesNoItem = z.object({ ...itemBase, type: z.literal('yes_no'), dontKnow: z.boolean().optional() });

export const numberItem = z.object({
  ...itemBase,
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
  unit: localizedText.optional(),
  dontKnow: z.boolean().optional(),
});

export const textItem = z.object({
  ...itemBase,
  type: z.literal('text'),
  multiline: z.boolean().optional(),
  maxLength: z.number().int().min(1).max(10_000).optional(),
  format: z.enum(['email', 'phone', 'url']).optional(),
});

export const dateItem = z.object({ ...itemBase, type: z.literal('date'), min: z.string().date().optional(), max: z.string().date().optional() });

export const matrixItem = z.object({
  ...itemBase,
  type: z.literal('matrix'),
  labelSet: identifier,
  rows: z.array(z.object({ id: identifier, text: localizedText, tags: z.array(elementRef).max(20).optional() })).min(1).max(50),
  notApplicable: z.boolean().optional(),
  dontKnow: z.boolean().optional(),
});

/** Text shown between questions; takes no answer. */
export const noteItem = z.object({ ...itemBase, type: z.literal('note') });

/** A value computed from other answers with the expression language; never asked. */
export const calcItem = z.object({ ...itemBase, type: z.literal('calc'), expression: z.string().min(1).max(1000) });

export const itemSchema = z.discriminatedUnion('type', [likertItem, ratingItem, singleChoiceItem, multipleChoiceItem, yesNoItem, numberItem, textItem, dateItem, matrixItem, noteItem, calcItem]);
export type Item = z.infer<typeof itemSchema>;
export type ItemType = Item['type'];
export type ItemOf<T extends ItemType> = Extract<Item, { type: T }>;

export const labelSetSchema = z.object({
  points: z.number().int().min(2).max(11),
  labels: z.array(localizedText).min(2).max(11),
  /** First point counted as favourable; by default the top two of up to five, top three above. */
  favorableFrom: z.number().int().min(1).optional(),
});
export type LabelSet = z.infer<typeof labelSetSchema>;

export const bandSchema = z.object({ id: identifier, min: z.number(), max: z.number(), label: localizedText });

export const scaleSchema = z.object({
  id: identifier,
  title: localizedText,
  description: localizedText.optional(),
  /** Answer slots: item ids, or `matrix.row` for a matrix row. */
  items: z.array(z.string().min(1).max(130)).min(1).max(200),
  reverse: z.array(z.string().min(1).max(130)).max(200).optional(),
  method: z.enum(['mean', 'sum', 'percent_favorable']),
  /** Share of the scale's items that must be answered for a score (default one half). */
  minAnswered: z.number().min(0).max(1).optional(),
  bands: z.array(bandSchema).max(10).optional(),
  tags: z.array(elementRef).max(20).optional(),
});
export type Scale = z.infer<typeof scaleSchema>;

export const sectionSchema = z.object({
  id: identifier,
  title: localizedText,
  description: localizedText.optional(),
  showIf: z.string().max(1000).optional(),
  items: z.array(itemSchema).max(500),
});
export type Section = z.infer<typeof sectionSchema>;

export const instrumentKinds = ['profile', 'self_assessment', 'survey'] as const;
export const audiences = ['team', 'student', 'staff', 'family'] as const;
export const gradeBands = ['upper_elementary', 'secondary'] as const;

export const instrumentDefinition = z.object({
  schemaVersion: z.literal(1),
  id: z.string().min(1).max(64).regex(/^[a-z][a-z0-9_-]*$/, 'Use lower-case letters, digits, dashes and underscores.'),
  version: z.number().int().min(1),
  kind: z.enum(instrumentKinds),
  audience: z.enum(audiences),
  gradeBand: z.enum(gradeBands).optional(),
  title: localizedText,
  description: localizedText.optional(),
  defaultLanguage: languageSchema,
  languages: z.array(languageSchema).min(1).max(3),
  estimatedMinutes: z.number().int().min(1).max(240).optional(),
  labelSets: z.record(identifier, labelSetSchema).default({}),
  sections: z.array(sectionSchema).min(1).max(100),
  scales: z.array(scaleSchema).max(100).default([]),
  tags: z.array(elementRef).max(50).optional(),
  /** Where an imported instrument came from. */
  source: z.object({ format: z.enum(['redcap', 'surveyjs', 'xlsform', 'schoolwell']), name: z.string().max(255).optional() }).optional(),
});
export type InstrumentDefinition = z.infer<typeof instrumentDefinition>;
