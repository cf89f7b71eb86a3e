import { describe, expect, it } from 'vitest';
import { codedPercent, effectiveK, guardPartition } from './reports.privacy.js';

describe('the minimum cell size', () => {
  it('is 10 by default, kept within 5–30, raised below but never lowered', () => {
    expect(effectiveK(null)).toBe(10);
    expect(effectiveK(3)).toBe(5);
    expect(effectiveK(50)).toBe(30);
    expect(effectiveK(8, [12, null, 9])).toBe(12);
    expect(effectiveK(12, [6])).toBe(12);
    expect(effectiveK(10, [45])).toBe(30);
  });
});

describe('guarding groups that add up to a total', () => {
  const cells = (ns: Record<string, number>) => Object.entries(ns).map(([key, n]) => ({ key, n }));
  const shown = (g: { key: string; n: number | null }[]) => Object.fromEntries(g.map((c) => [c.key, c.n]));

  it('withholds small groups, and the next smallest so the total gives nothing away', () => {
    // 4 could be read off the total (4 = 100 − 60 − 36): 36 is withheld too.
    const g = guardPartition(cells({ a: 60, b: 36, c: 4 }), 10, { totalShown: true });
    expect(shown(g)).toEqual({ a: 60, b: null, c: null });
    expect(g.find((c) => c.key === 'b')!.withheld).toBe('complementary');
  });

  it('keeps withholding until the withheld groups hold at least k together', () => {
    // 3 and 4 withheld as small hold 7 < 10: their sum would narrow each down; 20 joins them.
    expect(shown(guardPartition(cells({ a: 50, b: 20, c: 3, d: 4, e: 30 }), 10, { totalShown: true }))).toEqual({ a: 50, b: null, c: null, d: null, e: 30 });
  });

  it('needs no second group when the total is not shown, and leaves empty groups alone', () => {
    expect(shown(guardPartition(cells({ a: 60, b: 36, c: 4 }), 10, { totalShown: false }))).toEqual({ a: 60, b: 36, c: null });
    expect(shown(guardPartition(cells({ a: 60, b: 0, c: 40 }), 10, { totalShown: true }))).toEqual({ a: 60, b: 0, c: 40 });
  });

  it('withholds everything when nothing else can hide a small group', () => {
    expect(shown(guardPartition(cells({ a: 5, b: 3 }), 10, { totalShown: true }))).toEqual({ a: null, b: null });
  });

  it('never lets a withheld group be recovered by subtraction from the total', () => {
    // Every split of a total of at least k into three groups of 0–24: whatever is withheld is at
    // least two groups holding at least k together, so the total minus what is shown never
    // pins one group down below k.
    for (let a = 0; a < 25; a++)
      for (let b = 0; b < 25; b++)
        for (let c = 0; c < 25; c++) {
          // A total is shown only when it is at least k itself.
          const g = guardPartition(cells({ a, b, c }), 10, { totalShown: a + b + c >= 10 });
          if (a + b + c < 10) continue;
          const held = g.filter((x) => x.n === null);
          if (held.length === 0) continue;
          const heldSum = [a, b, c].filter((_, i) => g[i].n === null).reduce((s, n) => s + n, 0);
          expect(held.length).toBeGreaterThanOrEqual(2);
          expect(heldSum).toBeGreaterThanOrEqual(10);
        }
  });
});

describe('percentages of small groups', () => {
  it('show 5 % or less and 95 % or more under 40 respondents', () => {
    expect(codedPercent(3, 30)).toEqual({ value: 5, coded: 'at_most' });
    expect(codedPercent(97, 39)).toEqual({ value: 95, coded: 'at_least' });
    expect(codedPercent(50, 30)).toEqual({ value: 50, coded: null });
    expect(codedPercent(3, 40)).toEqual({ value: 3, coded: null });
  });
});

describe('guarding groups, for any groups (property)', () => {
  it('withholds every small group, and with a shown total leaves nothing recoverable by subtraction', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.nat(60), { minLength: 1, maxLength: 12 }), fc.integer({ min: 5, max: 30 }), (ns, k) => {
        const cells = ns.map((n, i) => ({ key: `g${i}`, n }));
        const total = ns.reduce((s, n) => s + n, 0);
        const g = guardPartition(cells, k, { totalShown: total >= k });
        // Every group of 1 to k−1 is withheld.
        for (const [i, n] of ns.entries()) if (n > 0 && n < k) expect(g[i].n).toBeNull();
        // What is shown is exact.
        for (const [i, n] of ns.entries()) if (g[i].n !== null) expect(g[i].n).toBe(n);
        const held = ns.filter((_, i) => g[i].n === null);
        // With the total shown, the withheld groups' sum is known: it must hide at least two
        // groups and at least k respondents, so no single group is pinned down below k.
        if (total >= k && held.length > 0) {
          expect(held.length).toBeGreaterThanOrEqual(2);
          expect(held.reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(k);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
