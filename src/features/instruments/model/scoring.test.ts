import { describe, expect, it } from 'vitest';
import type { Answers } from './answers.js';
import { type InstrumentDefinition, instrumentDefinition, type Scale, scaleSchema } from './instrument.schema.js';
import { bandOf, itemPoint, scoreAll, scoreScale } from './scoring.js';

const t = (en: string) => ({ en });
const labelSet = (points: number, favorableFrom?: number) => ({ points, labels: Array.from({ length: points }, (_, i) => t(`P${i + 1}`)), ...(favorableFrom ? { favorableFrom } : {}) });
const likerts = (prefix: string, n: number, set: string, extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i + 1}`, type: 'likert', labelSet: set, text: t(`${prefix}${i + 1}`), ...extra }));
const ratings = (prefix: string, n: number, min: number, max: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i + 1}`, type: 'rating', min, max, dontKnow: true, text: t(`${prefix}${i + 1}`) }));

/**
 * a1–a6: agree, 5 points (favourable 4–5), with NA and DK     f1–f4: 4 points (favourable 3–4)
 * s1–s5: 7 points (favourable 5–7)                            e1–e4: 5 points, favourable from 3
 * r1–r3: rating 1–6 (favourable 4–6)                          z1–z2: rating 0–10 (favourable 8–10)
 * t1–t2: rating 2–6 (favourable 5–6)                          m.x, m.y, m.z: matrix, 5 points
 * c1: single choice, n1: number, y1: yes/no (none ordinal)
 */
function def(overrides: Record<string, unknown> = {}): InstrumentDefinition {
  return instrumentDefinition.parse({
    schemaVersion: 1,
    id: 'scoring-test',
    version: 1,
    kind: 'survey',
    audience: 'student',
    title: t('Scoring'),
    defaultLanguage: 'en',
    languages: ['en'],
    labelSets: { agree5: labelSet(5), agree4: labelSet(4), agree7: labelSet(7), freq5: labelSet(5, 3) },
    sections: [
      {
        id: 'main',
        title: t('Main'),
        items: [
          ...likerts('a', 6, 'agree5', { notApplicable: true, dontKnow: true }),
          ...likerts('f', 4, 'agree4'),
          ...likerts('s', 5, 'agree7'),
          ...likerts('e', 4, 'freq5'),
          ...ratings('r', 3, 1, 6),
          ...ratings('z', 2, 0, 10),
          ...ratings('t', 2, 2, 6),
          { id: 'm', type: 'matrix', labelSet: 'agree5', text: t('M'), rows: ['x', 'y', 'z'].map((id) => ({ id, text: t(id) })) },
          { id: 'c1', type: 'single_choice', text: t('C1'), choices: [{ value: '5', label: t('Five') }] },
          { id: 'n1', type: 'number', text: t('N1') },
          { id: 'y1', type: 'yes_no', text: t('Y1') },
        ],
      },
    ],
    ...overrides,
  });
}

const instrument = def();

function scale(overrides: Partial<Scale> & Pick<Scale, 'items'>): Scale {
  return scaleSchema.parse({ id: 'sc', title: t('Scale'), method: 'mean', ...overrides });
}

const score = (overrides: Partial<Scale> & Pick<Scale, 'items'>, answers: Answers) => scoreScale(instrument, scale(overrides), answers);

