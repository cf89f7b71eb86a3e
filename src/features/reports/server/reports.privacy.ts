import { PRIVACY } from '../../../shared/privacy.js';

/**
 * The one privacy module: every report and export of survey respondents passes its figures
 * through here before they leave the server (DESIGN.md §3).
 */

export { effectiveK } from '../../../shared/privacy.js';

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

/** One additive relation between cells of a table: `total` = the sum of `parts` (cell indices). */
export interface Relation {
  total: number;
  parts: number[];
}

/**
 * Decides which cells of a table of respondent counts may be shown, given every additive relation
 * between them that a reader could put together (an organisation and its children, a group and
 * the rest of its question, …). Cells of 1 to k−1 are withheld (`small`), as are cells passed in
 * `withheld` (figures of a withheld group of respondents). Then, until nothing changes:
 * - in a relation whose total is shown, the withheld parts are at least two and hold at least k
 *   together (smallest parts join first, the total itself when no part is left), so subtraction
 *   yields nothing smaller than k;
 * - a withheld total with every part shown would be their sum: a part is withheld too;
 * - an exact check: no small cell may be pinned down by any combination of the relations (linear
 *   algebra over the withheld cells); when one is, its smallest shown neighbour is withheld.
 * Deterministic: the same table always gets the same answer, whoever asks and through which view.
 *
 * `decided` holds cells whose fate another table showing the same figures has settled: `null`
 * stays shown (never withheld here), a reason stays withheld and must not be pinned down here
 * either, whatever its size; `undefined` is for this table to decide.
 */
export function guardTable(
  values: readonly number[],
  relations: readonly Relation[],
  k: number | readonly number[],
  withheld: ReadonlyMap<number, Reason> = new Map(),
  decided: readonly (Reason | null | undefined)[] = [],
): (Reason | null)[] {
  // k may differ per cell (an organisation that raised it); a relation protects with its largest.
  const kOf = typeof k === 'number' ? () => k : (i: number) => k[i];
  const free = (i: number) => decided[i] === undefined;
  const status: (Reason | null)[] = values.map((v, i) => (free(i) ? (withheld.get(i) ?? (v > 0 && v < kOf(i) ? 'small' : null)) : decided[i]!));
  // A figure withheld by another table is protected here too: two tables together never reveal it.
  const sensitive = (i: number) => status[i] === 'small' || (withheld.has(i) && values[i] < kOf(i)) || (!free(i) && status[i] !== null);
  const relationsOf: number[][] = values.map(() => []);
  relations.forEach((r, ri) => {
    relationsOf[r.total].push(ri);
    for (const p of r.parts) relationsOf[p].push(ri);
  });
  const queue = new Set(relations.keys());
  const hold = (i: number) => {
    status[i] = 'complementary';
    for (const ri of relationsOf[i]) queue.add(ri);
  };
  /** The shown cell with the smallest positive count among `cells` that this table may withhold (ties: lowest index). */
  const smallestShown = (cells: number[]) => {
    let best = -1;
    for (const c of cells) if (status[c] === null && values[c] > 0 && free(c) && (best < 0 || values[c] < values[best])) best = c;
    return best;
  };
  const settle = () => {
    while (queue.size) {
      const ri: number = queue.values().next().value!;
      queue.delete(ri);
      const { total, parts } = relations[ri];
      const heldParts = parts.filter((p) => status[p] !== null);
      const k = parts.reduce((m, p) => Math.max(m, kOf(p)), kOf(total));
      if (status[total] === null) {
        if (!heldParts.some((p) => values[p] > 0 || sensitive(p))) continue;
        let held = heldParts.length;
        let sum = heldParts.reduce((s, p) => s + values[p], 0);
        while (held < 2 || sum < k) {
          const next = smallestShown(parts);
          if (next < 0) {
            // A total shown by another table stays: its parts are then all withheld, every one that holds anyone.
            if (free(total)) hold(total);
            break;
          }
          hold(next);
          held++;
          sum += values[next];
        }
      } else if (heldParts.length === 0 && values[total] > 0) {
        const next = smallestShown(parts);
        if (next >= 0) hold(next);
      }
    }
  };
  /**
   * What a reader knows: the shown cells, and the withheld parts of a shown total of 0, which are
   * 0 too (counts are never negative), and so on down.
   */
  const known = () => {
    const view = [...status];
    for (let changed = true; changed; ) {
      changed = false;
      for (const { total, parts } of relations)
        if (view[total] === null && values[total] === 0)
          for (const p of parts)
            if (view[p] !== null) {
              view[p] = null;
              changed = true;
            }
    }
    return view;
  };
  settle();
  for (;;) {
    const exposed = determinedCells(values.length, relations, known()).filter(sensitive);
    if (!exposed.length) break;
    let added = 0;
    for (const i of exposed) {
      const next = smallestShown(relationsOf[i].flatMap((ri) => [...relations[ri].parts, relations[ri].total]));
      if (next >= 0) {
        hold(next);
        added++;
      }
    }
    if (!added) {
      // Nothing shown beside them: widen to every cell sharing a relation with a withheld cell.
      const next = smallestShown(relations.flatMap((r) => ([r.total, ...r.parts].some((c) => status[c] !== null) ? [r.total, ...r.parts] : [])));
      if (next < 0) break;
      hold(next);
    }
    settle();
  }
  return status;
}

