import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type LanguageCode, pick } from '../../../instruments/model/text.js';
import { useFrameworksQuery } from '../../../frameworks/ui/frameworks.api.js';
import type { FacetKey } from '../resources.api.js';

/** A framework and its elements in the framework's own order, named in the reader's language. */
export interface ElementGroup {
  framework: string;
  name: string;
  elements: { ref: string; name: string }[];
}

/** The reader's language as the content's language codes name it. */
export function useContentLanguage(): LanguageCode {
  const { i18n } = useTranslation();
  const l = i18n.language;
  return l === 'fr' || l === 'es' ? l : 'en';
}

/**
 * Words for the library's tags in the reader's language: types, audiences, grade bands and
 * languages from the interface strings; framework elements from the frameworks themselves.
 */
export function useResourceLabels() {
  const { t } = useTranslation();
  const lang = useContentLanguage();
  const frameworks = useFrameworksQuery();
  const groups = useMemo<ElementGroup[]>(
    () =>
      (frameworks.data?.items ?? []).map((f) => ({
        framework: f.id,
        name: pick(f.definition.name, lang),
        elements: f.definition.elements.map((e) => ({ ref: `${f.id}:${e.id}`, name: pick(e.name, lang) })),
      })),
    [frameworks.data, lang],
  );
  const names = useMemo(() => new Map(groups.flatMap((g) => g.elements.map((e) => [e.ref, e.name] as const))), [groups]);
  const frameworkOf = useMemo(() => new Map(groups.flatMap((g) => g.elements.map((e) => [e.ref, g.name] as const))), [groups]);
  const type = (v: string) => t(`resources.types.${v}`, { defaultValue: v });
  const audience = (v: string) => t(`resources.audiences.${v}`, { defaultValue: v });
  const grade = (v: string) => t(`resources.grades.${v}`, { defaultValue: v });
  const language = (v: string) => t(`languageNames.${v}`, { defaultValue: v });
  /** An element's name; its tag while the frameworks load or if a framework is gone. */
  const element = (ref: string) => names.get(ref) ?? ref;
  const byFacet: Record<FacetKey, (v: string) => string> = { type, audience, grade, language, element };
  return {
    lang,
    groups,
    type,
    audience,
    grade,
    language,
    element,
    /** The framework an element belongs to, for telling apart two elements of one name. */
    frameworkOf: (ref: string) => frameworkOf.get(ref),
    facet: (key: FacetKey, v: string) => byFacet[key](v),
  };
}
export type ResourceLabels = ReturnType<typeof useResourceLabels>;

/** A file size in the reader's language: "820 kB", "2.4 MB". */
export function formatSize(bytes: number, lang: string): string {
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : bytes >= 1000 ? [bytes / 1000, 'kilobyte'] : [bytes, 'byte'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: value < 10 && unit !== 'byte' ? 1 : 0 }).format(value);
}

/** The text in the reader's language (else another), with the language it is actually in. */
export function pickWithLanguage(text: Partial<Record<LanguageCode, string>>, lang: LanguageCode): { text: string; lang: LanguageCode } {
  for (const l of [lang, 'en', 'fr', 'es'] as const) if (text[l]) return { text: text[l], lang: l };
  return { text: '', lang };
}
