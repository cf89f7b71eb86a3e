import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { determinedCells, guardTable, type Reason } from './reports.privacy.js';
import { guardMeasure, tableShape, tableValues, type TableShape, type TreeNode } from './reports.table.js';

/*
 * An attacker's view of the report tables (DESIGN.md §3, issue 6 "Privacy engine"). Every figure
 * the API gives for one administration grouped by one demographic question is a cell of one table
 * (organisations × columns), and the everyone column is shared by every grouping and by the view
 * grouped no way. The unknowns are the counts per school and exact answer combination (of every
 * question asked); every cell is a sum of some of them. The attacker knows every cell the engine
 * lets through (left-over columns included, though the API never prints them: a stronger attacker
 * than any real reader), of one view or of several side by side, and that a shown 0 makes every
 * unknown in it 0; it tries to pin down a withheld small cell by linear algebra, written here apart
 * from the engine's own check (another prime, another space: unknowns, not cells).
 */

type Status = (Reason | null)[];

/** A demographic question: its answers and every combination a respondent can give. */
interface Question {
  groups: string[];
  multi: boolean;
  /** One answer or none; for a many-answer question, every subset. */
  combos: string[][];
}

/** An administration: a tree of organisations whose schools have counts per answer combination. */
interface World {
  nodes: TreeNode[];
  /** School ids; unknowns `s * tuples.length + t` are school `s` with the combinations `tuples[t]`. */
  schools: number[];
  /** Positions in `schools` of the schools at or below each organisation. */
  under: Map<number, number[]>;
  questions: Question[];
  /** Every choice of one combination per question. */
  tuples: number[][];
  size: number;
  kOf: (org: number) => number;
}

/** What the generator draws; the tree is grown in order (states, their districts, their schools). */
interface Spec {
  states: { districts: number[]; direct: number }[];
  questions: { multi: boolean; answers: number }[];
  k: number;
  /** A raised k (or none) per district and school, in the order they are made. */
  raise: (number | null)[];
  /** Respondents per unknown. */
  counts: number[];
  /** Per unknown, how many of its respondents skipped the item of the second measure. */
  skipped: number[];
}

function makeWorld(spec: Spec): World {
  const nodes: TreeNode[] = [{ id: 1, parentId: null }];
  const schools: number[] = [];
  const raised = new Map<number, number | null>();
  let raiseAt = 0;
  const add = (parentId: number, school: boolean) => {
    const id = nodes.length + 1;
    nodes.push({ id, parentId });
    if (parentId !== 1) raised.set(id, spec.raise[raiseAt++] ?? null);
    if (school) schools.push(id);
    return id;
  };
  for (const state of spec.states) {
    const s = add(1, false);
    for (const n of state.districts) {
      const d = add(s, false);
      for (let i = 0; i < n; i++) add(d, true);
    }
    for (let i = 0; i < state.direct; i++) add(s, true);
  }
  const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
  const path = (id: number) => {
    const out: number[] = [];
    for (let at: number | null | undefined = id; at != null; at = parentOf.get(at)) out.push(at);
    return out;
  };
  const under = new Map<number, number[]>(nodes.map((n) => [n.id, []]));
  schools.forEach((id, s) => path(id).forEach((org) => under.get(org)!.push(s)));
  const questions = spec.questions.map(({ multi, answers }, q): Question => {
    const groups = ['a', 'b', 'c', 'd', 'e'].slice(0, answers).map((g) => `${g}${q || ''}`);
    const combos = multi ? Array.from({ length: 1 << answers }, (_, m) => groups.filter((_, g) => m & (1 << g))) : [...groups.map((g) => [g]), []];
    return { groups, multi, combos };
  });
  const tuples = questions.reduce<number[][]>((ts, q) => ts.flatMap((t) => q.combos.map((_, c) => [...t, c])), [[]]);
  // k at an organisation: the network's, raised by any organisation on the way down.
  const kOf = (org: number) => Math.max(spec.k, ...path(org).map((o) => raised.get(o) ?? 0));
  return { nodes, schools, under, questions, tuples, size: schools.length * tuples.length, kOf };
}