describe('mean and sum', () => {
  it('averages the points', () => {
    // 4 + 2 + 3 = 9, / 3 = 3
    expect(score({ items: ['a1', 'a2', 'a3'] }, { a1: 4, a2: 2, a3: 3 })).toEqual({ scaleId: 'sc', score: 3, answered: 3, total: 3, valid: true, band: null });
  });

  it('reverse-codes listed items around the scale (max + min - value)', () => {
    // 4 + (5+1-2) + 3 = 11, / 3 = 3.667
    const result = score({ items: ['a1', 'a2', 'a3'], reverse: ['a2'] }, { a1: 4, a2: 2, a3: 3 });
    expect(result.score).toBeCloseTo(11 / 3, 10);
    expect(result.score!.toFixed(3)).toBe('3.667');
    expect(result).toMatchObject({ answered: 3, total: 3, valid: true });
  });

  it('sums the points, reverse-coded too', () => {
    // 4 + (5+1-2) + 3 = 11
    expect(score({ items: ['a1', 'a2', 'a3'], reverse: ['a2'], method: 'sum' }, { a1: 4, a2: 2, a3: 3 }).score).toBe(11);
    // 1 + 1 + 1 + 1 = 4; reversed all: (5+1-1) * 4 = 20
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], method: 'sum' }, { a1: 1, a2: 1, a3: 1, a4: 1 }).score).toBe(4);
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], reverse: ['a1', 'a2', 'a3', 'a4'], method: 'sum' }, { a1: 1, a2: 1, a3: 1, a4: 1 }).score).toBe(20);
  });

  it('reverse-codes a 4-point and a 7-point item around their own scales', () => {
    // (4+1-1) + 2 = 6, / 2 = 3
    expect(score({ items: ['f1', 'f2'], reverse: ['f1'] }, { f1: 1, f2: 2 }).score).toBe(3);
    // (7+1-2) + 7 = 13, / 2 = 6.5
    expect(score({ items: ['s1', 's2'], reverse: ['s1'] }, { s1: 2, s2: 7 }).score).toBe(6.5);
  });

  it('reverse-codes a rating from 0 to 10 around 0 and 10', () => {
    // 8 + (10+0-3) = 15, / 2 = 7.5
    expect(score({ items: ['z1', 'z2'], reverse: ['z2'] }, { z1: 8, z2: 3 }).score).toBe(7.5);
    expect(score({ items: ['z1', 'z2'], reverse: ['z2'], method: 'sum' }, { z1: 8, z2: 3 }).score).toBe(15);
    // (10+0-0) + (10+0-10) = 10 + 0 = 10
    expect(score({ items: ['z1', 'z2'], reverse: ['z1', 'z2'], method: 'sum' }, { z1: 0, z2: 10 }).score).toBe(10);
  });

  it('reverse-codes a rating from 2 to 6 around 2 and 6, not around 1', () => {
    // (6+2-2) + 5 = 6 + 5 = 11, / 2 = 5.5   (around 1 it would be (6+1-2) + 5 = 10, / 2 = 5)
    expect(score({ items: ['t1', 't2'], reverse: ['t1'] }, { t1: 2, t2: 5 }).score).toBe(5.5);
    // (6+2-6) = 2: the top of the scale becomes its bottom
    expect(score({ items: ['t1'], reverse: ['t1'], method: 'sum' }, { t1: 6 }).score).toBe(2);
  });

  it('scores matrix rows as items', () => {
    // 5 + (5+1-1) + 3 = 13, / 3 = 4.333
    const result = score({ items: ['m.x', 'm.y', 'm.z'], reverse: ['m.y'] }, { 'm.x': 5, 'm.y': 1, 'm.z': 3 });
    expect(result.score).toBeCloseTo(13 / 3, 10);
    expect(result.score!.toFixed(3)).toBe('4.333');
  });
});

