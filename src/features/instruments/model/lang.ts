/**
 * Languages and the picking of text in one, without Zod: the respondent page bundles this (and
 * item-types, answers, expression) and must stay small. `text.ts` re-exports it with the schemas.
 */

export const languageCodes = ['en', 'fr', 'es'] as const;
export type LanguageCode = (typeof languageCodes)[number];

/** Text in up to three languages (the shape `localizedText` validates). */
export type Words = Partial<Record<LanguageCode, string>>;

/** The text in `lang`, falling back to `fallback`, then English, French, Spanish. */
export function pick(text: Words | undefined, lang: LanguageCode, fallback: LanguageCode = 'en'): string {
  if (!text) return '';
  return text[lang] ?? text[fallback] ?? text.en ?? text.fr ?? text.es ?? '';
}
