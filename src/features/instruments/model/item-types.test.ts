import { describe, expect, it } from 'vitest';
import { type InstrumentDefinition, instrumentDefinition, type Item, itemSchema, type LabelSet } from './instrument.schema.js';
import { allItems, allSlots, defaultFavorableFrom, itemTypes, specOf } from './item-types.js';

const labels = (n: number) => Array.from({ length: n }, (_, i) => ({ en: `Point ${i + 1}` }));
const set = (points: number, favorableFrom?: number): LabelSet => ({ points, labels: labels(points), ...(favorableFrom ? { favorableFrom } : {}) });
const labelSets: Record<string, LabelSet> = { agree2: set(2), agree3: set(3), agree4: set(4), agree5: set(5), agree7: set(7), freq5: set(5, 3) };
const ctx = { labelSets };

/** An item of `type`: the smallest valid one, with `extra` on top (checked by the schema). */
function item(type: Item['type'], extra: Record<string, unknown> = {}): Item {
  const base: Record<string, Record<string, unknown>> = {
    likert: { labelSet: 'agree5' },
    rating: { min: 1, max: 5 },
    single_choice: { choices: [{ value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'B' } }] },
    multiple_choice: { choices: ['a', 'b', 'c', 'd'].map((value) => ({ value, label: { en: value.toUpperCase() } })) },
    matrix: { labelSet: 'agree5', rows: [{ id: 'r1', text: { en: 'Row 1' } }, { id: 'r2', text: { en: 'Row 2' } }] },
    calc: { expression: '1 + 1' },
  };
  return itemSchema.parse({ id: 'q', text: { en: 'Question' }, type, ...base[type], ...extra });
}

/** The check of the item's first slot (or the slot `slotId`): null when fine, else the message. */
function check(target: Item, value: unknown, slotId?: string): string | null {
  const spec = specOf(target);
  const slot = spec.slots(target).find((s) => slotId === undefined || s.id === slotId) ?? { id: target.id, itemId: target.id, kind: 'text' as const };
  return spec.check(target, slot, value, ctx);
}

const accepts = (target: Item, values: unknown[]) => {
  for (const v of values) expect(check(target, v), JSON.stringify(v)).toBeNull();
};
const rejects = (target: Item, values: unknown[], message: string) => {
  for (const v of values) expect(check(target, v), JSON.stringify(v)).toBe(message);
};

describe('likert', () => {
  it('is one ordinal slot named by the item', () => {
    expect(specOf(item('likert')).slots(item('likert'))).toEqual([{ id: 'q', itemId: 'q', kind: 'ordinal' }]);
    expect(itemTypes.likert.answerable).toBe(true);
  });

  it('accepts the whole points of its label set', () => {
    accepts(item('likert'), [1, 2, 3, 4, 5]);
    accepts(item('likert', { labelSet: 'agree7' }), [1, 7]);
  });

  it('rejects points outside the set, fractions, text and other types', () => {
    rejects(item('likert'), [0, 6, -1, 2.5, '3', true, null, undefined, [3], NaN, Infinity], 'Answer with a whole number from 1 to 5.');
    rejects(item('likert', { labelSet: 'agree4' }), [5], 'Answer with a whole number from 1 to 4.');
  });

  it('takes NA only with notApplicable, DK only with dontKnow, and never PNS', () => {
    rejects(item('likert'), ['NA', 'DK', 'PNS'], 'Answer with a whole number from 1 to 5.');
    const na = item('likert', { notApplicable: true });
    accepts(na, ['NA']);
    rejects(na, ['DK', 'PNS', 'na'], 'Answer with a whole number from 1 to 5 or "NA".');
    const dk = item('likert', { dontKnow: true });
    accepts(dk, ['DK']);
    rejects(dk, ['NA', 'PNS'], 'Answer with a whole number from 1 to 5 or "DK".');
    const both = item('likert', { notApplicable: true, dontKnow: true });
    accepts(both, ['NA', 'DK', 1]);
    rejects(both, ['PNS', 6], 'Answer with a whole number from 1 to 5 or "NA" or "DK".');
  });

  it('takes nothing when its label set is missing', () => {
    rejects(item('likert', { labelSet: 'nowhere' }), [1], 'Answer with a whole number from 1 to 0.');
    expect(itemTypes.likert.range!(item('likert', { labelSet: 'nowhere' }) as never, ctx)).toBeNull();
  });

  it('ranges over the label set, favourable from the top two of five (or the set\'s own start)', () => {
    const range = (labelSet: string) => itemTypes.likert.range!(item('likert', { labelSet }) as never, ctx);
    expect(range('agree5')).toEqual({ min: 1, max: 5, favorableFrom: 4 }); // 4, 5
    expect(range('agree4')).toEqual({ min: 1, max: 4, favorableFrom: 3 }); // 3, 4
    expect(range('agree7')).toEqual({ min: 1, max: 7, favorableFrom: 5 }); // 5, 6, 7
    expect(range('freq5')).toEqual({ min: 1, max: 5, favorableFrom: 3 }); // explicit
  });
});

