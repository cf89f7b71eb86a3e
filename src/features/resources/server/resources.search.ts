import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../../server/authz/scope.js';
import { intArray, textArray } from '../../../server/db/arrays.js';
import { type Db, queryRows } from '../../../server/db/client.js';
import { HIGHLIGHT_END, HIGHLIGHT_START, type ResourceCard, type SearchQuery, type SearchResult } from '../resources.contract.js';
import type { ResourceType } from '../resources.model.js';
import { visibleResources } from './resources.access.js';
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

/**
 * Searches the library the reader may see: full text in English, French and Spanish (titles
 * weigh more than summaries), forgiving of typos in titles (trigram word similarity), narrowed
 * by any tags, ranked best first, with highlights in the reader's language and a count per tag
 * value of everything that matched.
 */
export async function searchResources(db: Db, actor: Actor, q: SearchQuery): Promise<SearchResult> {
  const words = q.q;
  const tsq = queryOf(words);
  const where = [visibleResources(actor), ...filters(q)];
  if (words) where.push(sql`(resources.search @@ ${tsq} or ${words} <% resources.titles)`);
  const whereSql = sql.join(where, sql` and `);
  const title = sql.raw(`resources.title->>'${q.lang}'`);
  // Text matches rank first; a close spelling in a title adds a little, so typos still find something.
  const rank = sql`ts_rank_cd(resources.search, ${tsq}, 1) + case when ${words} <% resources.titles then word_similarity(${words}, resources.titles) * 0.1 else 0 end`;
  const [page, facets, [counts]] = await Promise.all([
    queryRows<CardRow & { exact: boolean }>(
      db,
      sql`select ${cardColumns}, ${words ? sql`resources.search @@ ${tsq}` : sql`true`} as exact
          from resources where ${whereSql}
          order by ${words ? sql`${rank} desc,` : sql``} coalesce(${title}, resources.titles), resources.id
          offset ${q.offset} limit ${q.limit}`,
    ),
    queryRows<{ facet: keyof SearchResult['facets']; value: string; n: number }>(
      db,
      sql`select f.facet, f.value, count(*)::int as n
          from resources cross join lateral (
            select 'type' as facet, resources.type as value
            union all select 'audience', unnest(resources.audiences)
            union all select 'grade', unnest(resources.grade_bands)
            union all select 'language', unnest(resources.languages)
            union all select 'element', unnest(resources.elements)
          ) f
          where ${whereSql}
          group by f.facet, f.value`,
    ),
    queryRows<{ total: number; fuzzy: number }>(db, sql`select count(*)::int as total, ${words ? sql`count(*) filter (where not resources.search @@ ${tsq})::int` : sql`0`} as fuzzy from resources where ${whereSql}`),
  ]);
  const highlights = words && page.length ? await highlight(db, page.map((p) => p.id), words, q.lang) : new Map<number, { title: string; summary: string }>();
  const facetList = (name: keyof SearchResult['facets']) =>
    facets
      .filter((f) => f.facet === name)
      .map((f) => ({ value: f.value, count: f.n }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return {
    total: counts.total,
    items: page.map((r) => ({ ...card(r), highlight: highlights.get(r.id) ?? null })),
    facets: { type: facetList('type'), audience: facetList('audience'), grade: facetList('grade'), language: facetList('language'), element: facetList('element') },
    fuzzy: counts.fuzzy > 0,
  };
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
  const tags = textArray(q.element);
  const rows = await queryRows<CardRow & { matched: string[] }>(
    db,
    sql`select ${cardColumns}, array(select unnest(resources.elements) intersect select unnest(${tags}) order by 1) as matched
        from resources
        where ${visibleResources(actor)} and resources.elements && ${tags}
          ${q.exclude?.length ? sql`and not resources.id = any(${intArray(q.exclude)})` : sql``}
        order by cardinality(array(select unnest(resources.elements) intersect select unnest(${tags}))) desc,
                 cardinality(resources.elements) asc,
                 ${q.audience?.length ? sql`(resources.audiences && ${textArray(q.audience)}) desc,` : sql``}
                 resources.id
        limit ${q.limit}`,
  );
  return { items: rows.map((r) => ({ ...card(r), matched: r.matched })) };
}