/** The unknowns a cell of the table grouped by question `q` adds up (`column` '' counts everyone). */
function unknownsOf(world: World, q: number | null, org: number, column: string): number[] {
  const matches = (combo: string[]) =>
    column === '' ? true : column === '~' ? combo.length === 0 : column.startsWith('~') ? !combo.includes(column.slice(1)) : combo.includes(column);
  const t = world.tuples.flatMap((tuple, i) => (q === null || matches(world.questions[q].combos[tuple[q]]) ? [i] : []));
  return world.under.get(org)!.flatMap((s) => t.map((i) => s * world.tuples.length + i));
}

interface Table {
  shape: TableShape;
  cells: { org: number; column: string; unknowns: number[]; k: number }[];
}

/** The table of a world grouped by question `q` (or no way), each cell with its unknowns and its k. */
function tableOf(world: World, q: number | null, nodes = world.nodes): Table {
  const shape = tableShape(nodes, q === null ? null : world.questions[q]);
  const cells: Table['cells'] = [];
  for (const org of shape.orgs)
    for (const column of shape.columns) cells[shape.cell(org, column)!] = { org, column, unknowns: unknownsOf(world, q, org, column), k: world.kOf(org) };
  return { shape, cells };
}

/** A measure's table values the way the reports make them (per organisation and answer), from its unknowns. */
function measure(world: World, table: Table, q: number | null, unknownValues: number[]) {
  const sum = (u: number[]) => u.reduce((s, i) => s + unknownValues[i], 0);
  return tableValues(table.shape, (org, group) => sum(unknownsOf(world, q, org, group)));
}

const P = 33_554_393; // a prime below 2^25 (not the engine's): products stay exact in doubles
const modP = (x: number) => ((x % P) + P) % P;
function inverseP(a: number): number {
  let [t, nt, r, nr] = [0, 1, P, a];
  while (nr) {
    const q = Math.floor(r / nr);
    [t, nt] = [nt, t - q * nt];
    [r, nr] = [nr, r - q * nr];
  }
  return modP(t);
}

/** The span of what the attacker knows: rows in echelon form modulo P, each with its pivot. */
class Knowledge {
  private rows: { pivot: number; row: Float64Array; nonzero: number[] }[] = [];
  constructor(private readonly size: number) {}
  private reduce(unknowns: readonly number[]): Float64Array {
    const v = new Float64Array(this.size);
    for (const u of unknowns) v[u] = 1;
    for (const { pivot, row, nonzero } of this.rows) {
      const f = v[pivot];
      if (f) for (const j of nonzero) v[j] = modP(v[j] - f * row[j]);
    }
    return v;
  }
  /** The attacker learns the sum of these unknowns. */
  learn(unknowns: readonly number[]): void {
    const v = this.reduce(unknowns);
    const pivot = v.findIndex((x) => x !== 0);
    if (pivot < 0) return;
    const inv = inverseP(v[pivot]);
    const nonzero: number[] = [];
    for (let j = 0; j < this.size; j++)
      if (v[j]) {
        v[j] = modP(v[j] * inv);
        nonzero.push(j);
      }
    this.rows.push({ pivot, row: v, nonzero });
  }
  /** Whether the sum of these unknowns follows from what is known. */
  knows(unknowns: readonly number[]): boolean {
    return this.reduce(unknowns).every((x) => x === 0);
  }
}

interface View {
  table: Table;
  values: number[];
  status: Status;
}

/**
 * What an attacker learns from some views: every cell let through, as an equation over the
 * unknowns; with `zeros`, also that a shown 0 makes each of its unknowns 0 (counts are never negative).
 */
function learnFrom(world: World, views: View[], zeros: boolean): Knowledge {
  const known = new Knowledge(world.size);
  for (const { table, values, status } of views)
    table.cells.forEach((c, i) => {
      if (status[i] !== null) return;
      known.learn(c.unknowns);
      if (zeros && values[i] === 0) for (const u of c.unknowns) known.learn([u]);
    });
  return known;
}

/** The cells that must stay unknown: withheld with 1 to k−1, or withheld as the figures of a small group. */
function sensitive(view: View, inherited?: Status): number[] {
  return view.status.flatMap((r, i) => (r && ((view.values[i] > 0 && view.values[i] < view.table.cells[i].k) || inherited?.[i] === 'small') ? [i] : []));
}

const label = (view: View, i: number) => `${view.table.cells[i].org}/${view.table.cells[i].column || 'all'}=${view.values[i]}`;

