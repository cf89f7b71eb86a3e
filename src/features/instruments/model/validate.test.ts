import { describe, expect, it } from 'vitest';
import { instrumentDefinition } from './instrument.schema.js';
import { type DefinitionIssue, missingTranslations, validateDefinition } from './validate.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const t = (en: string) => ({ en });
const labelSet = (points: number, labels = points) => ({ points, labels: Array.from({ length: labels }, (_, i) => t(`P${i + 1}`)) });
const likert = (id: string, extra: Raw = {}) => ({ id, type: 'likert', labelSet: 'agree5', text: t(id), ...extra });
const choices = (...values: string[]) => values.map((value) => ({ value, label: t(value) }));

/** The smallest valid instrument: one section of two likert items, one scale over both. */
function base(): Raw {
  return {
    schemaVersion: 1,
    id: 'climate',
    version: 1,
    kind: 'self_assessment',
    audience: 'team',
    title: t('Climate'),
    defaultLanguage: 'en',
    languages: ['en'],
    labelSets: { agree5: labelSet(5) },
    sections: [{ id: 's1', title: t('One'), items: [likert('q1'), likert('q2')] }],
    scales: [{ id: 'sc', title: t('Scale'), method: 'mean', items: ['q1', 'q2'] }],
  };
}

/** The base instrument with `change` applied, validated. */
function validate(change: (d: Raw) => void = () => {}, knownTags?: Set<string>) {
  const d = base();
  change(d);
  return validateDefinition(d, knownTags);
}

/** The issues of the changed base instrument. */
const issuesOf = (change: (d: Raw) => void, knownTags?: Set<string>) => validate(change, knownTags).issues;
const error = (path: string, message: string): DefinitionIssue => ({ path, message, severity: 'error' });
const warning = (path: string, message: string): DefinitionIssue => ({ path, message, severity: 'warning' });
/** Sets the items of the first section. */
const withItems =
  (...items: Raw[]) =>
  (d: Raw) => {
    d.sections[0].items = items;
    d.scales = [];
  };

describe('validateDefinition: the base case and the schema', () => {
  it('passes a minimal valid instrument with no issues, with schema defaults filled in', () => {
    const { definition, issues } = validate();
    expect(issues).toEqual([]);
    expect(definition).toEqual(instrumentDefinition.parse(base()));
    const bare = validateDefinition({ ...base(), labelSets: undefined, scales: undefined, sections: [{ id: 's1', title: t('S'), items: [{ id: 'n', type: 'note', text: t('Hi') }] }] });
    expect(bare.issues).toEqual([]);
    expect(bare.definition).toMatchObject({ labelSets: {}, scales: [] });
  });

  it('reports shape errors with their paths and no definition', () => {
    const { definition, issues } = validate((d) => {
      d.kind = 'quiz';
      d.sections[0].items[0].id = 'Q1';
    });
    expect(definition).toBeNull();
    expect(issues.map((i) => [i.path, i.severity])).toEqual(
      expect.arrayContaining([
        ['kind', 'error'],
        ['sections.0.items.0.id', 'error'],
      ]),
    );
    expect(issues.find((i) => i.path === 'sections.0.items.0.id')!.message).toBe('Use lower-case letters, digits and underscores, starting with a letter.');
    expect(validateDefinition(null).definition).toBeNull();
    expect(validateDefinition({ ...base(), sections: [] }).issues.map((i) => i.path)).toEqual(['sections']);
  });
});

describe('validateDefinition: ids', () => {
  it('refuses two items with one id, across sections too', () => {
    expect(
      issuesOf((d) => {
        d.sections.push({ id: 's2', title: t('Two'), items: [likert('q1')] });
      }),
    ).toEqual([error('sections.1.items.0.id', 'Another question is already called "q1".')]);
    expect(issuesOf((d) => d.sections[0].items.push(likert('q2')))).toEqual([error('sections.0.items.2.id', 'Another question is already called "q2".')]);
  });

  it('refuses two sections, two scales, two rows or two choices with one id', () => {
    expect(issuesOf((d) => d.sections.push({ id: 's1', title: t('Again'), items: [] }))).toEqual([error('sections.1.id', 'Another section is already called "s1".')]);
    expect(issuesOf((d) => d.scales.push({ id: 'sc', title: t('Again'), method: 'sum', items: ['q1'] }))).toEqual([error('scales.1.id', 'Another scale is already called "sc".')]);
    expect(
      issuesOf(withItems({ id: 'm', type: 'matrix', labelSet: 'agree5', text: t('M'), rows: [{ id: 'r1', text: t('A') }, { id: 'r1', text: t('B') }] })),
    ).toEqual([error('sections.0.items.0.rows', 'Two rows have the same id.')]);
    expect(issuesOf(withItems({ id: 'c', type: 'single_choice', text: t('C'), choices: choices('a', 'b', 'a') }))).toEqual([error('sections.0.items.0.choices', 'Two choices have the same value.')]);
    expect(issuesOf(withItems({ id: 'c', type: 'multiple_choice', text: t('C'), choices: choices('x', 'x') }))).toEqual([error('sections.0.items.0.choices', 'Two choices have the same value.')]);
  });
});

