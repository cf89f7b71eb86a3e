import { describe, expect, it } from 'vitest';
import type { ImportTarget } from './surveys.import.contract.js';
import { leadingNumber, proposeTarget, readValue, schoolMatcher } from './surveys.import.mapping.js';

const w = (en: string, fr: string, es: string) => ({ en, fr, es });
const agree4: ImportTarget = {
  id: 'reads', kind: 'rated', text: w('I like reading.', "J'aime lire.", 'Me gusta leer.'), min: 1, max: 4,
  labels: [w('Strongly disagree', 'Tout à fait en désaccord', 'Totalmente en desacuerdo'), w('Disagree', 'En désaccord', 'En desacuerdo'), w('Agree', "D'accord", 'De acuerdo'), w('Strongly agree', "Tout à fait d'accord", 'Totalmente de acuerdo')],
  special: ['DK'], choices: [], demographic: null, multiple: false,
};
const useful: ImportTarget = { ...agree4, id: 'useful', min: 0, max: 6, labels: [w('Not useful at all', 'Inutile', 'Nada útil'), null, null, null, null, null, w('Very useful', 'Très utile', 'Muy útil')], special: [] };
const gender: ImportTarget = {
  id: 'gender', kind: 'demographic', text: w('Gender', 'Genre', 'Género'), min: null, max: null, labels: [], special: ['PNS'],
  choices: [{ value: 'girl', label: w('Girl', 'Fille', 'Chica') }, { value: 'boy', label: w('Boy', 'Garçon', 'Chico') }], demographic: 'gender_identity', multiple: false,
};
const groups: ImportTarget = { ...gender, id: 'groups', demographic: 'self_described_group', multiple: true, choices: [{ value: 'newcomer', label: w('Newcomer', 'Nouvel arrivant', 'Recién llegado') }, { value: 'disability', label: w('Disability', 'Handicap', 'Discapacidad') }] };

const answer = (value: unknown) => ({ kind: 'answer', value });

describe('reading a value as an answer', () => {
  it('takes the words of a scale point in any language, whatever the case, accents and spaces', () => {
    expect(readValue(agree4, 'Strongly disagree')).toEqual(answer(1));
    expect(readValue(agree4, '  STRONGLY   agree ')).toEqual(answer(4));
    expect(readValue(agree4, 'tout a fait d’accord')).toEqual(answer(4));
    expect(readValue(agree4, 'De acuerdo')).toEqual(answer(3));
    expect(readValue(agree4, "Don't know")).toEqual(answer('DK'));
    // Not a label (PISA's own spelling) and not a number: not recognised.
    expect(readValue(agree4, 'Strong agree')).toEqual({ kind: 'invalid' });
    expect(readValue(agree4, 'Not applicable')).toEqual({ kind: 'invalid' });
  });

  it('takes a leading number within the scale, and a label at either end of a rating', () => {
    expect(leadingNumber('(6) Very Useful')).toBe(6);
    expect(leadingNumber('4.0')).toBe(4);
    expect(leadingNumber('2 - Disagree')).toBe(2);
    expect(leadingNumber('4.5')).toBeNull();
    expect(leadingNumber('Q4')).toBeNull();
    expect(readValue(useful, '(6) Very Useful')).toEqual(answer(6));
    expect(readValue(useful, '(1) Not useful at all')).toEqual(answer(1));
    expect(readValue(useful, 'not useful at all')).toEqual(answer(0));
    expect(readValue(agree4, '5')).toEqual({ kind: 'invalid' });
    expect(readValue(agree4, '0')).toEqual({ kind: 'invalid' });
  });

  it('counts blanks and missing markers as no answer, and lets an explicit answer win', () => {
    for (const blank of ['', '  ', 'NA', 'n/a', '.', '#N/A']) expect(readValue(agree4, blank)).toEqual({ kind: 'missing' });
    expect(readValue(agree4, 'Strong agree', { 'Strong agree': 4 })).toEqual(answer(4));
    expect(readValue(agree4, 'Agree', { Agree: null })).toEqual({ kind: 'missing' });
    expect(readValue(agree4, 'Agree', { Agree: 9 })).toEqual({ kind: 'invalid' });
    expect(readValue(agree4, 'x', { x: 'NA' })).toEqual({ kind: 'invalid' });
  });

  it('takes a choice by its value or its words, several at once where the question allows', () => {
    expect(readValue(gender, 'Fille')).toEqual(answer('girl'));
    expect(readValue(gender, 'BOY')).toEqual(answer('boy'));
    expect(readValue(gender, 'Prefer not to say')).toEqual(answer('PNS'));
    expect(readValue(gender, 'F')).toEqual({ kind: 'invalid' });
    expect(readValue(gender, 'F', { F: 'girl' })).toEqual(answer('girl'));
    expect(readValue(groups, 'newcomer; Disability')).toEqual(answer(['newcomer', 'disability']));
    expect(readValue(groups, 'newcomer|unknown')).toEqual({ kind: 'invalid' });
    expect(readValue(groups, 'x', { x: 'newcomer' })).toEqual(answer(['newcomer']));
  });
});

describe('proposals', () => {
  it('matches columns by slot id, words, usual demographic names and near spellings, each slot once', () => {
    const targets = [agree4, useful, gender];
    expect(proposeTarget('READS', targets, new Set())).toBe('reads');
    expect(proposeTarget("J'aime lire.", targets, new Set())).toBe('reads');
    expect(proposeTarget('Sexe', targets, new Set())).toBe('gender');
    expect(proposeTarget('usefull', targets, new Set())).toBe('useful');
    expect(proposeTarget('reads', targets, new Set(['reads']))).toBeNull();
    expect(proposeTarget('age', targets, new Set())).toBeNull();
  });

  it('matches schools by code before name', () => {
    const match = schoolMatcher([{ id: 1, code: 'GP', name: 'Gabriel Pereira' }, { id: 2, code: 'MS', name: 'gp' }]);
    expect(match(' gp ')).toBe(1);
    expect(match('Gabriel  PEREIRA')).toBe(1);
    expect(match('ms')).toBe(2);
    expect(match('Elsewhere')).toBeNull();
    expect(match('')).toBeNull();
  });
});