/**
 * No sensitive cell of any view follows from all the views together; a positive one not even
 * knowing that shown zeros are zeros throughout. (A withheld 0 may follow from a shown 0 above it:
 * "none of this school's 40 answered" tells the same of each of its groups, and cannot be helped.)
 */
function expectUnrecoverable(world: World, views: View[], protect: number[][]) {
  for (const zeros of [false, true]) {
    const known = learnFrom(world, views, zeros);
    const found = views.flatMap((v, n) => protect[n].filter((i) => (!zeros || v.values[i] > 0) && known.knows(v.table.cells[i].unknowns)).map((i) => label(v, i)));
    expect(found, zeros ? 'recovered knowing zeros' : 'recovered').toEqual([]);
  }
}

/**
 * Every small cell is withheld; where a total is shown, its withheld parts (if any holds someone)
 * are at least two and k together, so subtraction narrows none below k. One exception, harmless:
 * an organisation's everyone figure is decided by the table grouped no way and stays shown, and
 * when a single group holds all its respondents, that group (k or more, so never small) is its
 * total whether withheld or not; what it protects elsewhere is left to the linear attack.
 */
function expectPrimaryAndIntervals(view: View) {
  const { table, values, status } = view;
  expect(table.cells.flatMap((c, i) => (values[i] > 0 && values[i] < c.k && status[i] === null ? [label(view, i)] : []))).toEqual([]);
  for (const r of table.shape.relations) {
    if (status[r.total] !== null) continue;
    const held = r.parts.filter((p) => status[p] !== null);
    if (!held.some((p) => values[p] > 0)) continue;
    const k = Math.max(...[r.total, ...r.parts].map((i) => table.cells[i].k));
    if (held.length === 1 && table.cells[r.total].column === '' && values[held[0]] === values[r.total] && values[r.total] >= k) continue;
    expect(held.length, `parts of ${label(view, r.total)}`).toBeGreaterThanOrEqual(2);
    expect(held.reduce((s, p) => s + values[p], 0), `parts of ${label(view, r.total)}`).toBeGreaterThanOrEqual(k);
  }
}

/** Both measures of a table, guarded the way the reports guard them: respondents, then those who answered an item. */
function guardBoth(world: World, spec: Spec, q: number | null, nodes = world.nodes) {
  const table = tableOf(world, q, nodes);
  const answered = spec.counts.map((n, i) => Math.max(0, n - spec.skipped[i]));
  const values = measure(world, table, q, spec.counts);
  const second = measure(world, table, q, answered);
  const status = guardMeasure(table.shape, values, world.kOf);
  const status2 = guardMeasure(table.shape, second, world.kOf, status);
  const respondents: View = { table, values, status };
  const item: View = { table, values: second, status: status2 };
  return { table, answered, respondents, item };
}

/** Guards one table's two measures and checks everything an attacker could try on it. */
function attackTable(world: World, spec: Spec, q: number, nodes = world.nodes) {
  const { table, answered, respondents, item } = guardBoth(world, spec, q, nodes);
  // The table adds up exactly what was counted: what is shown is exact.
  table.cells.forEach((c, i) => {
    expect(respondents.values[i]).toBe(c.unknowns.reduce((s, u) => s + spec.counts[u], 0));
    expect(item.values[i]).toBe(c.unknowns.reduce((s, u) => s + answered[u], 0));
  });
  expectPrimaryAndIntervals(respondents);
  expectPrimaryAndIntervals(item);
  // A withheld group's answers are withheld too.
  expect(respondents.status.flatMap((r, i) => (r && item.status[i] === null ? [label(item, i)] : []))).toEqual([]);
  expectUnrecoverable(world, [respondents], [sensitive(respondents)]);
  expectUnrecoverable(world, [item], [sensitive(item, respondents.status)]);
  // Deterministic: the same table always gets the same answer.
  expect(guardMeasure(table.shape, [...respondents.values], world.kOf)).toEqual(respondents.status);
  expect(guardMeasure(table.shape, [...item.values], world.kOf, [...respondents.status])).toEqual(item.status);
}

const someCounts = (small: boolean) =>
  small
    ? fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 9 }) })
    : fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 4, arbitrary: fc.integer({ min: 0, max: 25 }) });

