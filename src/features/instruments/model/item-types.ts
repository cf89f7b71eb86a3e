import type { InstrumentDefinition, Item, ItemOf, ItemType, LabelSet } from './instrument.schema.js';
import { type LanguageCode, pick } from './lang.js';

/** One answer an item takes: most items one, a matrix one per row, notes and calcs none. */
export interface Slot {
  id: string;
  itemId: string;
  rowId?: string;
  /** ordinal: a point on a scale (scored); the rest are facts or categories. */
  kind: 'ordinal' | 'choice' | 'choices' | 'number' | 'text' | 'date' | 'boolean';
}

export type AnswerValue = number | string | boolean | string[];

interface Ctx {
  labelSets: InstrumentDefinition['labelSets'];
}

/** What the product knows about each item type: its answer slots, how to check and score an answer. */
export interface ItemTypeSpec<T extends ItemType> {
  slots(item: ItemOf<T>): Slot[];
  /** An error message for a value that the item cannot take, or null when it is fine. */
  check(item: ItemOf<T>, slot: Slot, value: unknown, ctx: Ctx): string | null;
  /** The scale range of an ordinal slot (for reverse coding and favourable shares). */
  range?(item: ItemOf<T>, ctx: Ctx): { min: number; max: number; favorableFrom: number } | null;
  /** Whether the item can be answered at all (notes and calcs cannot). */
  answerable: boolean;
}

const one = (item: Item, kind: Slot['kind']): Slot[] => [{ id: item.id, itemId: item.id, kind }];
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Top two of up to five points, top three of six or more, unless the label set says otherwise;
 * never the bottom point (on a two-point scale only the top one, or every answer would count).
 */
export function defaultFavorableFrom(points: number, min = 1): number {
  return Math.max(min + 1, min + points - (points <= 5 ? 2 : 3));
}

function labelSetOf(item: { labelSet: string }, ctx: Ctx): LabelSet | undefined {
  return ctx.labelSets[item.labelSet];
}

function checkPoint(value: unknown, max: number, special: { NA?: boolean; DK?: boolean }, min = 1): string | null {
  if (value === 'NA' && special.NA) return null;
  if (value === 'DK' && special.DK) return null;
  if (isInt(value) && value >= min && value <= max) return null;
  const extras = [special.NA && '"NA"', special.DK && '"DK"'].filter(Boolean).join(' or ');
  return `Answer with a whole number from ${min} to ${max}${extras ? ` or ${extras}` : ''}.`;
}

function checkChoice(item: ItemOf<'single_choice'>, value: unknown): string | null {
  if (item.demographic && value === 'PNS') return null;
  if (typeof value === 'string' && item.choices.some((c) => c.value === value)) return null;
  return `Answer with one of: ${item.choices.map((c) => c.value).join(', ')}${item.demographic ? ', PNS' : ''}.`;
}

