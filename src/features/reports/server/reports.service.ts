import { sql } from 'drizzle-orm';
import { can, likePrefix, type Actor } from '../../../server/authz/scope.js';
import { type Db, queryRows } from '../../../server/db/client.js';
import { AppError, badRequest, forbidden, notFound } from '../../../server/http/errors.js';
import type { InstrumentDefinition } from '../../instruments/model/instrument.schema.js';
import { allSlots, specOf } from '../../instruments/model/item-types.js';
import { type LanguageCode, pick } from '../../instruments/model/lang.js';
import { loadPublishedDefinition } from '../../instruments/server/instruments.service.js';
import { findOrg, type OrgRow } from '../../organizations/server/organizations.queries.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { loadAdministration, windowState } from '../../surveys/server/surveys.service.js';
import { surveyAdministrations } from '../../surveys/server/surveys.tables.js';
import { ratedSlots } from '../../surveys/server/surveys.layout.js';
import type { ItemFigure, ReportQuery, ScaleFigure, ShownPercent, SurveyComments, SurveyReport } from '../reports.contract.js';
import { combinationAllowed, combinedCounts } from './reports.combined.js';
import { type Plan, planFor, planGeneration } from './reports.plan.js';
import { codedPercent, effectiveK, type Reason } from './reports.privacy.js';
import { intArray } from '../../../server/db/arrays.js';

type Administration = typeof surveyAdministrations.$inferSelect;
/** Why a figure is withheld, as the report says it (the privacy module's reasons and combined filters'). */
type Withheld = Reason | 'combination' | null;

/** An administration whose results may be read: it exists, it is closed, its instrument is known. */
async function closedAdministration(db: Db, actor: Actor, id: number): Promise<{ a: Administration; def: InstrumentDefinition; adminOrg: OrgRow }> {
  // Nothing about an administration (not even that it is open) to someone who may read none of it.
  const { a, org: adminOrg } = await loadAdministration(db, actor, id, 'survey.read');
  const def = await loadPublishedDefinition(db, a.instrumentId, a.instrumentVersion);
  if (!def) throw notFound('Survey');
  if (windowState(a) !== 'closed') throw new AppError('conflict', 'Results appear once the survey has closed, so that no one can be singled out by comparing figures from day to day.');
  return { a, def, adminOrg };
}

const percent = (part: number, n: number): ShownPercent => codedPercent((part / n) * 100, n);
const nothing: ShownPercent = { value: null, coded: null };

/** Counts read for the cells a view shows: per organisation and group, item values and scale bands. */
interface CellCounts {
  items: Map<string, Map<number, number>>;
  scales: Map<string, { n: number; sum: number; fav: number; answers: number; bands: Map<number, number> }>;
}

async function readCells(db: Db, administrationId: number, orgs: number[], dim: string): Promise<CellCounts> {
  const ids = intArray(orgs);
  const dims = dim ? sql`dim in ('', ${dim})` : sql`dim = ''`;
  const [items, scales] = await Promise.all([
    queryRows<{ org_id: number; grp: string; item: number; value: number; n: number }>(
      db,
      sql`select org_id, grp, item, value, n from survey_item_counts where administration_id = ${administrationId} and org_id = any(${ids}) and ${dims} and item > 0 and value >= 0`,
    ),
    queryRows<{ org_id: number; grp: string; scale: number; band: number; n: number; score_sum: number; fav: number; answers: number }>(
      db,
      sql`select org_id, grp, scale, band, n, score_sum, fav, answers from survey_scale_counts where administration_id = ${administrationId} and org_id = any(${ids}) and ${dims}`,
    ),
  ]);
  const out: CellCounts = { items: new Map(), scales: new Map() };
  for (const r of items) {
    const key = `${r.org_id}|${r.grp}|${r.item}`;
    const m = out.items.get(key) ?? new Map<number, number>();
    m.set(r.value, r.n);
    out.items.set(key, m);
  }
  for (const r of scales) {
    const key = `${r.org_id}|${r.grp}|${r.scale}`;
    const s = out.scales.get(key) ?? { n: 0, sum: 0, fav: 0, answers: 0, bands: new Map<number, number>() };
    if (r.band === 0) Object.assign(s, { n: r.n, sum: Number(r.score_sum), fav: r.fav, answers: r.answers });
    else s.bands.set(r.band, r.n);
    out.scales.set(key, s);
  }
  return out;
}