/** Administrations: a tree within the given sizes, answers to `questions` questions, k and raised k. */
function specs({ states = 2, districts = 4, schools = 6, questions = 1 } = {}): fc.Arbitrary<Spec> {
  const question = fc.oneof(fc.record({ multi: fc.constant(false), answers: fc.integer({ min: 3, max: questions > 1 ? 3 : 5 }) }), fc.record({ multi: fc.constant(true), answers: fc.integer({ min: 2, max: questions > 1 ? 2 : 3 }) }));
  return fc
    .record({
      states: fc.array(
        fc.record({
          districts: fc.array(fc.integer({ min: 1, max: schools }), { minLength: 1, maxLength: districts }),
          direct: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
        }),
        { minLength: 1, maxLength: states },
      ),
      questions: fc.array(question, { minLength: questions, maxLength: questions }),
      k: fc.integer({ min: 5, max: 30 }),
    })
    .chain(({ states, questions: qs, k }) => {
      const nSchools = states.reduce((s, st) => s + st.direct + st.districts.reduce((a, b) => a + b, 0), 0);
      const orgs = nSchools + states.reduce((s, st) => s + st.districts.length, 0);
      const unknowns = nSchools * qs.reduce((n, q) => n * (q.multi ? 1 << q.answers : q.answers + 1), 1);
      return fc.record({
        states: fc.constant(states),
        questions: fc.constant(qs),
        k: fc.constant(k),
        raise: fc.array(fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 5, max: 30 }) }), { minLength: orgs, maxLength: orgs }),
        counts: fc.array(someCounts(qs.length > 1), { minLength: unknowns, maxLength: unknowns }),
        skipped: fc.array(fc.oneof(fc.constant(0), fc.nat(4), fc.nat(25)), { minLength: unknowns, maxLength: unknowns }),
      });
    });
}

describe('an attacker with every figure of one administration and one question (property)', () => {
  it('never pins down a withheld small group, for any tree, answers and k', () => {
    fc.assert(
      fc.property(specs(), (spec) => attackTable(makeWorld(spec), spec, 0)),
      { numRuns: 400 },
    );
  });

  // The answer may differ with the order (ties go to the first), which is why the reports make one
  // plan per administration and grouping, from organisations in path order; safe in any order.
  it('finds nothing either when the organisations come in another order', () => {
    const shuffled = specs().chain((spec) => {
      const nodes = makeWorld(spec).nodes;
      return fc.tuple(fc.constant(spec), fc.shuffledSubarray(nodes, { minLength: nodes.length }));
    });
    fc.assert(
      fc.property(shuffled, ([spec, nodes]) => attackTable(makeWorld(spec), spec, 0, nodes)),
      { numRuns: 150 },
    );
  });
});

/** Guards the views of an administration (grouped no way, and by each question) and attacks them all together. */
function attackViews(world: World, spec: Spec) {
  const tables = [null, ...world.questions.keys()].map((q) => guardBoth(world, spec, q));
  const plain = tables[0];
  for (const { table, respondents, item } of tables.slice(1))
    for (const org of table.shape.orgs) {
      const [i, j] = [table.shape.cell(org, '')!, plain.table.shape.cell(org, '')!];
      expect([respondents.status[i], item.status[i]], `everyone at ${org}`).toEqual([plain.respondents.status[j], plain.item.status[j]]);
    }
  expectUnrecoverable(world, tables.map((t) => t.respondents), tables.map((t) => sensitive(t.respondents)));
  expectUnrecoverable(world, tables.map((t) => t.item), tables.map((t) => sensitive(t.item, t.respondents.status)));
}

describe('an attacker with every view of one administration side by side (property)', () => {
  it('gets the same everyone figures grouped or not, and recovers nothing from both views', () => {
    fc.assert(
      fc.property(specs(), (spec) => attackViews(makeWorld(spec), spec)),
      { numRuns: 250 },
    );
  });

  it('recovers nothing either from the views grouped by two questions and not grouped', () => {
    fc.assert(
      fc.property(specs({ states: 1, districts: 3, schools: 4, questions: 2 }), (spec) => attackViews(makeWorld(spec), spec)),
      { numRuns: 200 },
    );
  });
});

/**
 * A hand-made administration: one state whose districts have `counts.length` schools in all
 * (`districts` says how many per district); per school, respondents per answer combination
 * (one-answer: each answer then none; many-answer: the subsets in binary order: none, a, b, ab).
 */