describe('validateDefinition: label sets', () => {
  it('refuses a likert or matrix item naming a missing label set', () => {
    expect(issuesOf((d) => (d.sections[0].items[1].labelSet = 'agree9'))).toEqual([error('sections.0.items.1.labelSet', 'There is no label set "agree9".')]);
    expect(
      issuesOf(withItems({ id: 'm', type: 'matrix', labelSet: 'freq', text: t('M'), rows: [{ id: 'r1', text: t('A') }] })),
    ).toEqual([error('sections.0.items.0.labelSet', 'There is no label set "freq".')]);
  });

  it('refuses a label set whose labels do not match its points', () => {
    expect(issuesOf((d) => (d.labelSets.agree5 = labelSet(5, 4)))).toEqual([error('labelSets.agree5.labels', 'A 5-point label set needs 5 labels, not 4.')]);
    expect(issuesOf((d) => (d.labelSets.agree5 = labelSet(5, 6)))).toEqual([error('labelSets.agree5.labels', 'A 5-point label set needs 5 labels, not 6.')]);
  });

  it('refuses a favourable start beyond the scale, and takes one at its top', () => {
    expect(issuesOf((d) => (d.labelSets.agree5.favorableFrom = 6))).toEqual([error('labelSets.agree5.favorableFrom', 'Favourable answers must start within the scale.')]);
    expect(issuesOf((d) => (d.labelSets.agree5.favorableFrom = 5))).toEqual([]);
  });
});

