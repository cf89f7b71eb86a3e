import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_END as E, HIGHLIGHT_START as S } from '../../resources.contract.js';
import { highlightParts, withEllipses } from './highlight.js';

describe('search highlights', () => {
  it('splits text into plain runs and matched words', () => {
    expect(highlightParts(`Universal ${S}screening${E} for ${S}schools${E}`)).toEqual([
      { text: 'Universal ', match: false },
      { text: 'screening', match: true },
      { text: ' for ', match: false },
      { text: 'schools', match: true },
    ]);
    expect(highlightParts('No match here')).toEqual([{ text: 'No match here', match: false }]);
    expect(highlightParts('')).toEqual([]);
  });

  it('keeps markup as text and drops stray markers', () => {
    expect(highlightParts(`<b>${S}x${E}</b>${E}`)).toEqual([
      { text: '<b>', match: false },
      { text: 'x', match: true },
      { text: '</b>', match: false },
    ]);
    expect(highlightParts(`a ${S}cut off`)).toEqual([
      { text: 'a ', match: false },
      { text: 'cut off', match: true },
    ]);
  });
});

describe('summary excerpts', () => {
  const full = 'Before screening a single student, make sure the follow-up is ready. The checklist covers choosing what to screen for.';
  it('marks where an excerpt is cut', () => {
    expect(withEllipses(`Before ${S}screening${E} a single student, make sure`, full)).toBe(`Before ${S}screening${E} a single student, make sure …`);
    expect(withEllipses(`choosing what to ${S}screen${E} for.`, full)).toBe(`… choosing what to ${S}screen${E} for.`);
    expect(withEllipses(`the follow-up is ready. The checklist`, full)).toBe('… the follow-up is ready. The checklist …');
    expect(withEllipses(full, full)).toBe(full);
  });
});