const layouts = new WeakMap<InstrumentDefinition, ReturnType<typeof makeLayout>>();
/** How one instrument version's rated items and scales read in a report (made once per definition). */
function layout(def: InstrumentDefinition) {
  let l = layouts.get(def);
  if (!l) layouts.set(def, (l = makeLayout(def)));
  return l;
}

function makeLayout(def: InstrumentDefinition) {
  const rated = ratedSlots(def);
  const slots = new Map(allSlots(def).map((s) => [s.id, s]));
  const reverse = new Set(def.scales.flatMap((s) => s.reverse ?? []));
  const items = rated.map((id, i) => {
    const slot = slots.get(id)!;
    const range = specOf(slot.item).range?.(slot.item as never, { labelSets: def.labelSets }) ?? { min: 1, max: 5, favorableFrom: 4 };
    return { id, index: i + 1, slot, range, reverse: reverse.has(id) };
  });
  const scales = def.scales.map((s, i) => ({ scale: s, index: i + 1, bands: [...(s.bands ?? [])].sort((a, b) => a.min - b.min) }));
  return { items, scales };
}
type Layout = ReturnType<typeof layout>;

function itemFigure(status: Withheld | undefined, values: Map<number, number> | undefined, item: Layout['items'][number]): ItemFigure {
  const points = Array.from({ length: item.range.max - item.range.min + 1 }, (_, i) => item.range.min + i);
  const n = values ? [...values.values()].reduce((s, x) => s + x, 0) : 0;
  if (status || !values || n === 0) return { n: status ? null : n, withheld: status ?? null, mean: null, favourable: nothing, distribution: points.map(() => nothing) };
  let sum = 0;
  let fav = 0;
  for (const [v, c] of values) {
    sum += v * c;
    if ((item.reverse ? item.range.min + item.range.max - v : v) >= item.range.favorableFrom) fav += c;
  }
  const favourable = percent(fav, n);
  // A small group's mean would give away the share its favourable figure rounds to "5 % or less" / "95 % or more".
  return { n, withheld: null, mean: favourable.coded ? null : sum / n, favourable, distribution: points.map((p) => percent(values.get(p) ?? 0, n)) };
}

function scaleFigure(status: Withheld | undefined, counts: CellCounts['scales'] extends Map<string, infer V> ? V | undefined : never, scale: Layout['scales'][number]): ScaleFigure {
  const bands = scale.bands.map((b) => ({ id: b.id, percent: nothing }));
  if (status || !counts || counts.n === 0) return { n: status ? null : (counts?.n ?? 0), withheld: status ?? null, mean: null, favourable: nothing, bands };
  const n = counts.n;
  const favourable = counts.answers ? percent(counts.fav, counts.answers) : nothing;
  return {
    n,
    withheld: null,
    // As for items: no exact mean beside a coded favourable share.
    mean: favourable.coded ? null : counts.sum / n,
    favourable,
    bands: scale.bands.map((b, i) => ({ id: b.id, percent: percent(counts.bands.get(i + 1) ?? 0, n) })),
  };
}

/** Reads every figure of one cell (organisation × group) of a plan. */
function cellReader(plan: Plan | null, counts: CellCounts, lay: Layout) {
  return (org: number, group: string) => {
    const at = plan?.shape.cell(org, group);
    const status = (s: (Reason | null)[] | undefined): Reason | null | undefined => (at === undefined ? undefined : s?.[at]);
    return {
      respondents: (at === undefined || !plan ? { n: 0, withheld: null } : { n: plan.respondents[at] ? null : plan.values.respondents[at], withheld: plan.respondents[at] }) as { n: number | null; withheld: Withheld },
      items: lay.items.map((it) => itemFigure(at === undefined ? null : status(plan!.items.get(it.index)) ?? plan!.respondents[at], counts.items.get(`${org}|${group}|${it.index}`), it)),
      scales: lay.scales.map((sc) => scaleFigure(at === undefined ? null : status(plan!.scales.get(sc.index)) ?? plan!.respondents[at], counts.scales.get(`${org}|${group}|${sc.index}`), sc)),
    };
  };
}