describe('validateDefinition: expressions', () => {
  it('reports a condition that does not parse, with the character (1-based) where it fails', () => {
    // q1 == "abc: the quote opens at index 6, character 7
    expect(issuesOf((d) => (d.sections[0].items[1].showIf = 'q1 == "abc'))).toEqual([error('sections.0.items.1.showIf', 'The condition: A quoted text is not closed. (at character 7)')]);
    // q1 >> 2: the second ">" at index 4, character 5
    expect(issuesOf((d) => (d.sections[0].items[1].showIf = 'q1 >> 2'))).toEqual([error('sections.0.items.1.showIf', 'The condition: Unexpected ">". (at character 5)')]);
    expect(issuesOf((d) => (d.sections[0].items[1].showIf = 'q1 ~ 2'))).toEqual([error('sections.0.items.1.showIf', 'The condition: Unexpected character "~". (at character 4)')]);
  });

  it('reports a section condition that does not parse', () => {
    expect(
      issuesOf((d) => d.sections.push({ id: 's2', title: t('Two'), showIf: 'answered(q1) and foo(q2)', items: [] })),
    ).toEqual([error('sections.1.showIf', 'The condition: Unknown function "foo". (at character 18)')]);
  });

  it('reports a calculation that does not parse', () => {
    expect(issuesOf((d) => d.sections[0].items.push({ id: 'total', type: 'calc', text: t('Total'), expression: 'round(q1, q2)' }))).toEqual([
      error('sections.0.items.2.expression', 'The calculation: round() takes 1 value. (at character 1)'),
    ]);
    expect(issuesOf((d) => d.sections[0].items.push({ id: 'total', type: 'calc', text: t('Total'), expression: 'q1 +' }))).toEqual([
      error('sections.0.items.2.expression', 'The calculation: The expression ends too early. (at character 5)'),
    ]);
  });

  it('takes conditions and calculations that read earlier answers', () => {
    expect(
      issuesOf((d) => {
        d.sections[0].items[1].showIf = 'q1 >= 4';
        d.sections[0].items.push({ id: 'total', type: 'calc', text: t('Total'), expression: '(q1 + q2) / 2' });
        d.sections.push({ id: 's2', title: t('Two'), showIf: 'total > 3 or answered(q2)', items: [likert('q3', { showIf: 'total > 2' })] });
      }),
    ).toEqual([]);
  });

  it('refuses conditions that read later answers or their own', () => {
    expect(issuesOf((d) => (d.sections[0].items[0].showIf = 'q2 > 3'))).toEqual([error('sections.0.items.0.showIf', 'The condition reads "q2", which comes later; it can only read earlier answers.')]);
    expect(issuesOf((d) => (d.sections[0].items[1].showIf = 'not answered(q2)'))).toEqual([error('sections.0.items.1.showIf', 'The condition reads "q2", which comes later; it can only read earlier answers.')]);
  });

  it('refuses a section condition reading its own items', () => {
    expect(issuesOf((d) => d.sections.push({ id: 's2', title: t('Two'), showIf: 'q1 == 1 and q3 == 1', items: [likert('q3')] }))).toEqual([
      error('sections.1.showIf', 'The condition reads "q3", which comes later; it can only read earlier answers.'),
    ]);
    expect(issuesOf((d) => (d.sections[0].showIf = 'q1 == 1'))).toEqual([error('sections.0.showIf', 'The condition reads "q1", which comes later; it can only read earlier answers.')]);
  });

  it('refuses calculations reading later answers or themselves', () => {
    expect(issuesOf((d) => d.sections[0].items.unshift({ id: 'total', type: 'calc', text: t('Total'), expression: 'q1 + q2' }))).toEqual([
      error('sections.0.items.0.expression', 'The calculation reads "q1", which comes later; it can only read earlier answers.'),
      error('sections.0.items.0.expression', 'The calculation reads "q2", which comes later; it can only read earlier answers.'),
    ]);
    expect(issuesOf((d) => d.sections[0].items.push({ id: 'total', type: 'calc', text: t('Total'), expression: 'total + 1' }))).toEqual([
      error('sections.0.items.2.expression', 'The calculation reads "total", which comes later; it can only read earlier answers.'),
    ]);
  });

  it('reports a later calculation as later, not as missing', () => {
    expect(
      issuesOf((d) => {
        d.sections[0].items[0].showIf = 'total > 2';
        d.sections[0].items.push({ id: 'total', type: 'calc', text: t('Total'), expression: 'q1 + q2' });
      }),
    ).toEqual([error('sections.0.items.0.showIf', 'The condition reads "total", which comes later; it can only read earlier answers.')]);
  });

  it('refuses names that are no question of the instrument', () => {
    expect(issuesOf((d) => (d.sections[0].items[1].showIf = 'zz == 1 or Q1 == 1'))).toEqual([
      error('sections.0.items.1.showIf', 'The condition names "zz", which is not a question of this instrument.'),
      error('sections.0.items.1.showIf', 'The condition names "Q1", which is not a question of this instrument.'),
    ]);
  });

  it('refuses names of notes and of a whole matrix, which have no answer to read', () => {
    const change = (showIf: string) =>
      withItems(
        { id: 'intro', type: 'note', text: t('Intro') },
        { id: 'm', type: 'matrix', labelSet: 'agree5', text: t('M'), rows: [{ id: 'r1', text: t('A') }, { id: 'r2', text: t('B') }] },
        likert('q1', { showIf }),
      );
    expect(issuesOf(change('answered(intro)'))).toEqual([error('sections.0.items.2.showIf', 'The condition names "intro", which takes no answer.')]);
    expect(issuesOf(change('m > 3'))).toEqual([error('sections.0.items.2.showIf', 'The condition names "m", which takes no answer; name a row, as "m.r1".')]);
    expect(issuesOf(change('m.r1 > 3 and m.r2 < 2'))).toEqual([]);
    expect(issuesOf(change('m.r3 > 3'))).toEqual([error('sections.0.items.2.showIf', 'The condition names "m.r3", which is not a question of this instrument.')]);
  });

  it('refuses a condition reading a matrix row before the matrix', () => {
    expect(
      issuesOf(withItems(likert('q1', { showIf: 'm.r1 == 5' }), { id: 'm', type: 'matrix', labelSet: 'agree5', text: t('M'), rows: [{ id: 'r1', text: t('A') }] })),
    ).toEqual([error('sections.0.items.0.showIf', 'The condition reads "m.r1", which comes later; it can only read earlier answers.')]);
  });
});