describe('rating', () => {
  it('accepts whole numbers from min to max, including a scale starting at 0', () => {
    accepts(item('rating', { min: 1, max: 6 }), [1, 3, 6]);
    accepts(item('rating', { min: 0, max: 10 }), [0, 5, 10]);
    rejects(item('rating', { min: 0, max: 10 }), [-1, 11, 2.5, '5', null], 'Answer with a whole number from 0 to 10.');
    rejects(item('rating', { min: 1, max: 6 }), [0, 7], 'Answer with a whole number from 1 to 6.');
  });

  it('takes DK only with dontKnow, and never NA (it has no not-applicable option) or PNS', () => {
    rejects(item('rating'), ['DK', 'NA', 'PNS'], 'Answer with a whole number from 1 to 5.');
    const dk = item('rating', { dontKnow: true });
    accepts(dk, ['DK']);
    rejects(dk, ['NA', 'PNS'], 'Answer with a whole number from 1 to 5 or "DK".');
  });

  it('ranges from min to max with the default favourable start', () => {
    const range = (min: number, max: number) => itemTypes.rating.range!(item('rating', { min, max }) as never, ctx);
    expect(range(1, 6)).toEqual({ min: 1, max: 6, favorableFrom: 4 }); // 6 points: top three, 4–6
    expect(range(0, 10)).toEqual({ min: 0, max: 10, favorableFrom: 8 }); // 11 points: top three, 8–10
    expect(range(2, 6)).toEqual({ min: 2, max: 6, favorableFrom: 5 }); // 5 points: top two, 5–6
    expect(range(1, 5)).toEqual({ min: 1, max: 5, favorableFrom: 4 });
  });
});

describe('defaultFavorableFrom', () => {
  it('is the top two of up to five points and the top three above', () => {
    expect(defaultFavorableFrom(3)).toBe(2); // 2, 3
    expect(defaultFavorableFrom(4)).toBe(3); // 3, 4
    expect(defaultFavorableFrom(5)).toBe(4); // 4, 5
    expect(defaultFavorableFrom(6)).toBe(4); // 4, 5, 6
    expect(defaultFavorableFrom(7)).toBe(5); // 5, 6, 7
    expect(defaultFavorableFrom(11, 0)).toBe(8); // 8, 9, 10
  });

  it('never counts the bottom point as favourable (two points: only the top one)', () => {
    expect(defaultFavorableFrom(2)).toBe(2);
    expect(defaultFavorableFrom(2, 0)).toBe(1);
    expect(itemTypes.likert.range!(item('likert', { labelSet: 'agree2' }) as never, ctx)).toEqual({ min: 1, max: 2, favorableFrom: 2 });
  });
});

