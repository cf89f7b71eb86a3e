import { languageCodes } from '../../instruments/model/text.js';
import { resourceAudiences, resourceGradeBands, resourceTypes } from '../resources.model.js';
import { type FacetKey, facetKeys, type Filters } from './resources.api.js';

/** Results per page of the library. */
export const PAGE_SIZE = 20;

/** What the library shows, kept in the page's address so that links are shareable and Back works. */
export interface LibraryView {
  q: string;
  filters: Filters;
  collection?: number;
  page: number;
}

const allowed: Record<FacetKey, (v: string) => boolean> = {
  type: (v) => (resourceTypes as readonly string[]).includes(v),
  audience: (v) => (resourceAudiences as readonly string[]).includes(v),
  grade: (v) => (resourceGradeBands as readonly string[]).includes(v),
  language: (v) => (languageCodes as readonly string[]).includes(v),
  element: (v) => /^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/.test(v),
};

/**
 * Reads the view from an address: repeated (`type=a&type=b`) or comma-separated values; values
 * the library does not know are dropped so that an old or edited link still opens.
 */
export function readView(params: URLSearchParams): LibraryView {
  const list = (key: FacetKey) => [...new Set(params.getAll(key).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(allowed[key]))];
  const collection = Number(params.get('collection'));
  const page = Number(params.get('page'));
  return {
    q: (params.get('q') ?? '').trim().slice(0, 200),
    filters: Object.fromEntries(facetKeys.map((k) => [k, list(k)])) as Filters,
    collection: Number.isInteger(collection) && collection > 0 ? collection : undefined,
    page: Number.isInteger(page) && page > 1 ? Math.min(page, Math.floor(10_000 / PAGE_SIZE) + 1) : 1,
  };
}

/** The address of a view, in one order, leaving out what is empty. */
export function writeView(v: LibraryView): URLSearchParams {
  const out = new URLSearchParams();
  if (v.q) out.set('q', v.q);
  for (const k of facetKeys) for (const value of v.filters[k]) out.append(k, value);
  if (v.collection) out.set('collection', String(v.collection));
  if (v.page > 1) out.set('page', String(v.page));
  return out;
}

export const noFilters = (): Filters => ({ type: [], audience: [], grade: [], language: [], element: [] });
export const hasFilters = (f: Filters) => facetKeys.some((k) => f[k].length > 0);

/** A link to the library narrowed to some tags or a collection. */
export function libraryLink(change: Partial<Filters> & { collection?: number }): string {
  const { collection, ...filters } = change;
  const qs = writeView({ q: '', filters: { ...noFilters(), ...filters }, collection, page: 1 }).toString();
  return qs ? `/resources?${qs}` : '/resources';
}