function handMade(districts: number[], question: { multi: boolean; answers: number }, k: number, counts: number[][], more: { raise?: (number | null)[]; skipped?: number[][] } = {}) {
  const spec: Spec = { states: [{ districts, direct: 0 }], questions: [question], k, raise: more.raise ?? [], counts: counts.flat(), skipped: more.skipped?.flat() ?? counts.flat().map(() => 0) };
  const world = makeWorld(spec);
  const [plain, grouped] = [null, 0].map((q) => guardBoth(world, spec, q));
  /** Statuses by organisation and column ('all' for everyone): respondents, or those who answered. */
  const statuses = (view: View) => Object.fromEntries(view.table.shape.orgs.map((org) => [org, Object.fromEntries(view.table.shape.columns.map((c) => [c || 'all', view.status[view.table.shape.cell(org, c)!]]))]));
  // Whatever the case, the attacker with every view recovers nothing.
  for (const m of ['respondents', 'item'] as const)
    expectUnrecoverable(
      world,
      [plain[m], grouped[m]],
      [plain, grouped].map((t) => sensitive(t[m], m === 'item' ? t.respondents.status : undefined)),
    );
  for (const t of [plain, grouped]) [t.respondents, t.item].forEach(expectPrimaryAndIntervals);
  return { world, plain, grouped, statuses };
}