/**
 * The organisation reported on: the one asked for, else the administration's own, else the
 * highest one with respondents that the caller may read. It must take part in the
 * administration (have respondents, or sit below the organisation that gave it).
 */
async function resolveOrg(db: Db, actor: Actor, adminOrg: OrgRow, plan: Plan, asked: number | undefined, permission: 'survey.read' | 'survey.run'): Promise<OrgRow> {
  let orgId = asked;
  if (!orgId) {
    const readable = [...plan.nodes.values()].filter((n) => can(actor, permission, n)).sort((x, y) => x.path.length - y.path.length)[0];
    orgId = can(actor, permission, adminOrg) ? adminOrg.id : readable?.id;
  }
  const org = orgId ? await findOrg(db, orgId) : undefined;
  const covered = org && (plan.nodes.has(org.id) || org.path.startsWith(adminOrg.path));
  if (!org || !covered || !can(actor, 'survey.read', org)) throw notFound('Results for this organisation');
  if (!can(actor, permission, org)) throw forbidden('Reading free-text answers needs a coordinator or admin role.');
  return org;
}

/**
 * The report of a closed survey administration for one organisation the caller may read: every
 * scale and rated item overall, beside the parent organisation, side by side by school or by a
 * demographic question, with the trend over earlier comparable administrations. Every figure
 * comes from the roll-ups through one suppression plan per administration and grouping.
 * @throws AppError not_found | conflict (not closed yet) | validation_failed (unknown grouping)
 */