describe('single_choice', () => {
  it('accepts one of its values, exactly as written', () => {
    const it1 = item('single_choice');
    expect(specOf(it1).slots(it1)).toEqual([{ id: 'q', itemId: 'q', kind: 'choice' }]);
    accepts(it1, ['a', 'b']);
    rejects(it1, ['c', 'A', '', ['a'], 1, null], 'Answer with one of: a, b.');
  });

  it('takes PNS only on demographic items, and never NA or DK', () => {
    rejects(item('single_choice'), ['PNS', 'NA', 'DK'], 'Answer with one of: a, b.');
    const demo = item('single_choice', { demographic: 'grade' });
    accepts(demo, ['PNS', 'a']);
    rejects(demo, ['NA', 'DK', 'pns'], 'Answer with one of: a, b, PNS.');
  });

  it('has no scale range', () => {
    expect(itemTypes.single_choice.range).toBeUndefined();
  });
});

describe('multiple_choice', () => {
  const multi = (extra: Record<string, unknown> = {}) => item('multiple_choice', extra);

  it('accepts a list of distinct values of its choices, including an empty list', () => {
    expect(specOf(multi()).slots(multi())).toEqual([{ id: 'q', itemId: 'q', kind: 'choices' }]);
    accepts(multi(), [['a'], ['a', 'c'], ['d', 'c', 'b', 'a'], []]);
  });

  it('rejects what is not a list of text', () => {
    rejects(multi(), ['a', 1, null, { a: true }, ['a', 1], [null]], 'Answer with a list of choice values.');
  });

  it('rejects a value listed twice and values that are not choices, naming them', () => {
    expect(check(multi(), ['a', 'a'])).toBe('A choice is listed twice.');
    expect(check(multi(), ['a', 'x', 'y'])).toBe('Not a choice of this question: x, y.');
  });

  it('holds to minSelect and maxSelect at their edges', () => {
    const limited = multi({ minSelect: 2, maxSelect: 3 });
    accepts(limited, [['a', 'b'], ['a', 'b', 'c']]);
    rejects(limited, [['a'], []], 'Choose at least 2.');
    rejects(limited, [['a', 'b', 'c', 'd']], 'Choose at most 3.');
  });

  it('takes ["PNS"] alone only on demographic items', () => {
    expect(check(multi(), ['PNS'])).toBe('Not a choice of this question: PNS.');
    const demo = multi({ demographic: 'home_language', minSelect: 1 });
    accepts(demo, [['PNS'], ['a']]);
    expect(check(demo, ['PNS', 'a'])).toBe('Not a choice of this question: PNS.');
    expect(check(demo, 'PNS')).toBe('Answer with a list of choice values.');
    expect(check(demo, ['NA'])).toBe('Not a choice of this question: NA.');
    expect(check(demo, ['DK'])).toBe('Not a choice of this question: DK.');
  });
});

describe('yes_no', () => {
  it('accepts true and false only', () => {
    const yn = item('yes_no');
    expect(specOf(yn).slots(yn)).toEqual([{ id: 'q', itemId: 'q', kind: 'boolean' }]);
    accepts(yn, [true, false]);
    rejects(yn, [1, 0, 'true', 'yes', null, 'DK', 'NA', 'PNS'], 'Answer with true or false.');
  });

  it('takes DK only with dontKnow', () => {
    const dk = item('yes_no', { dontKnow: true });
    accepts(dk, ['DK', true]);
    rejects(dk, ['NA', 'PNS'], 'Answer with true or false or "DK".');
  });
});

