import { describe, expect, it } from 'vitest';
import { type InstrumentDefinition, instrumentDefinition } from './instrument.schema.js';
import { allSlots } from './item-types.js';
import { summarizeSlot } from './summary.js';

const t = (en: string) => ({ en });
const def: InstrumentDefinition = instrumentDefinition.parse({
  schemaVersion: 1,
  id: 'summary-test',
  version: 1,
  kind: 'self_assessment',
  audience: 'team',
  title: t('S'),
  defaultLanguage: 'en',
  languages: ['en'],
  labelSets: { agree5: { points: 5, labels: ['1', '2', '3', '4', '5'].map(t) } },
  sections: [
    {
      id: 's',
      title: t('S'),
      items: [
        { id: 'l', type: 'likert', text: t('L'), labelSet: 'agree5', notApplicable: true },
        { id: 'c', type: 'single_choice', text: t('C'), choices: [{ value: 'a', label: t('A') }, { value: 'b', label: t('B') }], demographic: 'grade' },
        { id: 'm', type: 'multiple_choice', text: t('M'), choices: [{ value: 'x', label: t('X') }, { value: 'y', label: t('Y') }] },
        { id: 'yn', type: 'yes_no', text: t('YN'), dontKnow: true },
        { id: 'n', type: 'number', text: t('N') },
        { id: 'd', type: 'date', text: t('D') },
        { id: 'r', type: 'rating', text: t('R'), min: 1, max: 6 },
      ],
    },
  ],
});
const slot = (id: string) => allSlots(def).find((s) => s.id === id)!;
const sum = (id: string, values: Parameters<typeof summarizeSlot>[3]) => summarizeSlot(def, slot(id).item, slot(id), values);

describe('summaries of one slot', () => {
  it('a 5-point scale: counts per point, mean and favourable share without the special answers', () => {
    // Points 5, 4, 2, 4 and one "does not apply": mean (5+4+2+4)/4 = 3.75; favourable = 4 or 5 → 3 of 4 = 75 %.
    expect(sum('l', [5, 4, 2, 'NA', 4])).toEqual({ slotId: 'l', answered: 5, special: { NA: 1 }, counts: { '5': 1, '4': 2, '2': 1 }, mean: 3.75, favorable: 75 });
  });

  it('a 1–6 rating: top three are favourable', () => {
    // 6, 3, 4: mean 13/3; favourable from 4 → 6 and 4 → 2 of 3.
    const s = sum('r', [6, 3, 4]);
    expect(s.mean).toBeCloseTo(13 / 3, 12);
    expect(s.favorable).toBeCloseTo(200 / 3, 12);
  });

  it('choices, several choices, yes/no', () => {
    expect(sum('c', ['a', 'b', 'a', 'PNS'])).toEqual({ slotId: 'c', answered: 4, special: { PNS: 1 }, counts: { a: 2, b: 1 } });
    expect(sum('m', [['x', 'y'], ['y'], []]).counts).toEqual({ x: 1, y: 2 });
    expect(sum('yn', [true, false, true, 'DK'])).toMatchObject({ counts: { yes: 2, no: 1 }, special: { DK: 1 } });
  });

  it('numbers and dates', () => {
    // 2.5 + 4 + 0 = 6.5; mean 6.5 / 3.
    const n = sum('n', [2.5, 4, 0]);
    expect(n).toMatchObject({ sum: 6.5, min: 0, max: 4 });
    expect(n.mean).toBeCloseTo(6.5 / 3, 12);
    expect(sum('d', ['2026-03-01', '2025-12-31'])).toMatchObject({ min: '2025-12-31', max: '2026-03-01' });
    expect(sum('n', [])).toMatchObject({ answered: 0, sum: 0, mean: null, min: null, max: null });
  });
});