describe('percent favourable', () => {
  it('counts the top two of 5 points', () => {
    // 5 ✓, 4 ✓, 3 ✗, 1 ✗ -> 2 / 4 = 50 %
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], method: 'percent_favorable' }, { a1: 5, a2: 4, a3: 3, a4: 1 }).score).toBe(50);
    // 4 ✓, 4 ✓, 4 ✓, 4 ✓ -> 100 %; 3 ✗ x4 -> 0 %
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], method: 'percent_favorable' }, { a1: 4, a2: 4, a3: 4, a4: 4 }).score).toBe(100);
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], method: 'percent_favorable' }, { a1: 3, a2: 3, a3: 3, a4: 3 }).score).toBe(0);
  });

  it('judges reverse-coded items after reversing', () => {
    // 5 ✓, 4 ✓, 3 ✗, (5+1-1)=5 ✓ -> 3 / 4 = 75 %
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], reverse: ['a4'], method: 'percent_favorable' }, { a1: 5, a2: 4, a3: 3, a4: 1 }).score).toBe(75);
    // (5+1-5)=1 ✗, 4 ✓, 3 ✗, 1 ✗ -> 1 / 4 = 25 %
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], reverse: ['a1'], method: 'percent_favorable' }, { a1: 5, a2: 4, a3: 3, a4: 1 }).score).toBe(25);
  });

  it('counts the top three of 7 points', () => {
    // 7 ✓, 5 ✓, 4 ✗, 3 ✗, 6 ✓ -> 3 / 5 = 60 %
    expect(score({ items: ['s1', 's2', 's3', 's4', 's5'], method: 'percent_favorable' }, { s1: 7, s2: 5, s3: 4, s4: 3, s5: 6 }).score).toBe(60);
  });

  it('counts the top two of 4 points', () => {
    // 3 ✓, 2 ✗, 4 ✓, 1 ✗ -> 2 / 4 = 50 %
    expect(score({ items: ['f1', 'f2', 'f3', 'f4'], method: 'percent_favorable' }, { f1: 3, f2: 2, f3: 4, f4: 1 }).score).toBe(50);
    // 3 ✓, (4+1-2)=3 ✓, 4 ✓, 1 ✗ -> 3 / 4 = 75 %
    expect(score({ items: ['f1', 'f2', 'f3', 'f4'], reverse: ['f2'], method: 'percent_favorable' }, { f1: 3, f2: 2, f3: 4, f4: 1 }).score).toBe(75);
  });

  it('counts the top three of a 1–6 rating', () => {
    // 4 ✓, 3 ✗, 6 ✓ -> 2 / 3 = 66.667 %
    const result = score({ items: ['r1', 'r2', 'r3'], method: 'percent_favorable' }, { r1: 4, r2: 3, r3: 6 });
    expect(result.score).toBeCloseTo(200 / 3, 10);
    expect(result.score!.toFixed(3)).toBe('66.667');
  });

  it('counts the top three of a 0–10 rating, reverse-coded too', () => {
    // 8 ✓, (10+0-3)=7 ✗ -> 1 / 2 = 50 %;  8 ✓, (10+0-1)=9 ✓ -> 100 %
    expect(score({ items: ['z1', 'z2'], reverse: ['z2'], method: 'percent_favorable' }, { z1: 8, z2: 3 }).score).toBe(50);
    expect(score({ items: ['z1', 'z2'], reverse: ['z2'], method: 'percent_favorable' }, { z1: 8, z2: 1 }).score).toBe(100);
  });

  it('starts where the label set says with favorableFrom', () => {
    // favourable from 3: 3 ✓, 2 ✗, 5 ✓, 1 ✗ -> 2 / 4 = 50 %  (the default, from 4, would give 1 / 4 = 25 %)
    expect(score({ items: ['e1', 'e2', 'e3', 'e4'], method: 'percent_favorable' }, { e1: 3, e2: 2, e3: 5, e4: 1 }).score).toBe(50);
  });

  it('counts a matrix row like an item', () => {
    // 5 ✓, (5+1-1)=5 ✓, 3 ✗ -> 2 / 3 = 66.667 %
    expect(score({ items: ['m.x', 'm.y', 'm.z'], reverse: ['m.y'], method: 'percent_favorable' }, { 'm.x': 5, 'm.y': 1, 'm.z': 3 }).score).toBeCloseTo(200 / 3, 10);
  });
});

describe('answers that count for nothing', () => {
  it('leaves out NA and DK, which still count in the total', () => {
    // a1 = 4, a2 = NA, a3 = DK, a4 = 2: mean (4 + 2) / 2 = 3; answered 2 of 4 = 50 %, so valid
    const answers = { a1: 4, a2: 'NA', a3: 'DK', a4: 2 };
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'] }, answers)).toEqual({ scaleId: 'sc', score: 3, answered: 2, total: 4, valid: true, band: null });
    // sum 4 + 2 = 6; favourable: 4 ✓, 2 ✗ -> 1 / 2 = 50 %
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], method: 'sum' }, answers).score).toBe(6);
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], method: 'percent_favorable' }, answers).score).toBe(50);
    // reversing an NA item changes nothing: 4 + 2 = 6, / 2 = 3
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], reverse: ['a2'] }, answers).score).toBe(3);
  });

  it('leaves out DK on a rating', () => {
    // r1 = DK, r2 = 5, r3 = 2: mean (5 + 2) / 2 = 3.5, answered 2 of 3
    expect(score({ items: ['r1', 'r2', 'r3'] }, { r1: 'DK', r2: 5, r3: 2 })).toMatchObject({ score: 3.5, answered: 2, total: 3 });
  });

  it('ignores answers to items that are not on a scale', () => {
    // c1 = "5", n1 = 5, y1 = true are no points; only a1 = 2 counts: 1 of 4 answered -> below half
    expect(score({ items: ['a1', 'c1', 'n1', 'y1'] }, { a1: 2, c1: '5', n1: 5, y1: true })).toMatchObject({ score: null, answered: 1, total: 4, valid: false });
  });
});

