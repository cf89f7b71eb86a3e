import { describe, expect, it } from 'vitest';
import { answerLookup, validateAnswers, visibleItems } from './answers.js';
import { type InstrumentDefinition, instrumentDefinition } from './instrument.schema.js';

const t = (en: string) => ({ en });
const agree5 = { points: 5, labels: ['1', '2', '3', '4', '5'].map(t) };

/** A valid instrument: the given sections, or one section with the given items. */
function def(overrides: Record<string, unknown> = {}): InstrumentDefinition {
  return instrumentDefinition.parse({
    schemaVersion: 1,
    id: 'answers-test',
    version: 1,
    kind: 'self_assessment',
    audience: 'team',
    title: t('Answers'),
    defaultLanguage: 'en',
    languages: ['en'],
    labelSets: { agree5 },
    sections: [{ id: 's1', title: t('One'), items: [{ id: 'q1', type: 'yes_no', text: t('Q1') }] }],
    ...overrides,
  });
}

/**
 * consent (yes/no, required)
 *   q2 (likert, NA, required)           shown if consent == true
 *   skipped (text)                      shown if not answered(q2)
 *   q3 (number, required)               shown if q2 >= 4
 *   grade (demographic choice)
 *   services (multiple choice, required)
 * section why (shown if consent == false): reason (text, required)
 * section upper (shown if grade in [7, 8]): m (matrix r1, r2, NA, required)
 * section end: intro (note), total (calc), after (likert) shown if m.r1 >= 4
 */
const survey = def({
  sections: [
    {
      id: 's1',
      title: t('One'),
      items: [
        { id: 'consent', type: 'yes_no', text: t('Consent'), required: true },
        { id: 'q2', type: 'likert', labelSet: 'agree5', notApplicable: true, text: t('Q2'), required: true, showIf: 'consent == true' },
        { id: 'skipped', type: 'text', text: t('Why skip?'), showIf: 'not answered(q2)' },
        { id: 'q3', type: 'number', text: t('Q3'), required: true, showIf: 'q2 >= 4' },
        { id: 'grade', type: 'single_choice', demographic: 'grade', text: t('Grade'), choices: ['6', '7', '8'].map((value) => ({ value, label: t(value) })) },
        { id: 'services', type: 'multiple_choice', text: t('Services'), required: true, choices: ['a', 'b', 'c'].map((value) => ({ value, label: t(value) })) },
      ],
    },
    { id: 'why', title: t('Why'), showIf: 'consent == false', items: [{ id: 'reason', type: 'text', text: t('Reason'), required: true }] },
    {
      id: 'upper',
      title: t('Upper grades'),
      showIf: 'grade in [7, 8]',
      items: [{ id: 'm', type: 'matrix', labelSet: 'agree5', notApplicable: true, required: true, text: t('M'), rows: [{ id: 'r1', text: t('R1') }, { id: 'r2', text: t('R2') }] }],
    },
    {
      id: 'end',
      title: t('End'),
      items: [
        { id: 'intro', type: 'note', text: t('Thanks') },
        { id: 'total', type: 'calc', text: t('Total'), expression: 'q2 + 1' },
        { id: 'after', type: 'likert', labelSet: 'agree5', text: t('After'), showIf: 'm.r1 >= 4' },
      ],
    },
  ],
});

describe('validateAnswers: accepted answers', () => {
  it('keeps a complete, valid, visible set as it is, with no errors', () => {
    const raw = { consent: true, q2: 5, q3: 12.5, grade: '7', services: ['a', 'c'], 'm.r1': 4, 'm.r2': 'NA', after: 2 };
    expect(validateAnswers(survey, raw, { requireAnswers: true })).toEqual({ answers: raw, errors: [] });
  });

  it('returns a new object and leaves the input alone', () => {
    const raw = { consent: false, q2: 3 };
    const { answers } = validateAnswers(survey, raw);
    expect(answers).not.toBe(raw);
    expect(raw).toEqual({ consent: false, q2: 3 });
  });

  it('skips null and undefined values silently', () => {
    expect(validateAnswers(survey, { consent: true, q2: null, q3: undefined, nope: null })).toEqual({ answers: { consent: true }, errors: [] });
  });
});

