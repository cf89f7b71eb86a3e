import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../server/db/client.js';
import { effectiveK, type Reason } from './reports.privacy.js';
import { guardMeasure, tableShape, tableValues, type TableShape } from './reports.table.js';

type Status = (Reason | null)[];

/** An organisation with respondents in an administration (a school or any organisation above schools). */
export interface PlanNode {
  id: number;
  parentId: number | null;
  name: string;
  kind: string;
  path: string;
  k: number;
}

/**
 * What may be shown of one administration grouped one way (everyone, or by one demographic
 * question): the table of organisations × groups and, per measure (respondents, answers to each
 * rated item, valid scores of each scale), which cells are withheld. Made once from the whole
 * administration's counts, whoever asks, so that no two views disagree in a way subtraction could use.
 */
export interface Plan {
  nodes: Map<number, PlanNode>;
  shape: TableShape;
  groups: string[];
  respondents: Status;
  items: Map<number, Status>;
  scales: Map<number, Status>;
  values: { respondents: number[] };
}

let generation = 0;
/** Tree moves make every plan stale. */
export function invalidatePlans(): void {
  generation++;
}

/** Changes with every tree move (for caches that depend on the tree beside a plan). */
export function planGeneration(): number {
  return generation;
}

const cache = new Map<string, { stamp: string; plan: Promise<Plan> }>();
const CACHE_SIZE = 64;

/** The organisations with respondents in an administration, each with its k (the network's, raised on the way down). */
async function loadNodes(db: DbOrTx, administrationId: number) {
  const rows = await queryRows<{ id: number; parent_id: number | null; name: string; kind: string; path: string; min_cell_size: number | null; n: number }>(
    db,
    sql`select o.id, o.parent_id, o.name, o.kind, o.path, o.min_cell_size, c.n
        from survey_cell_counts c join organizations o on o.id = c.org_id
        where c.administration_id = ${administrationId} and c.dim = '' and c.item = 0 and c.grp = '' and c.n > 0
        order by o.path`,
  );
  const raw = new Map(rows.map((r) => [r.id, r]));
  const nodes = new Map<number, PlanNode>();
  for (const r of rows) {
    const [root, ...below] = r.path.split('/').filter(Boolean).map(Number);
    const k = effectiveK(raw.get(root)?.min_cell_size, below.map((id) => raw.get(id)?.min_cell_size));
    nodes.set(r.id, { id: r.id, parentId: r.parent_id, name: r.name, kind: r.kind, path: r.path, k });
  }
  return nodes;
}

/**
 * What a plan depends on, in one small row: how many organisations and respondents the
 * administration counts, and the k settings among them. Tree moves change the generation.
 */
async function stampOf(db: DbOrTx, administrationId: number): Promise<string> {
  const [r] = await queryRows<{ orgs: number; n: string; k: string }>(
    db,
    sql`select count(*)::int as orgs, coalesce(sum(c.n), 0)::text as n, coalesce(string_agg(o.id || ':' || o.min_cell_size, ',' order by o.id), '') as k
        from survey_cell_counts c join organizations o on o.id = c.org_id
        where c.administration_id = ${administrationId} and c.dim = '' and c.item = 0 and c.grp = '' and c.n > 0`,
  );
  return `${generation}:${r.orgs}:${r.n}:${r.k}`;
}

/**
 * The plan for an administration grouped by `dim` ('' for everyone), from cache while the counts,
 * the tree and the k settings are what they were.
 * @param multi whether `dim` allows several answers (each answer then splits respondents in two)
 */
export async function planFor(db: DbOrTx, administrationId: number, dim: string, multi: boolean): Promise<Plan> {
  const stamp = await stampOf(db, administrationId);
  const key = `${administrationId}|${dim}`;
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.plan;
  const plan = loadNodes(db, administrationId).then((nodes) => makePlan(db, administrationId, dim, multi, nodes));
  cache.delete(key);
  cache.set(key, { stamp, plan });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  plan.catch(() => cache.delete(key));
  return plan;
}

async function makePlan(db: DbOrTx, administrationId: number, dim: string, multi: boolean, nodes: Map<number, PlanNode>): Promise<Plan> {
  const cells = await queryRows<{ org_id: number; grp: string; item: number; n: number }>(
    db,
    sql`select org_id, grp, item, n from survey_cell_counts where administration_id = ${administrationId} and dim in ('', ${dim})`,
  );
  const items = cells.filter((r) => r.item >= 0);
  const scales = cells.filter((r) => r.item < 0).map((r) => ({ ...r, scale: -r.item }));
  const groups = [...new Set(items.filter((r) => r.grp !== '').map((r) => r.grp))].sort();
  const shape = tableShape([...nodes.values()].map((n) => ({ id: n.id, parentId: n.parentId })), dim ? { groups, multi } : null);
  const kOf = (org: number) => nodes.get(org)?.k ?? effectiveK(null);
  const counts = new Map<string, number>();
  for (const r of items) counts.set(`i${r.item}|${r.org_id}|${r.grp}`, r.n);
  for (const r of scales) counts.set(`s${r.scale}|${r.org_id}|${r.grp}`, r.n);
  const measure = (prefix: string) => tableValues(shape, (org, grp) => counts.get(`${prefix}|${org}|${grp}`) ?? 0);
  const respondentValues = measure('i0');
  const respondents = guardMeasure(shape, respondentValues, kOf);
  const itemIds = [...new Set(items.map((r) => r.item))].filter((i) => i > 0);
  const scaleIds = [...new Set(scales.map((r) => r.scale))];
  // One measure at a time, letting other requests in between: a large plan takes a second of work.
  const guarded = async (prefix: string) => {
    await new Promise((r) => setImmediate(r));
    return guardMeasure(shape, measure(prefix), kOf, respondents);
  };
  const itemStatus = new Map<number, (Reason | null)[]>();
  for (const i of itemIds) itemStatus.set(i, await guarded(`i${i}`));
  const scaleStatus = new Map<number, (Reason | null)[]>();
  for (const sc of scaleIds) scaleStatus.set(sc, await guarded(`s${sc}`));
  return { nodes, shape, groups, respondents, items: itemStatus, scales: scaleStatus, values: { respondents: respondentValues } };
}
