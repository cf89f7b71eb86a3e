import { z } from 'zod';
import { elementRef, identifier } from '../instruments/model/instrument.schema.js';
import { languageSchema, localizedText } from '../instruments/model/text.js';

/** Kinds of resource, in the order the library lists them. */
export const resourceTypes = ['guide', 'toolkit', 'video', 'workbook', 'research_summary', 'success_story', 'lesson', 'policy_template', 'link'] as const;
export type ResourceType = (typeof resourceTypes)[number];
/** Who a resource is written for. */
export const resourceAudiences = ['students', 'staff', 'families', 'leaders', 'partners'] as const;
/** Grade bands a resource suits (none means every grade). */
export const resourceGradeBands = ['early_years', 'elementary', 'middle', 'secondary'] as const;

/**
 * A link a resource may carry: a page of this product ("/frameworks") or any https address. Shipped
 * entries may only point to the product's own pages or to an address marked as an example.
 */
export const resourceUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => !u.includes('\\') && (/^\/(?!\/)[^\s]*$/.test(u) || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(u)), 'Give a web address starting with https:// or a page of this site starting with /.');

export const resourceTags = z.object({
  type: z.enum(resourceTypes),
  audiences: z.array(z.enum(resourceAudiences)).max(resourceAudiences.length).default([]),
  gradeBands: z.array(z.enum(resourceGradeBands)).max(resourceGradeBands.length).default([]),
  /** Languages the resource itself is available in. */
  languages: z.array(languageSchema).min(1).max(3),
  elements: z.array(elementRef).max(20).default([]),
});

/** One entry of the starter library shipped in content/resources/*.json. */
export const shippedResource = resourceTags.extend({
  id: identifier,
  title: localizedText,
  summary: localizedText,
  source: z.string().trim().min(1).max(300),
  licence: z.string().trim().min(1).max(100),
  url: resourceUrl.nullable().default(null),
  /** True when the url is an illustration (example.org), not a real destination. */
  example: z.boolean().default(false),
});
export type ShippedResource = z.infer<typeof shippedResource>;

export const shippedCollection = z.object({
  id: identifier,
  title: localizedText,
  description: localizedText,
  /** Ids of shipped resources, in reading order. */
  resources: z.array(identifier).min(1).max(100),
});
export type ShippedCollection = z.infer<typeof shippedCollection>;

export const shippedLibraryFile = z.object({
  schemaVersion: z.literal(1),
  resources: z.array(shippedResource).max(1000),
  collections: z.array(shippedCollection).max(100).default([]),
});
export type ShippedLibraryFile = z.infer<typeof shippedLibraryFile>;