describe('number', () => {
  it('accepts finite numbers within min and max, at the edges too', () => {
    const n = item('number', { min: 0, max: 10 });
    expect(specOf(n).slots(n)).toEqual([{ id: 'q', itemId: 'q', kind: 'number' }]);
    accepts(n, [0, 10, 2.5]);
    expect(check(n, -0.1)).toBe('The smallest allowed value is 0.');
    expect(check(n, 10.01)).toBe('The largest allowed value is 10.');
    accepts(item('number'), [-1e9, 1e9, 0]);
  });

  it('rejects text, NaN and infinities', () => {
    rejects(item('number'), ['5', NaN, Infinity, -Infinity, null, true, [1]], 'Answer with a number.');
  });

  it('asks for whole numbers when integer', () => {
    const n = item('number', { integer: true, min: 0 });
    accepts(n, [0, 3]);
    expect(check(n, 2.5)).toBe('Answer with a whole number.');
    expect(check(n, -1)).toBe('The smallest allowed value is 0.');
  });

  it('takes DK only with dontKnow, and never NA or PNS', () => {
    rejects(item('number'), ['DK', 'NA', 'PNS'], 'Answer with a number.');
    const dk = item('number', { dontKnow: true });
    accepts(dk, ['DK']);
    rejects(dk, ['NA', 'PNS'], 'Answer with a number.');
  });
});

describe('text', () => {
  it('accepts text up to 500 characters, 5000 when multiline, or maxLength', () => {
    const t = item('text');
    expect(specOf(t).slots(t)).toEqual([{ id: 'q', itemId: 'q', kind: 'text' }]);
    accepts(t, ['', 'hello', 'x'.repeat(500)]);
    expect(check(t, 'x'.repeat(501))).toBe('Use at most 500 characters.');
    const long = item('text', { multiline: true });
    accepts(long, ['x'.repeat(5000)]);
    expect(check(long, 'x'.repeat(5001))).toBe('Use at most 5000 characters.');
    const short = item('text', { maxLength: 10, multiline: true });
    accepts(short, ['x'.repeat(10)]);
    expect(check(short, 'x'.repeat(11))).toBe('Use at most 10 characters.');
  });

  it('rejects what is not text', () => {
    rejects(item('text'), [1, true, ['a'], null, { a: 1 }], 'Answer with text.');
  });

  it('checks email addresses, letting an empty answer through', () => {
    const email = item('text', { format: 'email' });
    accepts(email, ['a@b.co', 'first.last@school.example.org', '']);
    rejects(email, ['not an email', 'a@b', '@b.co', 'a b@c.de'], 'Enter an email address.');
  });
});

describe('date', () => {
  it('accepts real calendar dates as YYYY-MM-DD', () => {
    const d = item('date');
    expect(specOf(d).slots(d)).toEqual([{ id: 'q', itemId: 'q', kind: 'date' }]);
    accepts(d, ['2024-01-01', '2024-02-29', '2023-12-31', '2000-02-29']);
  });

  it('rejects other shapes and dates that do not exist', () => {
    rejects(
      item('date'),
      ['2024-1-01', '24-01-01', '2024/01/01', '2024-01-01T00:00:00Z', '2024-13-01', '2024-00-10', '2024-01-32', '2023-02-29', '2024-02-30', '2024-04-31', '1900-02-29', 20240101, null, ''],
      'Answer with a date as YYYY-MM-DD.',
    );
  });

  it('holds to min and max, inclusive', () => {
    const d = item('date', { min: '2024-09-01', max: '2025-06-30' });
    accepts(d, ['2024-09-01', '2025-06-30']);
    expect(check(d, '2024-08-31')).toBe('The earliest allowed date is 2024-09-01.');
    expect(check(d, '2025-07-01')).toBe('The latest allowed date is 2025-06-30.');
  });
});

