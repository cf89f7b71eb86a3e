import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { FrameworkSummary, NetworkFrameworks } from '../frameworks.contract.js';

export function useFrameworksQuery() {
  return useQuery({ queryKey: ['frameworks'], queryFn: () => api<{ items: FrameworkSummary[] }>('GET', '/api/frameworks'), staleTime: 5 * 60_000 });
}

export function useNetworkFrameworksQuery(orgId: number | null) {
  return useQuery({ queryKey: ['frameworks', 'network', orgId], queryFn: () => api<NetworkFrameworks>('GET', `/api/orgs/${orgId}/frameworks`), enabled: orgId !== null });
}

export function useChooseFrameworksMutation(orgId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (frameworkIds: string[]) => api<NetworkFrameworks>('PUT', `/api/orgs/${orgId}/frameworks`, { frameworkIds }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['frameworks'] }),
  });
}

/** Names of framework elements by "framework:element", in the reader's language. */
export function elementNames(frameworks: FrameworkSummary[] | undefined, lang: string): Map<string, { framework: string; element: string }> {
  const out = new Map<string, { framework: string; element: string }>();
  const l = (lang === 'fr' || lang === 'es' ? lang : 'en') as 'en' | 'fr' | 'es';
  for (const f of frameworks ?? []) {
    for (const e of f.definition.elements) {
      out.set(`${f.id}:${e.id}`, { framework: f.definition.name[l] ?? f.definition.name.en ?? f.id, element: e.name[l] ?? e.name.en ?? e.id });
    }
  }
  return out;
}