describe('minimum answered share', () => {
  it('scores at exactly one half by default', () => {
    // 2 of 4 answered = 0.5 >= 0.5: valid, (5 + 3) / 2 = 4
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'] }, { a1: 5, a2: 3 })).toEqual({ scaleId: 'sc', score: 4, answered: 2, total: 4, valid: true, band: null });
  });

  it('gives no score below one half', () => {
    // 1 of 3 answered = 0.333 < 0.5
    expect(score({ items: ['a1', 'a2', 'a3'] }, { a1: 5 })).toEqual({ scaleId: 'sc', score: null, answered: 1, total: 3, valid: false, band: null });
    // 2 of 5 = 0.4 < 0.5, for every method
    for (const method of ['mean', 'sum', 'percent_favorable'] as const) {
      expect(score({ items: ['a1', 'a2', 'a3', 'a4', 'a5'], method }, { a1: 5, a2: 5 }).score, method).toBeNull();
    }
    // 2 of 3 = 0.667: (5 + 4) / 2 = 4.5
    expect(score({ items: ['a1', 'a2', 'a3'] }, { a1: 5, a2: 4 }).score).toBe(4.5);
  });

  it('gives no score with nothing answered, even with minAnswered 0', () => {
    expect(score({ items: ['a1', 'a2'] }, {})).toMatchObject({ score: null, answered: 0, total: 2, valid: false });
    expect(score({ items: ['a1', 'a2'], minAnswered: 0 }, { a1: 'NA', a2: 'DK' })).toMatchObject({ score: null, answered: 0, valid: false });
    // 1 of 4 answered with minAnswered 0: valid, score 2
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], minAnswered: 0 }, { a1: 2 })).toMatchObject({ score: 2, answered: 1, valid: true });
  });

  it('holds to a scale\'s own share at its edge', () => {
    // 0.75: 3 of 4 = 0.75 valid ((1 + 2 + 3) / 3 = 2); 2 of 4 = 0.5 not
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], minAnswered: 0.75 }, { a1: 1, a2: 2, a3: 3 })).toMatchObject({ score: 2, valid: true });
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], minAnswered: 0.75 }, { a1: 1, a2: 2 })).toMatchObject({ score: null, valid: false });
    // 0.6: 3 of 5 = 0.6 valid (sum 1 + 1 + 1 = 3); 2 of 5 = 0.4 not
    expect(score({ items: ['a1', 'a2', 'a3', 'a4', 'a5'], minAnswered: 0.6, method: 'sum' }, { a1: 1, a2: 1, a3: 1 })).toMatchObject({ score: 3, valid: true });
    expect(score({ items: ['a1', 'a2', 'a3', 'a4', 'a5'], minAnswered: 0.6, method: 'sum' }, { a1: 1, a2: 1 })).toMatchObject({ score: null, valid: false });
    // 1: every item; 3 of 4 is not enough
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], minAnswered: 1 }, { a1: 1, a2: 2, a3: 3, a4: 4 })).toMatchObject({ score: 2.5, valid: true });
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], minAnswered: 1 }, { a1: 1, a2: 2, a3: 3, a4: 'NA' })).toMatchObject({ score: null, valid: false });
  });
});

