import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../../server/authz/scope.js';
import { intArray, textArray } from '../../../server/db/arrays.js';
import { type Db, queryRows } from '../../../server/db/client.js';
import { HIGHLIGHT_END, HIGHLIGHT_START, type ResourceCard, type SearchQuery, type SearchResult } from '../resources.contract.js';
import type { ResourceType } from '../resources.model.js';
import { networksOf, visibleResources } from './resources.access.js';
import type { StoredFile } from './resources.tables.js';

const configOf = { en: 'english', fr: 'french', es: 'spanish' } as const;

/** The words typed, as one text-search query read in English, French and Spanish (any may match). */
const queryOf = (q: string) => sql`(websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('french', ${q}) || websearch_to_tsquery('spanish', ${q}))`;

type CardRow = {
  id: number; type: ResourceType; title: ResourceCard['title']; summary: ResourceCard['summary']; audiences: string[]; grade_bands: string[]; languages: string[]; elements: string[];
  url: string | null; example: boolean; file: StoredFile | null; owner_org_id: number | null;
};
export const cardColumns = sql`resources.id, resources.type, resources.title, resources.summary, resources.audiences, resources.grade_bands, resources.languages, resources.elements, resources.url, resources.example, resources.file, resources.owner_org_id`;

/** A resource row as the library lists it. */
export function card(r: CardRow): ResourceCard {
  return {
    id: r.id,
    type: r.type,
    title: r.title,
    summary: r.summary,
    audiences: r.audiences,
    gradeBands: r.grade_bands,
    languages: r.languages,
    elements: r.elements,
    url: r.url,
    example: r.example,
    file: r.file ? { name: r.file.name, type: r.file.type, size: r.file.size } : null,
    shipped: r.owner_org_id === null,
  };
}

/** The tag filters of a search, each "any of these"; together "all of them". Every-grade resources fit any grade. */
function filters(q: SearchQuery): SQL[] {
  const out: SQL[] = [];
  if (q.type?.length) out.push(sql`resources.type = any(${textArray(q.type)})`);
  if (q.audience?.length) out.push(sql`resources.audiences && ${textArray(q.audience)}`);
  if (q.grade?.length) out.push(sql`(resources.grade_bands && ${textArray(q.grade)} or cardinality(resources.grade_bands) = 0)`);
  if (q.language?.length) out.push(sql`resources.languages && ${textArray(q.language)}`);
  if (q.element?.length) out.push(sql`resources.elements && ${textArray(q.element)}`);
  if (q.collection) out.push(sql`resources.id in (select resource_id from resource_collection_items where collection_id = ${q.collection})`);
  return out;
}

/** Counts and facets of a search, kept per library version (any change to the library bumps it). */
type Counts = { total: number; titled: number; facets: SearchResult['facets'] };
const countedByDb = new WeakMap<Db, Map<string, Counts>>();
const COUNTED_MAX = 500;
/** Recommendations ranked once per library version: the best this many, per set of elements. */
const RANKED_MAX = 50;
const rankedByDb = new WeakMap<Db, Map<string, number[]>>();

async function libraryVersion(db: Db): Promise<number> {
  const [row] = await queryRows<{ version: number | string }>(db, sql`select version from resource_library_version where id = 1`);
  return Number(row?.version ?? 0);
}

/** Who may see what: operators everything, others the starter library and their networks'. */
const scopeKey = (actor: Actor) => (actor.isOperator ? '*' : networksOf(actor).sort((a, b) => a - b).join(','));

/**
 * Searches the library the reader may see: full text in English, French and Spanish (titles
 * weigh more than summaries), narrowed by any tags, ranked best first, with highlights in the
 * reader's language and a count per tag value of everything that matched. Words that find
 * nothing are replaced by the closest spellings in the library, and the search runs again.
 */
export async function searchResources(db: Db, actor: Actor, q: SearchQuery): Promise<SearchResult> {
  const first = await searchOnce(db, actor, q);
  if (first.total > 0 || !q.q) return { ...first, corrected: null };
  const corrected = await closestSpelling(db, actor, q.q);
  if (!corrected) return { ...first, corrected: null };
  const again = await searchOnce(db, actor, { ...q, q: corrected });
  return again.total > 0 ? { ...again, corrected } : { ...first, corrected: null };
}

