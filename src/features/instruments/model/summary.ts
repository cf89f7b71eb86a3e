import type { InstrumentDefinition } from './instrument.schema.js';
import { type AnswerValue, type Slot, specOf } from './item-types.js';
import type { Item } from './instrument.schema.js';

/**
 * What a set of answers to one slot comes to, for team instruments and small groups (respondent
 * reports aggregate in SQL, through the privacy rules, never here).
 *  - ordinal: answers per point, mean, share favourable (special answers counted apart)
 *  - choice / choices / boolean: answers per value
 *  - number: count, sum, mean, lowest, highest
 *  - text / date: how many answered (texts are never pooled)
 */
export interface SlotSummary {
  slotId: string;
  /** Answers given, special ones (not applicable, don't know, prefer not to say) included. */
  answered: number;
  special: Partial<Record<'NA' | 'DK' | 'PNS', number>>;
  counts?: Record<string, number>;
  mean?: number | null;
  sum?: number;
  min?: number | string | null;
  max?: number | string | null;
  /** Share (0–100) of the scale answers at or above the favourable point. */
  favorable?: number | null;
}

const isSpecial = (v: AnswerValue): v is 'NA' | 'DK' | 'PNS' => v === 'NA' || v === 'DK' || v === 'PNS';

export function summarizeSlot(def: InstrumentDefinition, item: Item, slot: Slot, values: AnswerValue[]): SlotSummary {
  const out: SlotSummary = { slotId: slot.id, answered: values.length, special: {} };
  const real: AnswerValue[] = [];
  for (const v of values) {
    if (isSpecial(v)) out.special[v] = (out.special[v] ?? 0) + 1;
    else real.push(v);
  }
  const count = (keys: string[]) => {
    out.counts = {};
    for (const k of keys) out.counts[k] = (out.counts[k] ?? 0) + 1;
  };
  switch (slot.kind) {
    case 'ordinal': {
      const nums = real.filter((v): v is number => typeof v === 'number');
      count(nums.map(String));
      out.mean = nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null;
      const range = specOf(item).range?.(item as never, { labelSets: def.labelSets });
      out.favorable = nums.length && range ? (nums.filter((n) => n >= range.favorableFrom).length / nums.length) * 100 : null;
      break;
    }
    case 'choice':
      count(real.map(String));
      break;
    case 'choices':
      count(real.flatMap((v) => (Array.isArray(v) ? v : [])));
      break;
    case 'boolean':
      count(real.map((v) => (v === true ? 'yes' : 'no')));
      break;
    case 'number': {
      const nums = real.filter((v): v is number => typeof v === 'number');
      out.sum = nums.reduce((a, b) => a + b, 0);
      out.mean = nums.length ? out.sum / nums.length : null;
      out.min = nums.length ? Math.min(...nums) : null;
      out.max = nums.length ? Math.max(...nums) : null;
      break;
    }
    case 'date': {
      const dates = real.filter((v): v is string => typeof v === 'string').sort();
      out.min = dates[0] ?? null;
      out.max = dates[dates.length - 1] ?? null;
      break;
    }
    case 'text':
      break;
  }
  return out;
}
