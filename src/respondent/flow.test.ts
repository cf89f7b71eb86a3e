import { describe, expect, it } from 'vitest';
import { type InstrumentDefinition, instrumentDefinition } from '../features/instruments/model/instrument.schema.js';
import { answersToSend, arrival, landing, pageIndex, surveyPages } from './flow.js';
import { newProgress } from './store.js';

const t = (en: string) => ({ en });
const def: InstrumentDefinition = instrumentDefinition.parse({
  schemaVersion: 1,
  id: 'walk',
  version: 1,
  kind: 'survey',
  audience: 'student',
  title: t('Walk'),
  defaultLanguage: 'en',
  languages: ['en'],
  labelSets: { agree4: { points: 4, labels: [t('No'), t('A little'), t('Mostly'), t('Yes')] } },
  sections: [
    { id: 'one', title: t('One'), items: [{ id: 'likes', type: 'likert', labelSet: 'agree4', text: t('I like school.') }, { id: 'score', type: 'calc', text: t('Score'), expression: 'likes * 2' }] },
    { id: 'why', title: t('Why not'), showIf: 'likes <= 2', items: [{ id: 'reason', type: 'text', text: t('Why not?') }] },
    { id: 'computed', title: t('Only computed'), items: [{ id: 'double', type: 'calc', text: t('Double'), expression: 'likes * 2' }] },
    {
      id: 'about',
      title: t('About you'),
      items: [
        { id: 'grade', type: 'single_choice', demographic: 'grade', text: t('Grade?'), choices: [{ value: 'g4', label: t('4') }, { value: 'g5', label: t('5') }] },
        { id: 'club', type: 'yes_no', text: t('In a club?') },
        { id: 'which', type: 'multiple_choice', text: t('Which clubs?'), showIf: 'club == true', minSelect: 2, choices: [{ value: 'art', label: t('Art') }, { value: 'chess', label: t('Chess') }] },
      ],
    },
  ],
});

const ids = (answers: Record<string, never> | Parameters<typeof surveyPages>[1]) => surveyPages(def, answers).map((p) => [p.section.id, p.items.map((i) => i.id)]);

describe('pages of a survey', () => {
  it('are the sections with something to show, read live from the answers; computed items are never shown', () => {
    // No answer to compare: the follow-up stays hidden.
    expect(ids({})).toEqual([['one', ['likes']], ['about', ['grade', 'club']]]);
    expect(ids({ likes: 4 })).toEqual([['one', ['likes']], ['about', ['grade', 'club']]]);
    expect(ids({ likes: 1, club: true })).toEqual([['one', ['likes']], ['why', ['reason']], ['about', ['grade', 'club', 'which']]]);
  });

  it('keep the respondent on the remembered section, or the next one shown when an answer hid it', () => {
    const pages = surveyPages(def, { likes: 4 });
    expect(pageIndex(def, pages, 'about')).toBe(1);
    expect(pageIndex(def, pages, 'why')).toBe(1);
    expect(pageIndex(def, pages, null)).toBe(0);
    expect(pageIndex(def, pages, 'gone')).toBe(0);
    expect(pageIndex(def, surveyPages(def, { likes: 4 }).slice(0, 1), 'why')).toBe(0);
  });
});

describe('what is sent', () => {
  it('is the answers to questions shown, in values they take; skipped questions are simply absent', () => {
    expect(answersToSend(def, { likes: 4, reason: 'left over from before', grade: 'PNS', club: false, which: ['art', 'chess'] })).toEqual({ likes: 4, grade: 'PNS', club: false });
    // A choice list below its minimum is not a value the question takes.
    expect(answersToSend(def, { likes: 1, reason: 'Too early', club: true, which: ['art'] })).toEqual({ likes: 1, reason: 'Too early', club: true });
    expect(answersToSend(def, { likes: 9, nothere: 1 })).toEqual({});
    expect(answersToSend(def, {})).toEqual({});
  });
});

describe('arriving on the page', () => {
  const fresh = newProgress('en');
  const started = { ...fresh, started: true, answers: { likes: 2 } };
  const pending = { ...started, sending: true };
  const open = { state: 'open' as const, instrument: def };

  it('goes on sending by itself only in the tab that sent; another tab asks first (a shared device)', () => {
    expect(arrival(pending, { done: false, active: true })).toBe('send');
    expect(arrival(pending, { done: false, active: false })).toBe('load');
    expect(landing(open, pending, false)).toBe('pending');
    // Offline: still asked, and the answers are kept (sending then waits for the connection).
    expect(landing('unreachable', pending, false)).toBe('pending');
    expect(arrival(pending, { done: true, active: false })).toBe('thanks');
    expect(arrival(null, { done: false, active: false })).toBe('load');
    expect(arrival(started, { done: false, active: true })).toBe('load');
  });

  it('forgets answers for a survey closed, not open yet or used, even ones waiting to be sent', () => {
    for (const state of ['closed', 'not_open', 'used'] as const) {
      for (const p of [fresh, started, pending]) for (const sameTab of [true, false]) expect(landing({ state, instrument: null }, p, sameTab)).toBe('gone');
    }
    expect(landing({ state: 'open', instrument: null }, started, true)).toBe('gone');
  });

  it('goes back to the page in the same tab, asks "continue or start over" in a new one, and welcomes a new respondent', () => {
    expect(landing(open, started, true)).toBe('page');
    expect(landing(open, started, false)).toBe('resume');
    expect(landing(open, fresh, false)).toBe('welcome');
    expect(landing('unreachable', started, true)).toBe('unreachable');
  });
});