describe('matrix', () => {
  it('has one ordinal slot per row, named item.row', () => {
    const m = item('matrix');
    expect(specOf(m).slots(m)).toEqual([
      { id: 'q.r1', itemId: 'q', rowId: 'r1', kind: 'ordinal' },
      { id: 'q.r2', itemId: 'q', rowId: 'r2', kind: 'ordinal' },
    ]);
  });

  it('checks every row against the label set, with NA and DK as allowed', () => {
    const m = item('matrix', { labelSet: 'agree4', notApplicable: true });
    expect(check(m, 4, 'q.r1')).toBeNull();
    expect(check(m, 'NA', 'q.r2')).toBeNull();
    expect(check(m, 5, 'q.r2')).toBe('Answer with a whole number from 1 to 4 or "NA".');
    expect(check(m, 'DK', 'q.r1')).toBe('Answer with a whole number from 1 to 4 or "NA".');
    expect(check(m, 'PNS', 'q.r1')).toBe('Answer with a whole number from 1 to 4 or "NA".');
    const dk = item('matrix', { dontKnow: true });
    expect(check(dk, 'DK', 'q.r1')).toBeNull();
    expect(check(dk, 'NA', 'q.r1')).toBe('Answer with a whole number from 1 to 5 or "DK".');
  });

  it('ranges over its label set', () => {
    expect(itemTypes.matrix.range!(item('matrix', { labelSet: 'agree7' }) as never, ctx)).toEqual({ min: 1, max: 7, favorableFrom: 5 });
    expect(itemTypes.matrix.range!(item('matrix', { labelSet: 'freq5' }) as never, ctx)).toEqual({ min: 1, max: 5, favorableFrom: 3 });
    expect(itemTypes.matrix.range!(item('matrix', { labelSet: 'none' }) as never, ctx)).toBeNull();
  });
});

describe('note and calc', () => {
  it('take no answer at all', () => {
    const note = item('note');
    const calc = item('calc');
    expect(specOf(note).slots(note)).toEqual([]);
    expect(specOf(calc).slots(calc)).toEqual([]);
    expect(itemTypes.note.answerable).toBe(false);
    expect(itemTypes.calc.answerable).toBe(false);
    rejects(note, ['x', 1, 'NA'], 'This is a note; it takes no answer.');
    rejects(calc, [2, 'NA'], 'This value is computed; it takes no answer.');
  });
});

describe('every item type', () => {
  it('has a spec, and only answerable types have slots', () => {
    const types = Object.keys(itemTypes).sort();
    expect(types).toEqual(['calc', 'date', 'likert', 'matrix', 'multiple_choice', 'note', 'number', 'rating', 'single_choice', 'text', 'yes_no']);
    for (const type of types as Item['type'][]) {
      const it1 = item(type);
      expect(specOf(it1).slots(it1).length > 0, type).toBe(itemTypes[type].answerable);
      // Only ordinal types have a range.
      expect(typeof itemTypes[type].range === 'function', type).toBe(['likert', 'rating', 'matrix'].includes(type));
    }
  });

  it('gives a message (never a throw) for every wrong kind of value', () => {
    for (const type of Object.keys(itemTypes) as Item['type'][]) {
      const it1 = item(type);
      for (const v of [undefined, null, {}, Symbol.iterator, () => 1, -Infinity]) {
        const message = check(it1, v);
        expect(typeof message, `${type} ${String(v)}`).toBe('string');
        expect(message!.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('allItems and allSlots', () => {
  function def(): InstrumentDefinition {
    return instrumentDefinition.parse({
      schemaVersion: 1,
      id: 'slots',
      version: 1,
      kind: 'self_assessment',
      audience: 'team',
      title: { en: 'Slots' },
      defaultLanguage: 'en',
      languages: ['en'],
      labelSets,
      sections: [
        { id: 's1', title: { en: 'One' }, items: [item('note', { id: 'intro' }), item('likert', { id: 'q1' }), item('matrix', { id: 'm' })] },
        { id: 's2', title: { en: 'Two' }, items: [item('calc', { id: 'total' }), item('yes_no', { id: 'q2' })] },
      ],
    });
  }

  it('lists items with their section, in order', () => {
    expect(allItems(def()).map(({ item: i, sectionId }) => `${sectionId}/${i.id}`)).toEqual(['s1/intro', 's1/q1', 's1/m', 's2/total', 's2/q2']);
  });

  it('lists answer slots in order, matrix rows as item.row, notes and calcs left out', () => {
    const slots = allSlots(def());
    expect(slots.map((s) => [s.id, s.kind])).toEqual([
      ['q1', 'ordinal'],
      ['m.r1', 'ordinal'],
      ['m.r2', 'ordinal'],
      ['q2', 'boolean'],
    ]);
    expect(slots[1].item.id).toBe('m');
  });
});