describe('validateAnswers: errors', () => {
  it('names an unknown question in the error and drops it', () => {
    expect(validateAnswers(survey, { consent: true, nope: 3 })).toEqual({
      answers: { consent: true },
      errors: [{ item: 'nope', message: 'There is no question "nope" in this instrument.' }],
    });
  });

  it('knows matrix answers only by row, and notes and calcs take none', () => {
    const { errors } = validateAnswers(survey, { grade: '7', m: 3, 'm.r9': 3, intro: 'x', total: 4, 'M.R1': 3 });
    expect(errors).toEqual([
      { item: 'm', message: 'There is no question "m" in this instrument.' },
      { item: 'm.r9', message: 'There is no question "m.r9" in this instrument.' },
      { item: 'intro', message: 'There is no question "intro" in this instrument.' },
      { item: 'total', message: 'There is no question "total" in this instrument.' },
      { item: 'M.R1', message: 'There is no question "M.R1" in this instrument.' },
    ]);
  });

  it('rejects values outside an item\'s type or scale with the item\'s message, keeping the rest', () => {
    const { answers, errors } = validateAnswers(survey, { consent: true, q2: 6, q3: 'many', grade: '9', services: ['a', 'a'], 'm.r1': 'DK' });
    expect(errors).toEqual([
      { item: 'q2', message: 'Answer with a whole number from 1 to 5 or "NA".' },
      { item: 'q3', message: 'Answer with a number.' },
      { item: 'grade', message: 'Answer with one of: 6, 7, 8, PNS.' },
      { item: 'services', message: 'A choice is listed twice.' },
      { item: 'm.r1', message: 'Answer with a whole number from 1 to 5 or "NA".' },
    ]);
    expect(answers).toEqual({ consent: true });
  });

  it('checks the values of hidden items too (and then drops the good ones)', () => {
    const { answers, errors } = validateAnswers(survey, { consent: false, q2: 9, reason: 'busy' });
    expect(errors).toEqual([{ item: 'q2', message: 'Answer with a whole number from 1 to 5 or "NA".' }]);
    expect(answers).toEqual({ consent: false, reason: 'busy' });
  });

  it('takes special answers only where the item allows them', () => {
    const { answers, errors } = validateAnswers(survey, { consent: 'DK', q2: 'DK', grade: 'PNS', services: ['PNS'] });
    expect(errors).toEqual([
      { item: 'consent', message: 'Answer with true or false.' },
      { item: 'q2', message: 'Answer with a whole number from 1 to 5 or "NA".' },
      { item: 'services', message: 'Not a choice of this question: PNS.' },
    ]);
    expect(answers).toEqual({ grade: 'PNS' });
  });
});

describe('validateAnswers: hidden items', () => {
  it('drops answers to items hidden by their own show-if', () => {
    const { answers, errors } = validateAnswers(survey, { consent: false, q2: 5, reason: 'no time' });
    expect(errors).toEqual([]);
    expect(answers).toEqual({ consent: false, reason: 'no time' });
  });

  it('drops answers to every item of a section hidden by the section\'s show-if, matrix rows included', () => {
    expect(validateAnswers(survey, { consent: true, reason: 'x' }).answers).toEqual({ consent: true });
    expect(validateAnswers(survey, { grade: '6', 'm.r1': 3, 'm.r2': 2 }).answers).toEqual({ grade: '6' });
    expect(validateAnswers(survey, { grade: '8', 'm.r1': 3, 'm.r2': 2 }).answers).toEqual({ grade: '8', 'm.r1': 3, 'm.r2': 2 });
  });

  it('drops an answer whose only reason to show was an answer to a hidden item', () => {
    // consent == false hides q2, so its 5 counts for nothing and q3 (shown if q2 >= 4) is hidden too.
    expect(validateAnswers(survey, { consent: false, q2: 5, q3: 10 }).answers).toEqual({ consent: false });
    // The same across sections: grade 6 hides the matrix, so m.r1 = 5 does not show "after".
    expect(validateAnswers(survey, { grade: '6', 'm.r1': 5, after: 3 }).answers).toEqual({ grade: '6' });
    expect(validateAnswers(survey, { grade: '7', 'm.r1': 5, after: 3 }).answers).toEqual({ grade: '7', 'm.r1': 5, after: 3 });
  });

  it('hides items whose condition reads a missing answer', () => {
    // No consent: q2 hidden (comparison with null is false), q3 hidden, both extra sections hidden.
    expect([...visibleItems(survey, {})]).toEqual(['consent', 'skipped', 'grade', 'services', 'intro', 'total']);
  });
});

