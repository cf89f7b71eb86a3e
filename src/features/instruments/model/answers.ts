import { evaluate, type Node, parseExpression, truthy, type Value } from './expression.js';
import type { InstrumentDefinition, Item } from './instrument.schema.js';
import { type AnswerValue, specOf } from './item-types.js';

export type Answers = Record<string, AnswerValue>;

export interface AnswerError {
  item: string;
  message: string;
}

const parsed = new WeakMap<object, Map<string, Node>>();
/** Parsed show-if conditions, cached per definition object. */
function condition(def: InstrumentDefinition, src: string): Node {
  let cache = parsed.get(def);
  if (!cache) parsed.set(def, (cache = new Map()));
  let node = cache.get(src);
  if (!node) cache.set(src, (node = parseExpression(src)));
  return node;
}

/** Reads answers for the expression language; special answers (NA, DK, PNS) read as no answer. */
export function answerLookup(answers: Answers): (name: string) => Value {
  return (name) => {
    // Own answers only: an item called "constructor" must not read Object.prototype.constructor.
    const v = Object.hasOwn(answers, name) ? answers[name] : undefined;
    if (v === undefined || v === 'NA' || v === 'DK' || v === 'PNS') return null;
    return v as Value;
  };
}

/**
 * Walks the instrument in order: which items are shown, given the answers, and the values of the
 * computed (calc) items. A show-if or a calculation reads the answers that stand before it, where
 * an answer to a hidden item reads as no answer (hiding q2 also hides a q3 shown only for a q2
 * answer). Conditions are validated at publish; one that fails here hides nothing.
 */
function walk(def: InstrumentDefinition, answers: Answers): { shown: Set<string>; computed: Map<string, Value> } {
  const shown = new Set<string>();
  const hidden = new Set<string>();
  const computed = new Map<string, Value>();
  const read = answerLookup(answers);
  const lookup = (name: string) => (hidden.has(name) ? null : computed.has(name) ? computed.get(name)! : read(name));
  // undefined: the expression does not parse (a condition that cannot be read hides nothing).
  const run = (src: string): Value | undefined => {
    try {
      return evaluate(condition(def, src), lookup);
    } catch {
      return undefined;
    }
  };
  const test = (src: string | undefined) => {
    if (!src) return true;
    const v = run(src);
    return v === undefined || truthy(v);
  };
  for (const section of def.sections) {
    const sectionShown = test(section.showIf);
    for (const item of section.items) {
      if (sectionShown && test(item.showIf)) {
        shown.add(item.id);
        if (item.type === 'calc') computed.set(item.id, run(item.expression) ?? null);
      } else {
        hidden.add(item.id);
        for (const slot of specOf(item).slots(item)) hidden.add(slot.id);
      }
    }
  }
  return { shown, computed };
}

export function visibleItems(def: InstrumentDefinition, answers: Answers): Set<string> {
  return walk(def, answers).shown;
}

/** The values of the computed items, given the answers (hidden ones are absent). */
export function calcValues(def: InstrumentDefinition, answers: Answers): Record<string, Value> {
  return Object.fromEntries(walk(def, answers).computed);
}

/** No answer, or an empty text or list (what `answered()` reads as unanswered). */
function isBlank(answers: Answers, key: string): boolean {
  const v = Object.hasOwn(answers, key) ? answers[key] : undefined;
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * Checks a set of answers against an instrument version: unknown questions and values outside an
 * item's type or scale are errors naming the item; answers to hidden items are dropped (or, with
 * `rejectHidden`, reported). `requireAnswers` also reports visible required items left empty (team instruments on submit).
 */
export function validateAnswers(def: InstrumentDefinition, raw: Record<string, unknown>, opts: { requireAnswers?: boolean; rejectHidden?: boolean } = {}): { answers: Answers; errors: AnswerError[] } {
  const errors: AnswerError[] = [];
  const slots = new Map<string, { item: Item; slot: ReturnType<ReturnType<typeof specOf>['slots']>[number] }>();
  for (const s of def.sections) for (const item of s.items) for (const slot of specOf(item).slots(item)) slots.set(slot.id, { item, slot });
  const clean: Answers = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || value === undefined) continue;
    const found = slots.get(key);
    if (!found) {
      errors.push({ item: key, message: `There is no question "${key}" in this instrument.` });
      continue;
    }
    const problem = specOf(found.item).check(found.item, found.slot, value, { labelSets: def.labelSets });
    if (problem) errors.push({ item: key, message: problem });
    else clean[key] = value as AnswerValue;
  }
  const shown = visibleItems(def, clean);
  for (const [key, { item }] of slots) {
    if (!(key in clean) || shown.has(item.id)) continue;
    // A whole response arriving at once (a survey) should never answer what the respondent could not see.
    if (opts.rejectHidden) errors.push({ item: key, message: 'This question was not shown for the answers given, so it takes no answer.' });
    delete clean[key];
  }
  if (opts.requireAnswers) {
    for (const [key, { item }] of slots) {
      if (item.required && shown.has(item.id) && isBlank(clean, key)) errors.push({ item: key, message: 'This question needs an answer.' });
    }
  }
  return { answers: clean, errors };
}