const PRIME = 67_108_859; // below 2^26, so products stay exact in doubles
const mod = (x: number) => ((x % PRIME) + PRIME) % PRIME;
function inverse(a: number): number {
  let [t, nt, r, nr] = [0, 1, PRIME, mod(a)];
  while (nr) {
    const q = Math.floor(r / nr);
    [t, nt] = [nt, t - q * nt];
    [r, nr] = [nr, r - q * nr];
  }
  return mod(t);
}

/**
 * Withheld cells whose value follows exactly from the shown ones through the relations: the unit
 * vector of the cell lies in the row space of the relations restricted to the withheld cells.
 * Solved per connected group of withheld cells by Gauss–Jordan elimination (modulo a prime, exact
 * for these small integer systems).
 */
export function determinedCells(size: number, relations: readonly Relation[], status: readonly (Reason | null)[]): number[] {
  // Union-find over withheld cells that share a relation.
  const parent = Array.from({ length: size }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const rows: Map<number, number>[] = [];
  for (const r of relations) {
    const row = new Map<number, number>();
    if (status[r.total] !== null) row.set(r.total, 1);
    for (const p of r.parts) if (status[p] !== null) row.set(p, mod((row.get(p) ?? 0) - 1));
    for (const [c, v] of row) if (v === 0) row.delete(c);
    if (!row.size) continue;
    rows.push(row);
    const [first, ...rest] = row.keys();
    for (const c of rest) parent[find(c)] = find(first);
  }
  const groups = new Map<number, Map<number, number>[]>();
  for (const row of rows) {
    const g = find(row.keys().next().value!);
    groups.set(g, [...(groups.get(g) ?? []), row]);
  }
  const out: number[] = [];
  for (const group of groups.values()) {
    const pivots = new Map<number, Map<number, number>>();
    for (const original of group) {
      const row = new Map(original);
      for (const [col, prow] of pivots) {
        const f = row.get(col);
        if (f) for (const [c, v] of prow) {
          const nv = mod((row.get(c) ?? 0) - f * v);
          if (nv) row.set(c, nv);
          else row.delete(c);
        }
      }
      if (!row.size) continue;
      const col = Math.min(...row.keys());
      const inv = inverse(row.get(col)!);
      for (const [c, v] of row) row.set(c, mod(v * inv));
      // Keep every pivot row reduced in the new pivot column (Gauss–Jordan).
      for (const prow of pivots.values()) {
        const f = prow.get(col);
        if (f) for (const [c, v] of row) {
          const nv = mod((prow.get(c) ?? 0) - f * v);
          if (nv) prow.set(c, nv);
          else prow.delete(c);
        }
      }
      pivots.set(col, row);
    }
    for (const [col, row] of pivots) if (row.size === 1) out.push(col);
  }
  return out;
}

/**
 * Guards disjoint groups that add up to a total (groups of a demographic question, schools of a
 * district, answers to one question): `guardTable` with the one relation "total = groups" when
 * the total is shown (a total is shown only when it is at least k itself). Empty groups expose
 * nobody and stay.
 */
export function guardPartition<K extends string>(cells: Cell<K>[], k: number, opts: { totalShown: boolean }): Guarded<K>[] {
  const values = cells.map((c) => c.n);
  const relations = opts.totalShown ? [{ total: cells.length, parts: cells.map((_, i) => i) }] : [];
  const total = values.reduce((s, n) => s + n, 0);
  const status = guardTable([...values, total], relations, k, new Map());
  return cells.map((c, i) => ({ key: c.key, n: status[i] ? null : c.n, withheld: status[i] }));
}

/** A percentage as it may be shown for a group of `n`: small groups never show near-0 or near-100. */
export function codedPercent(percent: number, n: number): { value: number | null; coded: 'at_most' | 'at_least' | null } {
  if (n < PRIVACY.topBottomCodeBelow) {
    if (percent <= PRIVACY.bottomPercent) return { value: PRIVACY.bottomPercent, coded: 'at_most' };
    if (percent >= PRIVACY.topPercent) return { value: PRIVACY.topPercent, coded: 'at_least' };
  }
  return { value: percent, coded: null };
}
