import { type Answers, validateAnswers, visibleItems } from '../features/instruments/model/answers.js';
import type { InstrumentDefinition, Section } from '../features/instruments/model/instrument.schema.js';

/**
 * The walk through a survey: one page per section that has something to show for the answers
 * given so far (show-if conditions are read live), and what is finally sent.
 */

export interface Page {
  section: Section;
  /** Items of the section shown for the answers given (calcs are never shown). */
  items: Section['items'];
}

export function surveyPages(def: InstrumentDefinition, answers: Answers): Page[] {
  const shown = visibleItems(def, answers);
  return def.sections
    .map((section) => ({ section, items: section.items.filter((i) => i.type !== 'calc' && shown.has(i.id)) }))
    .filter((p) => p.items.length > 0);
}

/**
 * The index of the page for a remembered section. When that section is no longer shown (an
 * earlier answer hid it), the next section that is; past the end, the last page.
 */
export function pageIndex(def: InstrumentDefinition, pages: Page[], sectionId: string | null): number {
  if (pages.length === 0) return 0;
  const at = pages.findIndex((p) => p.section.id === sectionId);
  if (at >= 0) return at;
  const order = def.sections.findIndex((s) => s.id === sectionId);
  if (order < 0) return 0;
  const next = pages.findIndex((p) => def.sections.indexOf(p.section) > order);
  return next >= 0 ? next : pages.length - 1;
}

/**
 * The answers to send: only those to questions shown for the final answers, and only values the
 * questions take (the server refuses answers to hidden questions; an answer to a question that
 * was later hidden stays on the device while the respondent might go back, but is not sent).
 */
export function answersToSend(def: InstrumentDefinition, answers: Answers): Answers {
  return validateAnswers(def, answers).answers;
}
