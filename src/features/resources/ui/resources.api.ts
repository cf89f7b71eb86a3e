import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { z } from 'zod';
import type { collectionList, recommendations, ResourceDetail, ResourceInput, SearchResult, suggestionList } from '../resources.contract.js';

export type CollectionList = z.infer<typeof collectionList>;
export type Recommendations = z.infer<typeof recommendations>;
export type SuggestionList = z.infer<typeof suggestionList>;

/** The tags a search narrows by, as the library's address and the API name them. */
export const facetKeys = ['type', 'audience', 'grade', 'language', 'element'] as const;
export type FacetKey = (typeof facetKeys)[number];
export type Filters = Record<FacetKey, string[]>;

/** One request to the search API: everything that changes the answer. */
export interface SearchRequest {
  q: string;
  filters: Filters;
  collection?: number;
  lang: string;
  offset: number;
  limit: number;
}

export function searchUrl(r: SearchRequest): string {
  const qs = new URLSearchParams();
  if (r.q) qs.set('q', r.q);
  for (const key of facetKeys) for (const v of r.filters[key]) qs.append(key, v);
  if (r.collection) qs.set('collection', String(r.collection));
  qs.set('lang', r.lang);
  if (r.offset) qs.set('offset', String(r.offset));
  qs.set('limit', String(r.limit));
  return `/api/resources?${qs}`;
}

const all = ['resources'] as const;

/** A page of search results; the page on screen stays while the next one loads. */
export function useResourceSearchQuery(r: SearchRequest) {
  return useQuery({ queryKey: [...all, 'search', searchUrl(r)], queryFn: () => api<SearchResult>('GET', searchUrl(r)), placeholderData: keepPreviousData });
}

/**
 * Counts for the tags a reader has already narrowed by, as if that tag were not chosen: the
 * server counts within every filter, which would leave only the chosen values of a tag to offer
 * ("any of these" within a tag needs the others' counts). One small request per chosen tag.
 */
export function useOpenFacetCounts(r: SearchRequest): Partial<Record<FacetKey, SearchResult['facets'][FacetKey]>> {
  const chosen = facetKeys.filter((k) => r.filters[k].length > 0);
  const results = useQueries({
    queries: chosen.map((key) => {
      const url = searchUrl({ ...r, filters: { ...r.filters, [key]: [] }, offset: 0, limit: 1 });
      return { queryKey: [...all, 'search', url], queryFn: () => api<SearchResult>('GET', url), placeholderData: keepPreviousData, staleTime: 30_000 };
    }),
  });
  const out: Partial<Record<FacetKey, SearchResult['facets'][FacetKey]>> = {};
  chosen.forEach((key, i) => {
    const facets = results[i]?.data?.facets;
    if (facets) out[key] = facets[key];
  });
  return out;
}

export function useCollectionsQuery() {
  return useQuery({ queryKey: [...all, 'collections'], queryFn: () => api<CollectionList>('GET', '/api/resource-collections'), staleTime: 60_000 });
}

export function useResourceQuery(id: number) {
  return useQuery({ queryKey: [...all, 'detail', id], queryFn: () => api<ResourceDetail>('GET', `/api/resources/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useSuggestionsQuery(networkId: number | null) {
  return useQuery({
    queryKey: [...all, 'suggestions', networkId],
    queryFn: () => api<SuggestionList>('GET', `/api/resources/suggestions?networkId=${networkId}`),
    enabled: networkId !== null,
  });
}

/** Resources tagged with the same framework elements, best matches first. */
export function useRecommendedQuery(elements: string[], exclude: number[] = [], audience: string[] = [], limit = 5) {
  const qs = new URLSearchParams();
  for (const e of elements) qs.append('element', e);
  for (const x of exclude) qs.append('exclude', String(x));
  for (const a of audience) qs.append('audience', a);
  qs.set('limit', String(limit));
  const url = `/api/resources/recommended?${qs}`;
  return useQuery({ queryKey: [...all, 'recommended', url], queryFn: () => api<Recommendations>('GET', url), enabled: elements.length > 0, placeholderData: keepPreviousData });
}

/** A file chosen in a form, sent as raw bytes with its name and type in the address. */
export function fileUrl(id: number, file: File): string {
  // The server takes a plain media type; anything else travels as bytes.
  const type = /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? file.type : 'application/octet-stream';
  return `/api/resources/${id}/file?${new URLSearchParams({ name: file.name, type })}`;
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: all });
}

export function useUploadFileMutation() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, file }: { id: number; file: File }) => api<ResourceDetail>('PUT', fileUrl(id, file), undefined, { rawBody: file, contentType: 'application/octet-stream' }),
    onSuccess: invalidate,
  });
}

/** Adds a resource to a network's library (curators) or suggests one from an organisation (teams). */
export function useCreateResourceMutation() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ body, target }: { body: ResourceInput; target: { networkId: number } | { orgId: number } }) =>
      api<ResourceDetail>('POST', 'networkId' in target ? '/api/resources' : '/api/resources/suggestions', { ...body, ...target }),
    onSuccess: invalidate,
  });
}

export function useUpdateResourceMutation(id: number) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (patch: Partial<ResourceInput>) => api<ResourceDetail>('PATCH', `/api/resources/${id}`, patch), onSuccess: invalidate });
}

/** Removes a resource; its own page is left alone (it answers "not found" if opened again). */
export function useDeleteResourceMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<{ ok: true }>('DELETE', `/api/resources/${id}`),
    onSuccess: (_r, id) => client.invalidateQueries({ queryKey: all, predicate: (q) => !(q.queryKey[1] === 'detail' && q.queryKey[2] === id) }),
  });
}

export function useReviewMutation() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: number; decision: 'publish' | 'decline'; note: string }) => api<ResourceDetail>('POST', `/api/resources/${id}/review`, { decision, note }),
    onSuccess: invalidate,
  });
}
