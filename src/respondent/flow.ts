import { type Answers, validateAnswers, visibleItems } from '../features/instruments/model/answers.js';
import type { InstrumentDefinition, Section } from '../features/instruments/model/instrument.schema.js';
import type { PublicSurvey } from '../features/surveys/surveys.public.contract.js';
import type { Progress } from './store.js';

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

/**
 * What the page does on arrival, from what this tab and this device remember: thank again (a
 * response was just acknowledged in this tab), go on sending (answers sent from this very tab and
 * not yet acknowledged: a reload), or load the survey (and then see `landing`). A send left
 * pending by another tab is never resumed without asking: on a shared device it may be someone
 * else's answers, or answers the server refuses.
 */
export function arrival(saved: Progress | null, tab: { done: boolean; active: boolean }): 'thanks' | 'send' | 'load' {
  if (tab.done) return 'thanks';
  if (saved?.sending && tab.active) return 'send';
  return 'load';
}

/**
 * The screen once the survey has loaded (or could not be reached), for the progress on the
 * device. `gone`: the survey is closed, not open yet or the code used: answers kept for it can
 * never be sent, so the caller forgets them. `pending`: answers wait to be sent: ask whether to
 * send them or start over (also offline: they are kept, and sending waits for the connection).
 */
export function landing(
  survey: Pick<PublicSurvey, 'state' | 'instrument'> | 'unreachable',
  p: Progress,
  sameTab: boolean,
): 'gone' | 'unreachable' | 'pending' | 'page' | 'resume' | 'welcome' {
  if (survey === 'unreachable') return p.sending ? 'pending' : 'unreachable';
  if (survey.state !== 'open' || !survey.instrument) return 'gone';
  if (p.sending) return 'pending';
  // A reload in the same tab goes straight back; a new tab (maybe another person) asks first.
  if (p.started) return sameTab ? 'page' : 'resume';
  return 'welcome';
}
