import { z } from 'zod';
import { elementRef } from '../instruments/model/instrument.schema.js';
import { languageCodes, languageSchema, localizedText } from '../instruments/model/text.js';
import { resourceAudiences, resourceGradeBands, resourceTypes, resourceUrl } from './resources.model.js';

/** A list in a query string: repeated (`?type=a&type=b`) or comma-separated. */
const listOf = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(30))
    .optional();

export const searchQuery = z.object({
  q: z.string().trim().max(200, 'Search with at most 200 characters.').default(''),
  type: listOf(z.enum(resourceTypes)),
  audience: listOf(z.enum(resourceAudiences)),
  grade: listOf(z.enum(resourceGradeBands)),
  language: listOf(z.enum(languageCodes)),
  element: listOf(elementRef),
  collection: z.coerce.number().int().positive().optional(),
  /** The reader's language, for titles, summaries and highlights. */
  lang: languageSchema.default('en'),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchQuery = z.infer<typeof searchQuery>;

export const storedFileView = z.object({ name: z.string(), type: z.string(), size: z.number() });

export const resourceCard = z.object({
  id: z.number(),
  type: z.enum(resourceTypes),
  title: localizedText,
  summary: localizedText,
  audiences: z.array(z.string()),
  gradeBands: z.array(z.string()),
  languages: z.array(z.string()),
  elements: z.array(z.string()),
  url: z.string().nullable(),
  example: z.boolean(),
  file: storedFileView.nullable(),
  /** Shipped with the product (the starter library) rather than added by a network. */
  shipped: z.boolean(),
});
export type ResourceCard = z.infer<typeof resourceCard>;

/** Text with the words that matched between ⟦ and ⟧ (the page turns them into marks; never HTML). */
export const HIGHLIGHT_START = '\u27e6';
export const HIGHLIGHT_END = '\u27e7';

export const facetValue = z.object({ value: z.string(), count: z.number() });
export const searchResult = z.object({
  total: z.number(),
  items: z.array(resourceCard.extend({ highlight: z.object({ title: z.string(), summary: z.string() }).nullable() })),
  facets: z.object({ type: z.array(facetValue), audience: z.array(facetValue), grade: z.array(facetValue), language: z.array(facetValue), element: z.array(facetValue) }),
  /** When the words as typed found nothing, the closest spelling that did (and was searched instead). */
  corrected: z.string().nullable(),
});
export type SearchResult = z.infer<typeof searchResult>;

export const recommendQuery = z.object({
  element: listOf(elementRef),
  audience: listOf(z.enum(resourceAudiences)),
  /** Resources to leave out (already attached). */
  exclude: listOf(z.string().regex(/^[1-9][0-9]{0,9}$/, "Use whole-number ids.").transform(Number)),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export const recommendations = z.object({ items: z.array(resourceCard.extend({ matched: z.array(z.string()) })) });

export const resourceDetail = resourceCard.extend({
  source: z.string(),
  licence: z.string(),
  status: z.enum(['published', 'suggested', 'declined']),
  ownerOrgId: z.number().nullable(),
  suggestedBy: z.string().nullable(),
  suggestedOrgName: z.string().nullable(),
  reviewNote: z.string().nullable(),
  collections: z.array(z.object({ id: z.number(), title: localizedText })),
  can: z.object({ edit: z.boolean() }),
});
export type ResourceDetail = z.infer<typeof resourceDetail>;

const resourceFields = z.object({
  type: z.enum(resourceTypes),
  title: localizedText,
  summary: localizedText,
  audiences: z.array(z.enum(resourceAudiences)).max(5),
  gradeBands: z.array(z.enum(resourceGradeBands)).max(4),
  languages: z.array(languageSchema).min(1, 'Say which languages the resource is in.').max(3),
  elements: z.array(elementRef).max(20),
  source: z.string().trim().max(300),
  licence: z.string().trim().max(100),
  url: resourceUrl.nullable(),
});
export const resourceInput = resourceFields.extend({
  audiences: resourceFields.shape.audiences.default([]),
  gradeBands: resourceFields.shape.gradeBands.default([]),
  elements: resourceFields.shape.elements.default([]),
  source: resourceFields.shape.source.default(''),
  licence: resourceFields.shape.licence.default(''),
  url: resourceFields.shape.url.default(null),
});
export type ResourceInput = z.infer<typeof resourceInput>;
export const resourcePatch = resourceFields.partial();
/** A network's curators add to its library. */
export const createResourceBody = resourceInput.extend({ networkId: z.number().int().positive() });
/** Anyone on a team suggests a resource from their organisation; curators review it. */
export const suggestResourceBody = resourceInput.extend({ orgId: z.number().int().positive() });
export const reviewBody = z.object({ decision: z.enum(['publish', 'decline']), note: z.string().trim().max(1000).default('') });
export const suggestionsQuery = z.object({ networkId: z.coerce.number().int().positive() });
export const suggestionList = z.object({ items: z.array(resourceDetail) });
export const fileQuery = z.object({ name: z.string().trim().min(1).max(200).regex(/^[^/\\\0]+$/, 'Give a file name without slashes.') });

export const collectionSummary = z.object({ id: z.number(), title: localizedText, description: localizedText, resources: z.number(), shipped: z.boolean() });
export const collectionList = z.object({ items: z.array(collectionSummary) });
