import type { Answers } from './answers.js';
import type { InstrumentDefinition, Scale } from './instrument.schema.js';
import { allSlots, specOf } from './item-types.js';

export interface ScaleScore {
  scaleId: string;
  /** Mean or sum of the item points (reverse-coded where the scale says), or the favourable share (0–100). */
  score: number | null;
  answered: number;
  total: number;
  /** Whether enough items were answered for a score (minAnswered, default one half). */
  valid: boolean;
  band: string | null;
}

type SlotInfo = { range: { min: number; max: number; favorableFrom: number } | null };

function slotIndex(def: InstrumentDefinition): Map<string, SlotInfo> {
  const out = new Map<string, SlotInfo>();
  for (const slot of allSlots(def)) out.set(slot.id, { range: specOf(slot.item).range?.(slot.item as never, { labelSets: def.labelSets }) ?? null });
  return out;
}

/**
 * The point an answer counts for in a scale: reverse-coded items flip around the scale
 * (max + min − value); not-applicable, don't-know and unanswered count for nothing.
 */
export function itemPoint(value: unknown, range: SlotInfo['range'], reverse: boolean): number | null {
  if (typeof value !== 'number' || !range) return null;
  return reverse ? range.max + range.min - value : value;
}

/** Scores one scale for one answer set (a team's assessment or one respondent). */
export function scoreScale(def: InstrumentDefinition, scale: Scale, answers: Answers, index = slotIndex(def)): ScaleScore {
  const reverse = new Set(scale.reverse ?? []);
  const points: number[] = [];
  let favourable = 0;
  for (const id of scale.items) {
    const info = index.get(id);
    const p = itemPoint(answers[id], info?.range ?? null, reverse.has(id));
    if (p === null) continue;
    points.push(p);
    if (info?.range && p >= info.range.favorableFrom) favourable++;
  }
  const total = scale.items.length;
  const valid = points.length > 0 && points.length / total >= (scale.minAnswered ?? 0.5);
  let score: number | null = null;
  if (valid) {
    if (scale.method === 'sum') score = points.reduce((a, b) => a + b, 0);
    else if (scale.method === 'mean') score = points.reduce((a, b) => a + b, 0) / points.length;
    else score = (favourable / points.length) * 100;
  }
  return { scaleId: scale.id, score, answered: points.length, total, valid, band: bandOf(scale, score) };
}

/**
 * The band a score falls in. Bands are read as steps (each from its minimum up to the next one's),
 * so a mean of 2.95 on "1.0–2.9 / 3.0–4.9 / 5.0–6.0" is still in the first band, not in none.
 */
export function bandOf(scale: Pick<Scale, 'bands'>, score: number | null): string | null {
  if (score === null || !scale.bands?.length) return null;
  const sorted = [...scale.bands].sort((a, b) => a.min - b.min);
  if (score < sorted[0].min || score > sorted[sorted.length - 1].max) return null;
  let found = sorted[0];
  for (const b of sorted) if (score >= b.min) found = b;
  return found.id;
}

/** Every scale of the instrument scored for one answer set. */
export function scoreAll(def: InstrumentDefinition, answers: Answers): ScaleScore[] {
  const index = slotIndex(def);
  return def.scales.map((s) => scoreScale(def, s, answers, index));
}