describe('validateDefinition: scales', () => {
  const items = [
    likert('q1'),
    likert('q2'),
    { id: 'r', type: 'rating', min: 0, max: 10, text: t('R') },
    { id: 'm', type: 'matrix', labelSet: 'agree5', text: t('M'), rows: [{ id: 'r1', text: t('A') }] },
    { id: 'c', type: 'single_choice', text: t('C'), choices: choices('a') },
    { id: 'mc', type: 'multiple_choice', text: t('MC'), choices: choices('a') },
    { id: 'n', type: 'number', text: t('N') },
    { id: 'y', type: 'yes_no', text: t('Y') },
    { id: 'tx', type: 'text', text: t('T') },
    { id: 'dt', type: 'date', text: t('D') },
    { id: 'total', type: 'calc', text: t('Total'), expression: 'q1 + q2' },
  ];
  const withScale = (scale: Raw) => (d: Raw) => {
    d.sections[0].items = items;
    d.scales = [{ id: 'sc', title: t('Scale'), method: 'mean', ...scale }];
  };

  it('takes likert items, ratings and matrix rows', () => {
    expect(issuesOf(withScale({ items: ['q1', 'q2', 'r', 'm.r1'], reverse: ['q2', 'm.r1'] }))).toEqual([]);
  });

  it('refuses items that do not exist, including a whole matrix and a calculation', () => {
    expect(issuesOf(withScale({ items: ['q1', 'q9', 'm', 'total'] }))).toEqual([
      error('scales.0.items', 'The scale names "q9", which is not a question of this instrument.'),
      error('scales.0.items', 'The scale names "m", which is not a question of this instrument.'),
      error('scales.0.items', 'The scale names "total", which is not a question of this instrument.'),
    ]);
  });

  it('refuses items not answered on a scale', () => {
    expect(issuesOf(withScale({ items: ['q1', 'c', 'mc', 'n', 'y', 'tx', 'dt'] }))).toEqual(
      ['c', 'mc', 'n', 'y', 'tx', 'dt'].map((id) => error('scales.0.items', `"${id}" is not answered on a scale, so it cannot be scored.`)),
    );
  });

  it('refuses an item listed twice, and a reverse-coded item not in the scale', () => {
    expect(issuesOf(withScale({ items: ['q1', 'q2', 'q1'] }))).toEqual([error('scales.0.items', 'A question is listed twice in the scale.')]);
    expect(issuesOf(withScale({ items: ['q1'], reverse: ['q2'] }))).toEqual([error('scales.0.reverse', '"q2" is reverse-coded but not in the scale.')]);
  });

  const band = (id: string, min: number, max: number) => ({ id, min, max, label: t(id) });

  it('takes bands that follow one another, in any order', () => {
    expect(issuesOf(withScale({ items: ['q1'], bands: [band('high', 5.0, 6.0), band('low', 1.0, 2.99), band('mid', 3.0, 4.99)] }))).toEqual([]);
  });

  it('refuses overlapping bands, touching edges included', () => {
    expect(issuesOf(withScale({ items: ['q1'], bands: [band('low', 1, 3.5), band('high', 3, 5)] }))).toEqual([error('scales.0.bands', 'Bands "low" and "high" overlap.')]);
    expect(issuesOf(withScale({ items: ['q1'], bands: [band('high', 3, 5), band('low', 1, 3)] }))).toEqual([error('scales.0.bands', 'Bands "low" and "high" overlap.')]);
    expect(issuesOf(withScale({ items: ['q1'], bands: [band('all', 1, 5), band('inner', 2, 3)] }))).toEqual([error('scales.0.bands', 'Bands "all" and "inner" overlap.')]);
  });

  it('refuses a band that starts above its end', () => {
    expect(issuesOf(withScale({ items: ['q1'], bands: [band('odd', 4, 2)] }))).toEqual([error('scales.0.bands', 'Band "odd" starts above its end.')]);
  });
});