describe('special answers in conditions', () => {
  it('read NA, DK and PNS as no answer', () => {
    const read = answerLookup({ a: 'NA', b: 'DK', c: 'PNS', d: 3, e: 'text', f: ['x'], g: false });
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'missing'].map(read)).toEqual([null, null, null, 3, 'text', ['x'], false, null]);
  });

  it('so NA on q2 hides q3 (q2 >= 4) and shows "skipped" (not answered(q2))', () => {
    const shown = visibleItems(survey, { consent: true, q2: 'NA' });
    expect(shown.has('q2')).toBe(true);
    expect(shown.has('skipped')).toBe(true);
    expect(shown.has('q3')).toBe(false);
    const { answers } = validateAnswers(survey, { consent: true, q2: 'NA', skipped: 'not relevant', q3: 4 });
    expect(answers).toEqual({ consent: true, q2: 'NA', skipped: 'not relevant' });
  });

  it('so PNS on grade hides the section for grades 7 and 8', () => {
    expect(validateAnswers(survey, { grade: 'PNS', 'm.r1': 2 }).answers).toEqual({ grade: 'PNS' });
  });

  it('reads only the answers\' own keys', () => {
    const read = answerLookup({});
    expect(read('constructor')).toBeNull();
    expect(read('toString')).toBeNull();
    expect(read('__proto__')).toBeNull();
  });
});

describe('validateAnswers: requireAnswers', () => {
  it('reports required visible items without an answer, and only them', () => {
    // q2 and services are required and shown; q3 is required but hidden (q2 unanswered); the matrix
    // and reason are in hidden sections; grade and skipped are not required.
    const { errors } = validateAnswers(survey, { consent: true }, { requireAnswers: true });
    expect(errors).toEqual([
      { item: 'q2', message: 'This question needs an answer.' },
      { item: 'services', message: 'This question needs an answer.' },
    ]);
  });

  it('reports nothing missing without the option', () => {
    expect(validateAnswers(survey, {}).errors).toEqual([]);
  });

  it('follows the answers: another branch, another set of required items', () => {
    const { errors } = validateAnswers(survey, { consent: false, services: ['a'] }, { requireAnswers: true });
    expect(errors).toEqual([{ item: 'reason', message: 'This question needs an answer.' }]);
    const deeper = validateAnswers(survey, { consent: true, q2: 4, services: ['b'], grade: '7', 'm.r2': 1 }, { requireAnswers: true });
    expect(deeper.errors).toEqual([
      { item: 'q3', message: 'This question needs an answer.' },
      { item: 'm.r1', message: 'This question needs an answer.' },
    ]);
  });

  it('with no answers at all, reports the required items that show without any', () => {
    expect(validateAnswers(survey, {}, { requireAnswers: true }).errors).toEqual([
      { item: 'consent', message: 'This question needs an answer.' },
      { item: 'services', message: 'This question needs an answer.' },
    ]);
  });

  it('counts NA as an answer, but not an empty text or an empty list', () => {
    expect(validateAnswers(survey, { consent: true, q2: 'NA', services: ['a'] }, { requireAnswers: true }).errors).toEqual([]);
    expect(validateAnswers(survey, { consent: false, services: [], reason: '' }, { requireAnswers: true }).errors).toEqual([
      { item: 'services', message: 'This question needs an answer.' },
      { item: 'reason', message: 'This question needs an answer.' },
    ]);
  });

  it('reports a rejected answer to a required item both as wrong and as missing', () => {
    expect(validateAnswers(survey, { consent: 'yes', services: ['a'] }, { requireAnswers: true }).errors).toEqual([
      { item: 'consent', message: 'Answer with true or false.' },
      { item: 'consent', message: 'This question needs an answer.' },
    ]);
  });
});