export const itemTypes: { [T in ItemType]: ItemTypeSpec<T> } = {
  likert: {
    answerable: true,
    slots: (item) => one(item, 'ordinal'),
    check: (item, _slot, value, ctx) => checkPoint(value, labelSetOf(item, ctx)?.points ?? 0, { NA: item.notApplicable, DK: item.dontKnow }),
    range: (item, ctx) => {
      const set = labelSetOf(item, ctx);
      return set ? { min: 1, max: set.points, favorableFrom: set.favorableFrom ?? defaultFavorableFrom(set.points) } : null;
    },
  },
  rating: {
    answerable: true,
    slots: (item) => one(item, 'ordinal'),
    check: (item, _slot, value) => checkPoint(value, item.max, { DK: item.dontKnow }, item.min),
    range: (item) => ({ min: item.min, max: item.max, favorableFrom: defaultFavorableFrom(item.max - item.min + 1, item.min) }),
  },
  single_choice: {
    answerable: true,
    slots: (item) => one(item, 'choice'),
    check: (item, _slot, value) => checkChoice(item, value),
  },
  multiple_choice: {
    answerable: true,
    slots: (item) => one(item, 'choices'),
    check: (item, _slot, value) => {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return 'Answer with a list of choice values.';
      if (item.demographic && value.length === 1 && value[0] === 'PNS') return null;
      if (new Set(value).size !== value.length) return 'A choice is listed twice.';
      const unknown = value.filter((v) => !item.choices.some((c) => c.value === v));
      if (unknown.length) return `Not a choice of this question: ${unknown.join(', ')}.`;
      if (item.minSelect !== undefined && value.length < item.minSelect) return `Choose at least ${item.minSelect}.`;
      if (item.maxSelect !== undefined && value.length > item.maxSelect) return `Choose at most ${item.maxSelect}.`;
      return null;
    },
  },
  yes_no: {
    answerable: true,
    slots: (item) => one(item, 'boolean'),
    check: (item, _slot, value) => (typeof value === 'boolean' || (value === 'DK' && item.dontKnow) ? null : `Answer with true or false${item.dontKnow ? ' or "DK"' : ''}.`),
  },
  number: {
    answerable: true,
    slots: (item) => one(item, 'number'),
    check: (item, _slot, value) => {
      if (value === 'DK' && item.dontKnow) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Answer with a number.';
      if (item.integer && !Number.isInteger(value)) return 'Answer with a whole number.';
      if (item.min !== undefined && value < item.min) return `The smallest allowed value is ${item.min}.`;
      if (item.max !== undefined && value > item.max) return `The largest allowed value is ${item.max}.`;
      return null;
    },
  },
  text: {
    answerable: true,
    slots: (item) => one(item, 'text'),
    check: (item, _slot, value) => {
      if (typeof value !== 'string') return 'Answer with text.';
      // A lone surrogate is not text: the database would refuse it (and everything stored with it).
      if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) return 'The text has a broken character.';
      const max = item.maxLength ?? (item.multiline ? 5000 : 500);
      if (value.length > max) return `Use at most ${max} characters.`;
      if (item.format === 'email' && value !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return 'Enter an email address.';
      return null;
    },
  },
  date: {
    answerable: true,
    slots: (item) => one(item, 'date'),
    check: (item, _slot, value) => {
      // Date.parse rolls 2024-02-30 over to March 1; a real date reads back as itself.
      const time = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
      if (typeof value !== 'string' || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) return 'Answer with a date as YYYY-MM-DD.';
      if (item.min && value < item.min) return `The earliest allowed date is ${item.min}.`;
      if (item.max && value > item.max) return `The latest allowed date is ${item.max}.`;
      return null;
    },
  },
  matrix: {
    answerable: true,
    slots: (item) => item.rows.map((r) => ({ id: `${item.id}.${r.id}`, itemId: item.id, rowId: r.id, kind: 'ordinal' as const })),
    check: (item, _slot, value, ctx) => checkPoint(value, labelSetOf(item, ctx)?.points ?? 0, { NA: item.notApplicable, DK: item.dontKnow }),
    range: (item, ctx) => {
      const set = labelSetOf(item, ctx);
      return set ? { min: 1, max: set.points, favorableFrom: set.favorableFrom ?? defaultFavorableFrom(set.points) } : null;
    },
  },
  note: { answerable: false, slots: () => [], check: () => 'This is a note; it takes no answer.' },
  calc: { answerable: false, slots: () => [], check: () => 'This value is computed; it takes no answer.' },
};

/** The spec of an item's type, typed loosely for code that handles every type alike. */
export function specOf(item: Item): ItemTypeSpec<ItemType> {
  return itemTypes[item.type] as unknown as ItemTypeSpec<ItemType>;
}

/** Every item of an instrument in order, with its section. */
export function allItems(def: InstrumentDefinition): { item: Item; sectionId: string }[] {
  return def.sections.flatMap((s) => s.items.map((item) => ({ item, sectionId: s.id })));
}

/** Every answer slot in instrument order: the unit answers are stored and scored by. */
export function allSlots(def: InstrumentDefinition): (Slot & { item: Item })[] {
  return allItems(def).flatMap(({ item }) => specOf(item).slots(item).map((s) => ({ ...s, item })));
}

/**
 * The words of each answer slot in a language (a matrix row's own statement, else its question),
 * for results, exports and PDFs; an unknown slot reads as its id.
 */
export function slotLabeller(def: InstrumentDefinition, lang: LanguageCode): (slotId: string) => string {
  const slots = new Map(allSlots(def).map((s) => [s.id, s]));
  const text = (x: Parameters<typeof pick>[0]) => pick(x, lang, def.defaultLanguage);
  return (slotId) => {
    const s = slots.get(slotId);
    if (!s) return slotId;
    if (s.rowId && s.item.type === 'matrix') return text(s.item.rows.find((r) => r.id === s.rowId)?.text);
    return text(s.item.text);
  };
}

/** Words for the special answers and yes/no, in the reader's language. */
export interface AnswerWords {
  DK: string;
  NA: string;
  PNS: string;
  yes: string;
  no: string;
}

/**
 * Turns a stored answer into words for results and reports: choice codes become their labels,
 * yes/no and special answers their words, a list of choices a comma-separated list.
 */
export function answerInWords(def: InstrumentDefinition, lang: LanguageCode, words: AnswerWords): (slotId: string, value: unknown) => string {
  const slots = new Map(allSlots(def).map((s) => [s.id, s]));
  const text = (x: Parameters<typeof pick>[0]) => pick(x, lang, def.defaultLanguage);
  return (slotId, value) => {
    const item = slots.get(slotId)?.item;
    const word = (v: unknown): string => {
      if (v === 'DK' || v === 'NA' || v === 'PNS') return words[v];
      if (typeof v === 'boolean') return v ? words.yes : words.no;
      const choice = item && 'choices' in item ? item.choices.find((c) => c.value === v) : undefined;
      return choice ? text(choice.label) : String(v);
    };
    return Array.isArray(value) ? value.map(word).join(', ') : word(value);
  };
}
