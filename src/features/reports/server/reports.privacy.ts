import { PRIVACY } from '../../../shared/privacy.js';

/**
 * The one privacy module: every report and export of survey respondents passes its figures
 * through here before they leave the server (DESIGN.md §3).
 */

/**
 * The minimum cell size at an organisation: the network's k (kept within 5–30), raised by any
 * organisation on the way down, never lowered.
 */
export function effectiveK(networkK: number | null | undefined, raisedBelow: (number | null | undefined)[] = []): number {
  const base = Math.min(PRIVACY.maxK, Math.max(PRIVACY.minK, networkK ?? PRIVACY.defaultK));
  return raisedBelow.reduce<number>((k, r) => (r != null && r > k ? Math.min(PRIVACY.maxK, r) : k), base);
}

export interface Cell<K extends string = string> {
  key: K;
  n: number;
}

export type Reason = 'small' | 'complementary';
export interface Guarded<K extends string = string> {
  key: K;
  /** The count, or null when withheld. */
  n: number | null;
  withheld: Reason | null;
}

/**
 * Guards disjoint groups that add up to a total (groups of a demographic question, schools of a
 * district, answers to one question). Groups with 1 to k−1 respondents are withheld; when the
 * total is shown, more groups are withheld — smallest first — until the withheld ones are at
 * least two and together hold at least k, so no subtraction from the total recovers one of them.
 * Show a total only when it is at least k itself. Empty groups expose nobody and stay.
 */
export function guardPartition<K extends string>(cells: Cell<K>[], k: number, opts: { totalShown: boolean }): Guarded<K>[] {
  const withheld = new Map<K, Reason>();
  for (const c of cells) if (c.n > 0 && c.n < k) withheld.set(c.key, 'small');
  if (opts.totalShown && withheld.size > 0) {
    const rest = cells.filter((c) => !withheld.has(c.key) && c.n > 0).sort((a, b) => a.n - b.n || a.key.localeCompare(b.key));
    const held = () => cells.filter((c) => withheld.has(c.key)).reduce((s, c) => s + c.n, 0);
    while ((withheld.size < 2 || held() < k) && rest.length) withheld.set(rest.shift()!.key, 'complementary');
  }
  return cells.map((c) => ({ key: c.key, n: withheld.has(c.key) ? null : c.n, withheld: withheld.get(c.key) ?? null }));
}

/** A percentage as it may be shown for a group of `n`: small groups never show near-0 or near-100. */
export function codedPercent(percent: number, n: number): { value: number | null; coded: 'at_most' | 'at_least' | null } {
  if (n < PRIVACY.topBottomCodeBelow) {
    if (percent <= PRIVACY.bottomPercent) return { value: PRIVACY.bottomPercent, coded: 'at_most' };
    if (percent >= PRIVACY.topPercent) return { value: PRIVACY.topPercent, coded: 'at_least' };
  }
  return { value: percent, coded: null };
}