describe('each rule, by hand (the attacker with every view recovers nothing in any of them)', () => {
  // Organisations: 1 the network, 2 the state, then each district followed by its schools.
  const oneAnswer = { multi: false, answers: 3 };

  it('withholds a small school and, beside one other school in its district, that one too', () => {
    // District 3: school 4 has 3 respondents, school 5 has 40; the district's 43 stays shown.
    const { plain, grouped, statuses } = handMade([2], oneAnswer, 10, [[1, 1, 1, 0], [10, 15, 15, 0]]);
    for (const view of [plain.respondents, grouped.respondents]) {
      const s = statuses(view);
      expect([s[4].all, s[5].all, s[3].all, s[1].all]).toEqual(['small', 'complementary', null, null]);
    }
  });

  it('withholds a small group and the next smallest of its question, which may be "no answer"', () => {
    // 70 respondents: a 30, b 25, c 3, no answer 12. The API never shows "no answer", but it is
    // everyone less the answers, so it is what hides c.
    const { statuses, grouped } = handMade([1], oneAnswer, 10, [[30, 25, 3, 12]]);
    for (const org of [4, 3, 1]) expect(statuses(grouped.respondents)[org]).toEqual({ all: null, a: null, b: null, c: 'small', '~': 'complementary' });
  });

  it('withholds an answer of a many-answer question when few did not choose it', () => {
    // 40 respondents; 37 chose a, so 3 did not: "a" would give them away (40 − 37).
    const { statuses, grouped } = handMade([1], { multi: true, answers: 2 }, 10, [[3, 20, 0, 17]]);
    expect(statuses(grouped.respondents)[4]).toEqual({ all: null, a: 'complementary', '~a': 'small', b: null, '~b': null });
  });

  it('withholds a school when its district, withheld beside a small one, would be their sum', () => {
    // State 2 = district 3 (one school of 3) + district 5 (schools 6 and 7: 20 and 30). District 5
    // is withheld so that 53 − 50 does not give district 3 away; shown schools would add up to it.
    const { statuses, plain } = handMade([1, 2], oneAnswer, 10, [[3, 0, 0, 0], [20, 0, 0, 0], [30, 0, 0, 0]]);
    const s = statuses(plain.respondents);
    expect([3, 4, 5, 6, 7].map((org) => s[org].all)).toEqual(['small', 'small', 'complementary', 'complementary', null]);
  });

  it('finds and hides a cell that two cycles of withheld cells, joined by it alone, would give away', () => {
    // District 3 with schools 4–7 × answers a, b, c, none. Withheld from a coarser measure: a and
    // b of schools 4 and 5, c and none of schools 6 and 7 (two cycles, every row and column with
    // two or more withheld cells holding k or more); 3 of school 5 answered c. No sum of one row
    // or column pins it down, but rows 4–5 less columns a–b do: the exact check must catch it.
    const spec: Spec = { states: [{ districts: [4], direct: 0 }], questions: [oneAnswer], k: 10, raise: [], counts: [12, 15, 20, 25, 14, 11, 3, 30, 22, 26, 13, 16, 40, 35, 17, 10], skipped: [] };
    const world = makeWorld(spec);
    const table = tableOf(world, 0);
    const values = measure(world, table, 0, spec.counts);
    const cell = (org: number, column: string) => table.shape.cell(org, column)!;
    const inherited: Status = values.map(() => null);
    for (const [org, cols] of [[4, 'ab'], [5, 'ab'], [6, ['c', '~']], [7, ['c', '~']]] as const) for (const c of cols) inherited[cell(org, c)] = 'complementary';
    const bridge = cell(5, 'c');
    // Before the check: every relation is satisfied, yet the bridge follows (and the engine's own check sees it).
    const before: Status = inherited.map((r, i) => r ?? (values[i] > 0 && values[i] < 10 ? 'small' : null));
    expect(learnFrom(world, [{ table, values, status: before }], false).knows(table.cells[bridge].unknowns)).toBe(true);
    expect(determinedCells(values.length, table.shape.relations, before)).toContain(bridge);
    for (const status of [guardTable(values, table.shape.relations, 10, new Map(inherited.flatMap((r, i) => (r ? [[i, r] as const] : [])))), guardMeasure(table.shape, values, world.kOf, inherited)]) {
      const view = { table, values, status };
      expect(status[bridge]).toBe('small');
      expectPrimaryAndIntervals(view);
      expectUnrecoverable(world, [view], [sensitive(view, inherited)]);
    }
  });

  it('uses the raised k of a district for its schools and for its relations', () => {
    // Districts 3 (schools 4, 5) and 6 (schools 7, 8, k raised to 20), each school 15 and 40.
    const { statuses, plain, world } = handMade([2, 2], oneAnswer, 10, [[15, 0, 0, 0], [40, 0, 0, 0], [15, 0, 0, 0], [40, 0, 0, 0]], { raise: [null, null, null, 20] });
    expect([3, 4, 6, 7].map(world.kOf)).toEqual([10, 10, 20, 20]);
    const s = statuses(plain.respondents);
    expect([4, 5, 7, 8, 3, 6].map((org) => s[org].all)).toEqual([null, null, 'small', 'complementary', null, null]);
  });

  it('regression: an organisation\'s everyone figure is withheld alike with no grouping and grouped, so the two views together give nothing away', () => {
    // k = 5, many-answer a/b. School 4 (district 3): 6 respondents, one chose a. District 5:
    // school 6, 5 respondents who all chose both; school 7, 10 respondents, 5 chose a. Grouped
    // alone, the engine withheld 6/a (5, to hide 3/a = 1) and then, with 6/~a = 0 shown, school
    // 6's total; the view with no grouping showed that total (5), so 6/a = 5 − 0 and
    // 3/a = 11 − 5 − 5 = 1. The everyone column is now decided once, as with no grouping.
    const { statuses, plain, grouped } = handMade([1, 2], { multi: true, answers: 2 }, 5, [[4, 0, 1, 1], [0, 0, 0, 5], [0, 1, 5, 4]]);
    const [p, g] = [statuses(plain.respondents), statuses(grouped.respondents)];
    for (const org of [1, 2, 3, 4, 5, 6, 7]) expect(g[org].all, `everyone at ${org}`).toBe(p[org].all);
    expect([g[4].a, g[6].all, g[7].all]).toEqual(['small', null, null]);
  });

  it('regression: a shown 0 makes its withheld parts 0, and the engine knows it', () => {
    // k = 5, many-answer a/b; the item's answers. School 4: 6 respondents, none answered: its
    // 0 is shown (with no grouping too), so each of its groups answered 0, and the network's
    // 12 who chose b and answered gave 5/b = 12, then school 7's 3 = 12 − 9, unless the engine,
    // counting those zeros as known, withholds more.
    const counts = [[4, 1, 0, 1], [6, 0, 9, 0], [0, 11, 3, 0]];
    const { statuses, grouped } = handMade([1, 2], { multi: true, answers: 2 }, 5, counts, { skipped: [[4, 1, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]] });
    const s = statuses(grouped.item);
    expect([s[4].all, s[7].b, s[6].b]).toEqual([null, 'small', 'complementary']);
  });
});