async function searchOnce(db: Db, actor: Actor, q: SearchQuery): Promise<Omit<SearchResult, 'corrected'>> {
  const words = q.q;
  const tsq = queryOf(words);
  const where = [visibleResources(actor), ...filters(q)];
  if (words) where.push(sql`resources.search @@ ${tsq}`);
  const whereSql = sql.join(where, sql` and `);
  const counted = countedByDb.get(db) ?? new Map<string, Counts>();
  countedByDb.set(db, counted);
  const key = JSON.stringify([await libraryVersion(db), scopeKey(actor), words, q.type, q.audience, q.grade, q.language, q.element, q.collection]);
  const counts = counted.get(key) ?? (await countAndFacets(db, whereSql, words ? sql`resources.title_search @@ ${tsq}` : null));
  if (!counted.has(key)) {
    if (counted.size >= COUNTED_MAX) counted.delete(counted.keys().next().value!);
    counted.set(key, counts);
  }
  // Resources whose titles match come first, then those matching in their summaries; newest first
  // within each. Both read in id order, so a common word stops after a page, not after every match.
  const pageOf = (extra: SQL | null, offset: number, limit: number) =>
    limit <= 0 ? Promise.resolve([]) : queryRows<CardRow>(db, sql`select ${cardColumns} from resources where ${whereSql} ${extra ? sql`and ${extra}` : sql``} order by resources.id desc offset ${offset} limit ${limit}`);
  let page: CardRow[];
  // Nothing matched (a typo, often): no page to read, and no scan looking for one.
  if (counts.total === 0 || q.offset >= counts.total) page = [];
  else if (!words) page = await pageOf(null, q.offset, q.limit);
  else {
    const titled = await pageOf(sql`resources.title_search @@ ${tsq}`, Math.min(q.offset, counts.titled), q.offset < counts.titled ? q.limit : 0);
    const rest = await pageOf(sql`not (resources.title_search @@ ${tsq})`, Math.max(0, q.offset - counts.titled), q.limit - titled.length);
    page = [...titled, ...rest];
  }
  const highlights = words && page.length ? await highlight(db, page.map((p) => p.id), words, q.lang) : new Map<number, { title: string; summary: string }>();
  return { total: counts.total, items: page.map((r) => ({ ...card(r), highlight: highlights.get(r.id) ?? null })), facets: counts.facets };
}

