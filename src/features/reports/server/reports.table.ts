import { guardTable, type Reason, type Relation } from './reports.privacy.js';

/** An organisation with respondents in an administration: a school, or one above schools. */
export interface TreeNode {
  id: number;
  parentId: number | null;
}

/**
 * The columns of a table for one way of grouping respondents: everyone (`''`), each answer of a
 * demographic question, and what the answers leave over — for a one-answer question the
 * respondents who gave none (`~`); for a many-answer question, per answer, those who did not
 * choose it (`~answer`). Left-over columns are never shown but can be worked out, so they are
 * guarded like the rest.
 */
export interface TableShape {
  orgs: number[];
  columns: string[];
  relations: Relation[];
  /** Index of a cell, or undefined when the organisation or column is not in the table. */
  cell(org: number, column: string): number | undefined;
  size: number;
}

export function tableShape(nodes: readonly TreeNode[], dim: { groups: readonly string[]; multi: boolean } | null): TableShape {
  const columns = !dim ? [''] : dim.multi ? ['', ...dim.groups.flatMap((g) => [g, `~${g}`])] : ['', ...dim.groups, '~'];
  const orgs = nodes.map((n) => n.id);
  const orgIndex = new Map(orgs.map((id, i) => [id, i]));
  const colIndex = new Map(columns.map((c, i) => [c, i]));
  const at = (o: number, c: number) => o * columns.length + c;
  const relations: Relation[] = [];
  const children = new Map<number, number[]>();
  for (const n of nodes) if (n.parentId !== null && orgIndex.has(n.parentId)) children.set(n.parentId, [...(children.get(n.parentId) ?? []), orgIndex.get(n.id)!]);
  for (const [parent, kids] of children) for (let c = 0; c < columns.length; c++) relations.push({ total: at(orgIndex.get(parent)!, c), parts: kids.map((k) => at(k, c)) });
  if (dim)
    for (let o = 0; o < orgs.length; o++) {
      if (dim.multi) for (const g of dim.groups) relations.push({ total: at(o, 0), parts: [at(o, colIndex.get(g)!), at(o, colIndex.get(`~${g}`)!)] });
      else relations.push({ total: at(o, 0), parts: columns.slice(1).map((_, i) => at(o, i + 1)) });
    }
  return {
    orgs,
    columns,
    relations,
    size: orgs.length * columns.length,
    cell: (org, column) => {
      const o = orgIndex.get(org);
      const c = colIndex.get(column);
      return o === undefined || c === undefined ? undefined : at(o, c);
    },
  };
}

/**
 * The counts of a table from what was counted per organisation and answer (`count(org, '')` for
 * everyone); left-over columns are everyone less the answers.
 */
export function tableValues(shape: TableShape, count: (org: number, group: string) => number): number[] {
  const values = new Array<number>(shape.size).fill(0);
  shape.orgs.forEach((org, o) => {
    const base = o * shape.columns.length;
    const all = count(org, '');
    values[base] = all;
    let given = 0;
    shape.columns.forEach((col, c) => {
      if (c === 0 || col === '~') return;
      if (col.startsWith('~')) values[base + c] = all - count(org, col.slice(1));
      else {
        values[base + c] = count(org, col);
        given += values[base + c];
      }
    });
    const rest = shape.columns.indexOf('~');
    if (rest > 0) values[base + rest] = all - given;
  });
  return values;
}

/**
 * Guards one measure (respondents, answers to an item, valid scale scores) over a table, starting
 * from what a coarser measure withheld (a withheld group's answers are withheld too).
 *
 * The everyone column holds the same figures in every grouping of an administration and in the
 * table grouped no way, and a reader may put any of these views side by side. So it is decided
 * once, exactly as the table grouped no way decides it (same cells, relations and order), and
 * kept here: the groups alone absorb what the grouping needs withheld, and an organisation's
 * withheld everyone figure stays unknown from its groups too. Groups of two questions share no
 * other figure, so no two views together reveal what neither does alone.
 */
export function guardMeasure(shape: TableShape, values: number[], kOfOrg: (org: number) => number, inherited?: readonly (Reason | null)[]): (Reason | null)[] {
  const width = shape.columns.length;
  const k = shape.orgs.flatMap((org) => shape.columns.map(() => kOfOrg(org)));
  const withheld = new Map<number, Reason>();
  inherited?.forEach((r, i) => r && withheld.set(i, r));
  if (width === 1) return guardTable(values, shape.relations, k, withheld);
  const everyoneOnly: TableShape = {
    orgs: shape.orgs,
    columns: [''],
    relations: shape.relations.filter((r) => r.total % width === 0 && r.parts.every((p) => p % width === 0)).map((r) => ({ total: r.total / width, parts: r.parts.map((p) => p / width) })),
    size: shape.orgs.length,
    cell: (org, column) => (column === '' ? shape.cell(org, '')! / width : undefined),
  };
  const everyone = guardMeasure(
    everyoneOnly,
    shape.orgs.map((_, o) => values[o * width]),
    kOfOrg,
    inherited && shape.orgs.map((_, o) => inherited[o * width]),
  );
  const decided = new Array<Reason | null | undefined>(shape.size);
  everyone.forEach((r, o) => (decided[o * width] = r));
  return guardTable(values, shape.relations, k, withheld, decided);
}