describe('validateDefinition: items', () => {
  it('makes every survey question skippable', () => {
    const survey = (d: Raw) => {
      d.kind = 'survey';
      d.audience = 'student';
    };
    expect(
      issuesOf((d) => {
        survey(d);
        d.sections[0].items[1].required = true;
      }),
    ).toEqual([error('sections.0.items.1.required', 'Every survey question must be skippable.')]);
    expect(
      issuesOf((d) => {
        survey(d);
        d.sections[0].items[1].required = false;
      }),
    ).toEqual([]);
    // Team instruments may require answers.
    expect(issuesOf((d) => (d.sections[0].items[1].required = true))).toEqual([]);
  });

  it('makes every demographic question skippable, also on team instruments', () => {
    expect(issuesOf(withItems({ id: 'g', type: 'single_choice', demographic: 'grade', required: true, text: t('Grade'), choices: choices('6', '7') }))).toEqual([
      error('sections.0.items.0.required', 'Demographic questions are always skippable.'),
    ]);
    expect(issuesOf(withItems({ id: 'l', type: 'multiple_choice', demographic: 'home_language', required: true, text: t('Languages'), choices: choices('en', 'fr') }))).toEqual([
      error('sections.0.items.0.required', 'Demographic questions are always skippable.'),
    ]);
    // A required demographic question on a survey breaks both rules.
    expect(
      issuesOf((d) => {
        withItems({ id: 'g', type: 'single_choice', demographic: 'grade', required: true, text: t('Grade'), choices: choices('6') })(d);
        d.kind = 'survey';
      }),
    ).toEqual([error('sections.0.items.0.required', 'Every survey question must be skippable.'), error('sections.0.items.0.required', 'Demographic questions are always skippable.')]);
  });

  it.each(['NA', 'DK', 'PNS'])('keeps the choice value %s for special answers', (value) => {
    const message = 'NA, DK and PNS are kept for "not applicable", "don\'t know" and "prefer not to say".';
    expect(issuesOf(withItems({ id: 'c', type: 'single_choice', text: t('C'), choices: choices('a', value) }))).toEqual([error('sections.0.items.0.choices', message)]);
    expect(issuesOf(withItems({ id: 'c', type: 'multiple_choice', text: t('C'), choices: choices(value) }))).toEqual([error('sections.0.items.0.choices', message)]);
    // Only the exact spelling is kept.
    expect(issuesOf(withItems({ id: 'c', type: 'single_choice', text: t('C'), choices: choices(value.toLowerCase()) }))).toEqual([]);
  });

  it('refuses ranges that end before they start', () => {
    expect(issuesOf(withItems({ id: 'r', type: 'rating', min: 5, max: 5, text: t('R') }))).toEqual([error('sections.0.items.0.max', 'The top of the scale must be above its bottom.')]);
    expect(issuesOf(withItems({ id: 'r', type: 'rating', min: 6, max: 5, text: t('R') }))).toEqual([error('sections.0.items.0.max', 'The top of the scale must be above its bottom.')]);
    expect(issuesOf(withItems({ id: 'n', type: 'number', min: 10, max: 1, text: t('N') }))).toEqual([error('sections.0.items.0.max', 'The largest value must not be below the smallest.')]);
    expect(issuesOf(withItems({ id: 'n', type: 'number', min: 3, max: 3, text: t('N') }))).toEqual([]);
    expect(issuesOf(withItems({ id: 'mc', type: 'multiple_choice', minSelect: 3, maxSelect: 2, text: t('MC'), choices: choices('a', 'b', 'c') }))).toEqual([
      error('sections.0.items.0.maxSelect', 'The most choices must not be below the fewest.'),
    ]);
    expect(issuesOf(withItems({ id: 'd', type: 'date', min: '2025-06-30', max: '2024-09-01', text: t('D') }))).toEqual([error('sections.0.items.0.max', 'The latest date must not be before the earliest.')]);
    expect(issuesOf(withItems({ id: 'd', type: 'date', min: '2024-09-01', max: '2024-09-01', text: t('D') }))).toEqual([]);
  });
});

describe('validateDefinition: tags', () => {
  const known = new Set(['pillars:climate', 'pillars:safety']);

  it('refuses tags that are not known framework elements, wherever they are', () => {
    const issues = issuesOf((d) => {
      d.tags = ['pillars:climate', 'pillars:nope'];
      d.sections[0].items[0].tags = ['pillars:safety', 'other:thing'];
      d.sections[0].items.push({ id: 'm', type: 'matrix', labelSet: 'agree5', text: t('M'), rows: [{ id: 'r1', text: t('A'), tags: ['pillars:climate'] }, { id: 'r2', text: t('B'), tags: ['pillars:ghost'] }] });
      d.scales[0].tags = ['wellness:mind'];
    }, known);
    expect(issues).toEqual([
      error('tags', 'No framework element "pillars:nope".'),
      error('sections.0.items.0.tags', 'No framework element "other:thing".'),
      error('sections.0.items.2.rows.1.tags', 'No framework element "pillars:ghost".'),
      error('scales.0.tags', 'No framework element "wellness:mind".'),
    ]);
  });

  it('takes known tags, and any tags when no set is given', () => {
    const tag = (d: Raw) => {
      d.tags = ['pillars:climate'];
      d.sections[0].items[0].tags = ['pillars:safety'];
      d.scales[0].tags = ['pillars:climate'];
    };
    expect(issuesOf(tag, known)).toEqual([]);
    expect(
      issuesOf((d) => {
        tag(d);
        d.sections[0].items[0].tags = ['anything:goes'];
      }),
    ).toEqual([]);
    // With an empty set, every tag is unknown.
    expect(issuesOf(tag, new Set())).toHaveLength(3);
  });
});