/** How many resources match, and how many of them carry each tag value. */
async function countAndFacets(db: Db, whereSql: SQL, titled: SQL | null): Promise<Counts> {
  const rows = await queryRows<{ facet: keyof SearchResult['facets'] | 'total' | 'titled'; value: string; n: number }>(
    db,
    sql`with hits as (select resources.type, resources.audiences, resources.grade_bands, resources.languages, resources.elements, ${titled ?? sql`false`} as titled from resources where ${whereSql})
        select 'total' as facet, '' as value, count(*)::int as n from hits
        union all
        select 'titled', '', count(*) filter (where titled)::int from hits
        union all
        select f.facet, f.value, count(*)::int as n
        from hits cross join lateral (
          select 'type' as facet, hits.type as value
          union all select 'audience', unnest(hits.audiences)
          union all select 'grade', unnest(hits.grade_bands)
          union all select 'language', unnest(hits.languages)
          union all select 'element', unnest(hits.elements)
        ) f
        group by f.facet, f.value`,
  );
  const facetList = (name: keyof SearchResult['facets']) =>
    rows
      .filter((f) => f.facet === name)
      .map((f) => ({ value: f.value, count: f.n }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return {
    total: rows.find((r) => r.facet === 'total')?.n ?? 0,
    titled: rows.find((r) => r.facet === 'titled')?.n ?? 0,
    facets: { type: facetList('type'), audience: facetList('audience'), grade: facetList('grade'), language: facetList('language'), element: facetList('element') },
  };
}

/**
 * The words typed with each one the reader's library does not know replaced by its closest known
 * spelling (trigram similarity over the words of what they may see), or null when nothing changes.
 */
async function closestSpelling(db: Db, actor: Actor, words: string): Promise<string | null> {
  const tokens = words.toLowerCase().split(/[\s.,;:!?()"“”«»‘’'/—–+*&%$#@0-9-]+/u).filter((w) => w.length >= 3).slice(0, 8);
  if (!tokens.length) return null;
  // Only the words of what the reader may see: the starter library's and their networks'.
  const mine = actor.isOperator ? sql`true` : sql`w.owner = any(${intArray([0, ...networksOf(actor)])})`;
  const rows = await queryRows<{ token: string; known: boolean; best: string | null }>(
    db,
    sql`select t.token, exists (select 1 from resource_words w where w.word = t.token and ${mine}) as known,
          (select w.word from resource_words w where w.word % t.token and ${mine} order by similarity(w.word, t.token) desc, abs(length(w.word) - length(t.token)), w.word limit 1) as best
        from unnest(${textArray(tokens)}) as t(token)`,
  );
  let changed = false;
  const out = rows.map((r) => {
    if (r.known || !r.best) return r.token;
    changed = true;
    return r.best;
  });
  return changed ? out.join(' ') : null;
}

/** Title and summary of a page of results in the reader's language, matched words between markers. */
async function highlight(db: Db, ids: number[], words: string, lang: 'en' | 'fr' | 'es') {
  const config = sql.raw(`'${configOf[lang]}'`);
  const options = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxFragments=2, MaxWords=35, MinWords=15, FragmentDelimiter=" … "`;
  const text = (field: 'title' | 'summary') => sql.raw(`coalesce(resources.${field}->>'${lang}', resources.${field}->>'en', resources.${field}->>'fr', resources.${field}->>'es')`);
  const rows = await queryRows<{ id: number; title: string; summary: string }>(
    db,
    sql`select resources.id,
          ts_headline(${config}, ${text('title')}, websearch_to_tsquery(${config}, ${words}), 'HighlightAll=true, StartSel=${sql.raw(HIGHLIGHT_START)}, StopSel=${sql.raw(HIGHLIGHT_END)}') as title,
          ts_headline(${config}, ${text('summary')}, websearch_to_tsquery(${config}, ${words}), ${options}) as summary
        from resources where resources.id = any(${intArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, { title: r.title, summary: r.summary }]));
}

/**
 * Resources tagged with the same framework elements as a result or a goal, best matches first:
 * most elements in common, then the most focused (fewest other tags), then those for the audience.
 */
export async function recommendResources(db: Db, actor: Actor, q: { element?: string[]; audience?: string[]; exclude?: number[]; limit: number }) {
  if (!q.element?.length) return { items: [] };
  const tags = [...new Set(q.element)].sort();
  // The best 50 are kept per library version; what is already attached is left out afterwards.
  const cache = rankedByDb.get(db) ?? new Map<string, number[]>();
  rankedByDb.set(db, cache);
  const key = JSON.stringify([await libraryVersion(db), scopeKey(actor), tags, q.audience ?? []]);
  let ids = cache.get(key);
  if (!ids) {
    // Elements in common, one containment test per tag (cheap on every candidate, unlike an array intersection).
    const overlap = sql.join(tags.map((tag) => sql`(resources.elements @> array[${tag}]::text[])::int`), sql` + `);
    const ranked = await queryRows<{ id: number }>(
      db,
      sql`select resources.id from resources
          where ${visibleResources(actor)} and resources.elements && ${textArray(tags)}
          order by ${overlap} desc, cardinality(resources.elements) asc,
                   ${q.audience?.length ? sql`(resources.audiences && ${textArray(q.audience)}) desc,` : sql``}
                   resources.id
          limit ${RANKED_MAX}`,
    );
    ids = ranked.map((r) => r.id);
    if (cache.size >= COUNTED_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, ids);
  }
  const chosen = ids.filter((id) => !q.exclude?.includes(id)).slice(0, q.limit);
  if (!chosen.length) return { items: [] };
  const rows = await queryRows<CardRow>(db, sql`select ${cardColumns} from resources where resources.id = any(${intArray(chosen)})`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { items: chosen.flatMap((id) => (byId.has(id) ? [{ ...card(byId.get(id)!), matched: byId.get(id)!.elements.filter((e) => tags.includes(e)).sort() }] : [])) };
}
