import { z } from 'zod';
import { languageCodes } from './lang.js';

export { type LanguageCode, languageCodes, pick } from './lang.js';
export const languageSchema = z.enum(languageCodes);

/**
 * Text in up to three languages. At least one must be present; readers get their language, then
 * the instrument's default language, then whatever exists — never a blank.
 */
export const localizedText = z
  .object({ en: z.string().trim().min(1).max(4000).optional(), fr: z.string().trim().min(1).max(4000).optional(), es: z.string().trim().min(1).max(4000).optional() })
  .strict()
  .refine((t) => t.en !== undefined || t.fr !== undefined || t.es !== undefined, 'Give the text in at least one language.');
export type LocalizedText = z.infer<typeof localizedText>;
