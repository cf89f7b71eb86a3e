import { describe, expect, it } from 'vitest';
import { elementRefs, readShippedFrameworks, readShippedInstruments } from './content.js';

const frameworks = readShippedFrameworks();
const tags = elementRefs(frameworks.flatMap((f) => (f.definition ? [f.definition] : [])));
const instruments = readShippedInstruments(undefined, tags);

describe('shipped frameworks', () => {
  it('are the four of the design, valid, in three languages', () => {
    expect(frameworks.map((f) => f.definition?.id).sort()).toEqual(['connectedness', 'pillars', 'quality', 'wellness']);
    for (const f of frameworks) expect(f.issues, f.file).toEqual([]);
    const counts = Object.fromEntries(frameworks.map((f) => [f.definition!.id, f.definition!.elements.length]));
    expect(counts).toEqual({ connectedness: 6, pillars: 6, quality: 7, wellness: 4 });
    const texts = JSON.stringify(frameworks.map((f) => f.definition));
    for (const match of texts.matchAll(/\{"en":[^}]*\}/g)) {
      const t = JSON.parse(match[0]);
      expect(Object.keys(t).sort(), match[0]).toEqual(['en', 'es', 'fr']);
    }
  });
});

describe('shipped instruments', () => {
  it('are valid, complete in English, French and Spanish, and tagged to real framework elements', () => {
    expect(instruments.length).toBeGreaterThan(0);
    for (const i of instruments) {
      expect(i.issues, i.file).toEqual([]);
      expect(i.definition!.languages.sort(), i.file).toEqual(['en', 'es', 'fr']);
    }
  });
});