describe('visibleItems', () => {
  it('shows items with no condition or a true one, in sections with no condition or a true one', () => {
    const shown = visibleItems(survey, { consent: true, q2: 4, grade: '7', 'm.r1': 4 });
    expect([...shown]).toEqual(['consent', 'q2', 'q3', 'grade', 'services', 'm', 'intro', 'total', 'after']);
  });

  it('shows an item whose condition does not parse (conditions are checked at publish)', () => {
    const broken = def({ sections: [{ id: 's1', title: t('One'), showIf: 'q1 ==', items: [{ id: 'q1', type: 'yes_no', text: t('Q1'), showIf: 'bad(' }] }] });
    expect([...visibleItems(broken, {})]).toEqual(['q1']);
    expect(validateAnswers(broken, { q1: true }).answers).toEqual({ q1: true });
  });

  it('does not mistake an item called "constructor" for an answered one', () => {
    const d = def({
      sections: [
        {
          id: 's1',
          title: t('One'),
          items: [
            { id: 'constructor', type: 'yes_no', text: t('Builder?'), required: true },
            { id: 'follow', type: 'text', text: t('Follow-up'), showIf: 'answered(constructor)' },
          ],
        },
      ],
    });
    expect(visibleItems(d, {}).has('follow')).toBe(false);
    expect(validateAnswers(d, { follow: 'x' }, { requireAnswers: true })).toEqual({ answers: {}, errors: [{ item: 'constructor', message: 'This question needs an answer.' }] });
    expect(validateAnswers(d, { constructor: false, follow: 'x' }).answers).toEqual({ constructor: false, follow: 'x' });
  });
});

describe('computed items', () => {
  const calc = def({
    sections: [
      {
        id: 's1',
        title: t('One'),
        items: [
          { id: 'a', type: 'number', text: t('A') },
          { id: 'b', type: 'number', text: t('B') },
          { id: 'total', type: 'calc', text: t('Total'), expression: 'a + b' },
          { id: 'big', type: 'yes_no', text: t('Big?'), showIf: 'total > 10' },
          { id: 'when', type: 'date', text: t('When') },
          { id: 'late', type: 'yes_no', text: t('Late?'), showIf: 'when >= "2026-09-01"' },
        ],
      },
    ],
  });

  it('computes a calc from earlier answers, and conditions read it', async () => {
    const { calcValues } = await import('./answers.js');
    // 4 + 7 = 11 > 10: "big" shows.
    expect(calcValues(calc, { a: 4, b: 7 })).toEqual({ total: 11 });
    expect(visibleItems(calc, { a: 4, b: 7 }).has('big')).toBe(true);
    // 4 + 5 = 9: hidden; with b missing the sum is null and the comparison false.
    expect(visibleItems(calc, { a: 4, b: 5 }).has('big')).toBe(false);
    expect(calcValues(calc, { a: 4 })).toEqual({ total: null });
    expect(validateAnswers(calc, { a: 4, b: 5, big: true }).answers).toEqual({ a: 4, b: 5 });
  });

  it('compares dates as dates', () => {
    expect(visibleItems(calc, { when: '2026-10-15' }).has('late')).toBe(true);
    expect(visibleItems(calc, { when: '2026-08-31' }).has('late')).toBe(false);
    expect(visibleItems(calc, {}).has('late')).toBe(false);
  });
});