describe('bands', () => {
  const bands = [
    { id: 'low', min: 1.0, max: 2.99, label: t('Low') },
    { id: 'mid', min: 3.0, max: 4.99, label: t('Middle') },
    { id: 'high', min: 5.0, max: 6.0, label: t('High') },
  ];

  it.each([
    [1.0, 'low'],
    [2.99, 'low'],
    [2.995, 'low'], // in the gap between 2.99 and 3.0: still the lower band
    [3.0, 'mid'],
    [4.99, 'mid'],
    [4.995, 'mid'],
    [5.0, 'high'],
    [6.0, 'high'],
    [0.99, null], // below the first band
    [6.01, null], // above the last band
    [-1, null],
    [100, null],
  ])('puts %s in %s', (value, band) => {
    expect(bandOf({ bands }, value)).toBe(band);
    // The order bands are written in does not matter.
    expect(bandOf({ bands: [...bands].reverse() }, value)).toBe(band);
  });

  it('gives no band without a score or without bands', () => {
    expect(bandOf({ bands }, null)).toBeNull();
    expect(bandOf({}, 3)).toBeNull();
    expect(bandOf({ bands: [] }, 3)).toBeNull();
  });

  it('bands a mean score', () => {
    const banded = (answers: Answers) => score({ items: ['r1', 'r2', 'r3'], bands }, answers);
    // (1 + 1 + 1) / 3 = 1.0 -> low;  (2 + 3 + 4) / 3 = 3.0 -> mid;  (6 + 6 + 6) / 3 = 6.0 -> high
    expect(banded({ r1: 1, r2: 1, r3: 1 })).toMatchObject({ score: 1, band: 'low' });
    expect(banded({ r1: 2, r2: 3, r3: 4 })).toMatchObject({ score: 3, band: 'mid' });
    expect(banded({ r1: 6, r2: 6, r3: 6 })).toMatchObject({ score: 6, band: 'high' });
    // (2 + 3 + 3) / 3 = 2.667 -> low;  (5 + 6) / 2 = 5.5 -> high
    expect(banded({ r1: 2, r2: 3, r3: 3 })).toMatchObject({ band: 'low' });
    expect(banded({ r1: 5, r2: 6 })).toMatchObject({ score: 5.5, band: 'high' });
    // 1 of 3 answered: no score, no band
    expect(banded({ r1: 6 })).toMatchObject({ score: null, band: null });
  });

  it('bands a favourable share', () => {
    const pfBands = [
      { id: 'concern', min: 0, max: 49.99, label: t('Concern') },
      { id: 'strength', min: 50, max: 100, label: t('Strength') },
    ];
    // 5 ✓, 4 ✓, 3 ✗, 1 ✗ -> 50 % -> strength (its edge);  5 ✓, 3 ✗, 3 ✗ -> 33.3 % -> concern
    expect(score({ items: ['a1', 'a2', 'a3', 'a4'], method: 'percent_favorable', bands: pfBands }, { a1: 5, a2: 4, a3: 3, a4: 1 }).band).toBe('strength');
    expect(score({ items: ['a1', 'a2', 'a3'], method: 'percent_favorable', bands: pfBands }, { a1: 5, a2: 3, a3: 3 }).band).toBe('concern');
  });
});

describe('itemPoint', () => {
  const range = { min: 1, max: 5, favorableFrom: 4 };
  it('is the value, or max + min - value reversed, and null for anything but a number', () => {
    expect(itemPoint(4, range, false)).toBe(4);
    expect(itemPoint(4, range, true)).toBe(2); // 5 + 1 - 4
    expect(itemPoint(0, { min: 0, max: 10, favorableFrom: 8 }, true)).toBe(10); // 10 + 0 - 0
    for (const v of ['NA', 'DK', 'PNS', '4', undefined, null, true, [4]]) expect(itemPoint(v, range, false)).toBeNull();
    expect(itemPoint(4, null, false)).toBeNull();
  });
});

describe('scoreAll', () => {
  it('scores every scale in order for one answer set', () => {
    const withScales = def({
      scales: [
        { id: 'climate', title: t('Climate'), method: 'mean', items: ['a1', 'a2', 'a3'], reverse: ['a2'] },
        { id: 'safety', title: t('Safety'), method: 'percent_favorable', items: ['s1', 's2'] },
        { id: 'wellbeing', title: t('Well-being'), method: 'sum', items: ['r1', 'r2', 'r3'], bands: [{ id: 'ok', min: 3, max: 18, label: t('OK') }] },
      ],
    });
    const scores = scoreAll(withScales, { a1: 4, a2: 2, a3: 3, s1: 6, s2: 3, r1: 4 });
    expect(scores.map((s) => s.scaleId)).toEqual(['climate', 'safety', 'wellbeing']);
    // climate: 4 + (5+1-2) + 3 = 11, / 3 = 3.667
    expect(scores[0].score).toBeCloseTo(11 / 3, 10);
    // safety: 6 ✓, 3 ✗ -> 1 / 2 = 50 %
    expect(scores[1]).toEqual({ scaleId: 'safety', score: 50, answered: 1 + 1, total: 2, valid: true, band: null });
    // well-being: 1 of 3 answered -> no score
    expect(scores[2]).toEqual({ scaleId: 'wellbeing', score: null, answered: 1, total: 3, valid: false, band: null });
    expect(scoreAll(instrument, {})).toEqual([]);
  });
});