describe('validateDefinition: translations', () => {
  it('warns (never errs) about every text missing a language of the instrument, with its path', () => {
    const { definition, issues } = validate((d) => {
      d.languages = ['en', 'fr'];
      d.title = { en: 'Climate', fr: 'Climat' };
      d.labelSets.agree5.labels = ['1', '2', '3', '4', '5'].map((n) => ({ en: n, fr: n }));
      d.sections[0].items[0].help = { fr: 'Aide' };
      d.sections[0].items.push({ id: 'c', type: 'single_choice', text: { en: 'C', fr: 'C' }, choices: [{ value: 'a', label: { en: 'A', fr: 'A' } }, { value: 'b', label: { en: 'B' } }] });
    });
    expect(definition).not.toBeNull();
    expect(issues).toEqual([
      warning('sections.0.title', 'No French text.'),
      warning('sections.0.items.0.text', 'No French text.'),
      warning('sections.0.items.0.help', 'No English text.'),
      warning('sections.0.items.1.text', 'No French text.'),
      warning('sections.0.items.2.choices.1.label', 'No French text.'),
      warning('scales.0.title', 'No French text.'),
    ]);
  });

  it('names Spanish too, and ignores languages the instrument does not use', () => {
    const issues = issuesOf((d) => {
      d.languages = ['en', 'es'];
      d.labelSets.agree5.labels = ['1', '2', '3', '4', '5'].map((n) => ({ en: n, es: n, fr: n }));
      d.title = { en: 'Climate', es: 'Clima', fr: 'Climat' };
    });
    expect(issues.every((i) => i.severity === 'warning' && i.message === 'No Spanish text.')).toBe(true);
    expect(issues.map((i) => i.path)).toEqual(['sections.0.title', 'sections.0.items.0.text', 'sections.0.items.1.text', 'scales.0.title']);
  });

  it('reports translations beside errors without turning them into errors', () => {
    const issues = issuesOf((d) => {
      d.languages = ['en', 'fr'];
      d.sections[0].items[1].labelSet = 'nope';
    });
    expect(issues.filter((i) => i.severity === 'error')).toEqual([error('sections.0.items.1.labelSet', 'There is no label set "nope".')]);
    expect(issues.filter((i) => i.severity === 'warning').length).toBe(10); // title, 5 labels, section, 2 items, scale
  });

  it('missingTranslations lists each missing language of each text', () => {
    const d = instrumentDefinition.parse({ ...base(), languages: ['en', 'fr', 'es'], title: { es: 'Clima' }, labelSets: {}, scales: [], sections: [{ id: 's1', title: { en: 'S', fr: 'S', es: 'S' }, items: [] }] });
    expect(missingTranslations(d)).toEqual([
      { path: 'title', language: 'en' },
      { path: 'title', language: 'fr' },
    ]);
  });
});

describe('words of the condition language and the default language', () => {
  it('refuses a question called by a keyword, and a default language the instrument lacks', async () => {
    const { validateDefinition } = await import('./validate.js');
    const base = {
      schemaVersion: 1,
      id: 'kw',
      version: 1,
      kind: 'self_assessment',
      audience: 'team',
      title: { en: 'K' },
      defaultLanguage: 'fr',
      languages: ['en'],
      sections: [{ id: 's', title: { en: 'S' }, items: [{ id: 'contains', type: 'yes_no', text: { en: 'Q' } }] }],
    };
    const { issues } = validateDefinition(base);
    const errors = issues.filter((i) => i.severity === 'error');
    expect(errors.map((e) => e.path).sort()).toEqual(['defaultLanguage', 'sections.0.items.0.id']);
  });
});
