import type { TFunction } from 'i18next';
import { type LanguageCode, pick } from '../../../instruments/model/text.js';
import type { ExplicitValue, ImportTarget } from '../../surveys.import.contract.js';
import type { Answer, Reading } from '../../surveys.import.mapping.js';

/**
 * The answers a value can be given on the import page, as select options: "automatic" (what the
 * value is recognised as), "leave unanswered", each point or choice, and the special answers.
 */
const AUTO = 'auto';
const BLANK = 'blank';

/** The select's value for an explicit answer (none: automatic). */
export function optionOf(v: ExplicitValue | undefined): string {
  if (v === undefined) return AUTO;
  if (v === null) return BLANK;
  return typeof v === 'number' ? `n:${v}` : `s:${v}`;
}

/** The explicit answer a select value stands for (undefined: automatic). */
export function explicitOf(option: string): ExplicitValue | undefined {
  if (option === AUTO) return undefined;
  if (option === BLANK) return null;
  return option.startsWith('n:') ? Number(option.slice(2)) : option.slice(2);
}

/** An answer in words: "3 · Agree", a choice's label, or a special answer's name. */
export function answerWords(target: ImportTarget, value: Answer, t: TFunction, lang: LanguageCode): string {
  if (Array.isArray(value)) return value.map((v) => answerWords(target, v, t, lang)).join(', ');
  if (value === 'NA' || value === 'DK' || value === 'PNS') return t(`surveyImport.special.${value}`);
  if (typeof value === 'number') {
    const label = target.labels[value - target.min!];
    return label ? `${value} · ${pick(label, lang)}` : String(value);
  }
  const choice = target.choices.find((c) => c.value === value);
  return choice ? pick(choice.label, lang) : value;
}

/** What a reading shows as: the answer, "unanswered" or "not recognised". */
export function readingWords(target: ImportTarget, r: Reading, t: TFunction, lang: LanguageCode): string {
  if (r.kind === 'answer') return answerWords(target, r.value, t, lang);
  return r.kind === 'missing' ? t('surveyImport.unanswered') : t('surveyImport.notRecognised');
}

/** Every answer a value of this target may be given. */
export function answerOptions(target: ImportTarget, automatic: Reading, t: TFunction, lang: LanguageCode): { value: string; label: string }[] {
  const answers: Answer[] =
    target.kind === 'rated'
      ? [...Array.from({ length: target.max! - target.min! + 1 }, (_, i) => target.min! + i), ...target.special]
      : [...target.choices.map((c) => c.value), ...target.special];
  return [
    { value: AUTO, label: t('surveyImport.automatic', { answer: readingWords(target, automatic, t, lang) }) },
    { value: BLANK, label: t('surveyImport.leaveUnanswered') },
    ...answers.map((a) => ({ value: optionOf(a as ExplicitValue), label: answerWords(target, a, t, lang) })),
  ];
}