export async function getSurveyReport(db: Db, actor: Actor, administrationId: number, query: ReportQuery): Promise<SurveyReport> {
  const { a, def, adminOrg } = await closedAdministration(db, actor, administrationId);
  const lang = query.lang as LanguageCode;
  const text = (w: Parameters<typeof pick>[0]) => pick(w, lang, def.defaultLanguage);

  // Demographic questions this administration asked.
  const dimensions = def.sections
    .flatMap((s) => s.items)
    .filter((i): i is Extract<typeof i, { choices: unknown }> => 'demographic' in i && !!i.demographic && a.demographics.includes(i.id))
    .map((i) => ({ id: i.id, label: text(i.text), multi: i.type === 'multiple_choice', choices: i.choices }));
  const filters = (query.filter?.split(',') ?? []).map((f) => ({ dim: f.split(':')[0], group: f.split(':')[1] }));
  for (const f of filters) if (!dimensions.some((d) => d.id === f.dim)) throw badRequest(`This survey did not ask "${f.dim}"; filter by one of: ${dimensions.map((d) => d.id).join(', ') || 'none'}.`, 'filter');
  const [filterDim, filterGroup] = filters.length ? [filters[0].dim, filters[0].group] : [];
  const second = filters[1];
  if (second && (second.dim === filterDim || dimensions.some((d) => (d.id === filterDim || d.id === second.dim) && d.multi)))
    throw badRequest('Combine two different questions that take one answer each (grade and gender, for example).', 'filter');
  const by = query.by ?? null;
  if (second && by) throw badRequest('A combined filter shows one group: leave "side by side" empty.', 'by');
  if (by && by !== 'school' && !dimensions.some((d) => d.id === by)) throw badRequest(`Group by "school" or one of: ${dimensions.map((d) => d.id).join(', ') || 'none'}.`, 'by');
  if (by && by !== 'school' && filterDim) throw badRequest('Two demographic questions cannot be combined: choose groups side by side, or a filter with schools side by side.', 'filter');
  const dimId = filterDim ?? (by && by !== 'school' ? by : '');
  const dim = dimensions.find((d) => d.id === dimId);

  const plan = await planFor(db, a.id, dimId, dim?.multi ?? false);

  const org = await resolveOrg(db, actor, adminOrg, plan, query.org, 'survey.read');
  // A closed administration's figures change only with its counts (a new plan) or an earlier one's (the trend).
  const viewKey = JSON.stringify([org.id, by, query.filter ?? '', lang]);
  const views = reportCache.get(plan) ?? new Map<string, CachedReport>();
  reportCache.set(plan, views);
  const cached = views.get(viewKey);
  if (cached && (await trendStamp(db, cached.trendIds)) === cached.trendStamp) return cached.report;
  const node = plan.nodes.get(org.id);
  const parent = node?.parentId ? plan.nodes.get(node.parentId) ?? null : null;
  const children = [...plan.nodes.values()].filter((n) => n.parentId === org.id).sort((x, y) => x.name.localeCompare(y.name));
  if (by === 'school' && org.kind === 'school') throw badRequest('A school has no schools below it; group by a demographic question instead.', 'by');

  const group = filterGroup ?? '';
  const lay = layout(def);
  const groupLabel = (d: (typeof dimensions)[number] | undefined, key: string) => text(d?.choices.find((c) => c.value === key)?.label) || key;
  let columnKeys: string[] = [];
  let here: ReturnType<ReturnType<typeof cellReader>>;
  let above: typeof here | null = null;
  let columns: (typeof here)[] = [];
  let trend: Awaited<ReturnType<typeof trendOf>> = [];
  if (second) {
    // Two answers at once: figures straight from the responses, only where no combined cell is small.
    const plan2 = await planFor(db, a.id, second.dim, false);
    const verdict = await combinationAllowed(db, a.id, org, [plan, plan2], [filters[0], second]);
    if (verdict === 'counting') throw new AppError('conflict', 'Responses are still being counted; try again in a minute.');
    const counts: CellCounts = { items: new Map(), scales: new Map() };
    let n = 0;
    if (verdict === 'ok') {
      const raw = await combinedCounts(db, a.id, org, [filters[0], second]);
      for (const r of raw.items) {
        if (r.item === 0) n = r.n;
        else counts.items.set(`${org.id}|*|${r.item}`, (counts.items.get(`${org.id}|*|${r.item}`) ?? new Map()).set(r.value, r.n));
      }
      for (const r of raw.scales) {
        const key = `${org.id}|*|${r.scale}`;
        const c = counts.scales.get(key) ?? { n: 0, sum: 0, fav: 0, answers: 0, bands: new Map<number, number>() };
        if (r.band === 0) Object.assign(c, { n: r.n, sum: Number(r.score_sum), fav: r.fav, answers: r.answers });
        else c.bands.set(r.band, r.n);
        counts.scales.set(key, c);
      }
    }
    const status = verdict === 'ok' ? null : ('combination' as const);
    here = {
      respondents: { n: status ? null : n, withheld: status },
      items: lay.items.map((it) => itemFigure(status, counts.items.get(`${org.id}|*|${it.index}`), it)),
      scales: lay.scales.map((sc) => scaleFigure(status, counts.scales.get(`${org.id}|*|${sc.index}`), sc)),
    };
  } else {
    // Groups in the questionnaire's order, answers outside its choices (prefer not to say) last.
    const order = (g: string) => {
      const i = dim?.choices.findIndex((c) => c.value === g) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    columnKeys = by === 'school' ? children.map((c) => String(c.id)) : by ? [...plan.groups].sort((x, y) => order(x) - order(y) || x.localeCompare(y)) : [];
    const counts = await readCells(db, a.id, [org.id, ...(parent ? [parent.id] : []), ...(by === 'school' ? children.map((c) => c.id) : [])], dimId);
    const read = cellReader(plan, counts, lay);
    here = read(org.id, group);
    above = parent ? read(parent.id, group) : null;
    columns = columnKeys.map((key) => (by === 'school' ? read(Number(key), group) : read(org.id, key)));
    trend = await trendOf(db, actor, a, org.id, dimId, dim?.multi ?? false, group);
  }

  const elements = new Map<string, { scales: string[]; items: string[] }>();
  for (const s of def.scales) for (const t of s.tags ?? []) elements.set(t, { scales: [...(elements.get(t)?.scales ?? []), s.id], items: elements.get(t)?.items ?? [] });
  for (const it of lay.items) for (const t of [...(it.slot.item.tags ?? []), ...(it.slot.rowId && it.slot.item.type === 'matrix' ? it.slot.item.rows.find((r) => r.id === it.slot.rowId)?.tags ?? [] : [])]) {
    const e = elements.get(t) ?? { scales: [], items: [] };
    if (!e.items.includes(it.id)) e.items.push(it.id);
    elements.set(t, e);
  }
  const ref = (o: { id: number; name: string; kind: string }) => ({ id: o.id, name: o.name, kind: o.kind });
  const labelSetOf = (it: Layout['items'][number]) => ('labelSet' in it.slot.item ? def.labelSets[it.slot.item.labelSet] : undefined);
  const report: SurveyReport = {
    administration: { id: a.id, title: a.title, instrumentId: a.instrumentId, instrumentVersion: a.instrumentVersion, opensAt: a.opensAt.toISOString(), closesAt: a.closesAt.toISOString(), org: ref(adminOrg) },
    org: ref(org),
    parent: parent && !second ? ref(parent) : null,
    k: node?.k ?? effectiveK(null),
    respondents: here.respondents,
    dimensions: dimensions.map((d) => ({ id: d.id, label: d.label, multi: d.multi, groups: plan.groups.length && d.id === dimId ? plan.groups.map((g) => ({ key: g, label: groupLabel(d, g) })) : d.choices.map((c) => ({ key: c.value, label: text(c.label) })) })),
    by,
    filter: filterDim ? { dim: filterDim, group, label: groupLabel(dim, group) } : null,
    alsoFilter: second ? { dim: second.dim, group: second.group, label: groupLabel(dimensions.find((d) => d.id === second.dim), second.group) } : null,
    columns: columnKeys.map((key, i) => ({ key, label: by === 'school' ? children[i].name : groupLabel(dim, key), ...columns[i].respondents })),
    scales: lay.scales.map((sc, i) => ({
      id: sc.scale.id,
      title: text(sc.scale.title),
      method: sc.scale.method,
      tags: sc.scale.tags ?? [],
      bands: sc.bands.map((b) => ({ id: b.id, label: text(b.label) })),
      overall: here.scales[i],
      parent: above?.scales[i] ?? null,
      columns: columns.map((c) => c.scales[i]),
      trend: [...trend.map((t) => ({ administrationId: t.id, title: t.title, closesAt: t.closesAt, figure: t.scales.get(sc.scale.id)! })).filter((t) => t.figure), { administrationId: a.id, title: a.title, closesAt: a.closesAt.toISOString(), figure: here.scales[i] }],
    })),
    items: lay.items.map((it, i) => ({
      id: it.id,
      text: it.slot.rowId && it.slot.item.type === 'matrix' ? text(it.slot.item.rows.find((r) => r.id === it.slot.rowId)?.text) : text(it.slot.item.text),
      scales: def.scales.filter((s) => s.items.includes(it.id)).map((s) => s.id),
      reverse: it.reverse,
      tags: it.slot.item.tags ?? [],
      points: Array.from({ length: it.range.max - it.range.min + 1 }, (_, p) => ({ value: it.range.min + p, label: text(labelSetOf(it)?.labels[p]) || String(it.range.min + p) })),
      overall: here.items[i],
      parent: above?.items[i] ?? null,
      columns: columns.map((c) => c.items[i]),
    })),
    elements: [...elements].map(([r, e]) => ({ ref: r, ...e })).sort((x, y) => x.ref.localeCompare(y.ref)),
  };
  const trendIds = trend.map((t) => t.id);
  views.set(viewKey, { report, trendIds, trendStamp: await trendStamp(db, trendIds) });
  return report;
}

interface CachedReport {
  report: SurveyReport;
  trendIds: number[];
  trendStamp: string;
}
/** Reports made from a plan, per view; dropped with the plan when counts, settings or the tree change. */
const reportCache = new WeakMap<Plan, Map<string, CachedReport>>();

/** What the trend's earlier administrations count, so a cached report notices a change there. */
async function trendStamp(db: Db, ids: number[]): Promise<string> {
  if (!ids.length) return '';
  const rows = await queryRows<{ id: number; orgs: number; n: string }>(
    db,
    sql`select administration_id as id, count(*)::int as orgs, sum(n)::text as n from survey_cell_counts
        where administration_id = any(${`{${ids.join(',')}}`}::int[]) and dim = '' and item = 0 and grp = '' group by 1 order by 1`,
  );
  return `${planGeneration()}:${rows.map((r) => `${r.id}/${r.orgs}/${r.n}`).join(',')}`;
}

/**
 * Up to four earlier closed administrations of the same instrument with respondents at the
 * organisation, newest last, each read through its own plan. Scales match by id across versions.
 */
async function trendOf(db: Db, actor: Actor, a: Administration, orgId: number, dim: string, multi: boolean, group: string) {
  const earlier = await queryRows<{ id: number }>(
    db,
    sql`select a.id from survey_administrations a
        join survey_item_counts c on c.administration_id = a.id and c.org_id = ${orgId} and c.item = 0 and c.value = 0 and c.dim = '' and c.grp = '' and c.n > 0
        where a.instrument_id = ${a.instrumentId} and a.id <> ${a.id} and a.closes_at <= least(now(), ${a.closesAt})
        order by a.closes_at desc, a.id desc limit 4`,
  );
  const out: { id: number; title: string; closesAt: string; scales: Map<string, ScaleFigure> }[] = [];
  for (const { id } of earlier.reverse()) {
    const { a: e, def } = await closedAdministration(db, actor, id);
    const plan = await planFor(db, id, dim, multi);
    const lay = layout(def);
    const counts = await readCells(db, id, [orgId], dim);
    const cell = cellReader(plan, counts, lay)(orgId, group);
    out.push({ id, title: e.title, closesAt: e.closesAt.toISOString(), scales: new Map(lay.scales.map((sc, i) => [sc.scale.id, cell.scales[i]])) });
  }
  return out;
}

/**
 * Free-text answers of one organisation's respondents (DESIGN.md §3.5): only when its group of
 * respondents is shown (at least k, not withheld), only to coordinators and admins, never with a
 * demographic filter, listed alphabetically so nothing follows the order they came in. Audited.
 * @throws AppError not_found | forbidden | conflict (not closed yet)
 */
export async function getSurveyComments(db: Db, actor: Actor, administrationId: number, query: { org?: number; lang: string }): Promise<SurveyComments> {
  const { a, def, adminOrg } = await closedAdministration(db, actor, administrationId);
  const plan = await planFor(db, a.id, '', false);
  const org = await resolveOrg(db, actor, adminOrg, plan, query.org, 'survey.run');
  const at = plan.shape.cell(org.id, '');
  const withheld = at === undefined ? null : plan.respondents[at];
  const textItems = def.sections.flatMap((s) => s.items).filter((i) => i.type === 'text');
  const lang = query.lang as LanguageCode;
  const ref = { id: org.id, name: org.name, kind: org.kind };
  if (withheld || at === undefined || !textItems.length) return { org: ref, withheld, questions: textItems.map((i) => ({ id: i.id, text: pick(i.text, lang, def.defaultLanguage), total: 0, answers: [] })) };
  const rows = await queryRows<{ key: string; value: string; total: number }>(
    db,
    sql`with t as (
          select e.key, btrim(e.value) as value from survey_responses r join organizations o on o.id = r.org_id
          cross join lateral jsonb_each_text(r.other) e
          where r.administration_id = ${a.id} and o.path like ${likePrefix(org.path)} and e.key = any(${`{${textItems.map((i) => i.id).join(',')}}`}::text[]) and btrim(e.value) <> '')
        select key, value, (count(*) over (partition by key))::int as total from t order by key, value limit 2000`,
  );
  await writeAudit(db, { action: 'survey.comments_read', actor, org, targetType: 'survey_administration', targetId: a.id, details: { answers: rows.length } });
  return {
    org: ref,
    withheld: null,
    questions: textItems.map((i) => {
      const mine = rows.filter((r) => r.key === i.id);
      return { id: i.id, text: pick(i.text, lang, def.defaultLanguage), total: mine[0]?.total ?? 0, answers: mine.slice(0, 500).map((r) => r.value) };
    }),
  };
}
