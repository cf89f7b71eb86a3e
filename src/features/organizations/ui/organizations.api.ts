import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { ImportJob } from '../directory.contract.js';
import type { OrgDetail, OrgList } from '../organizations.contract.js';

export interface OrgListParams {
  parentId?: number;
  q?: string;
  kind?: string;
  status?: 'active' | 'archived' | 'all';
  can?: string;
  offset?: number;
  limit?: number;
}

function listUrl(p: OrgListParams): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') qs.set(k, String(v));
  return `/api/orgs?${qs}`;
}

export function useOrgListQuery(params: OrgListParams, enabled = true) {
  return useQuery({ queryKey: ['orgs', 'list', params], queryFn: () => api<OrgList>('GET', listUrl(params)), enabled, placeholderData: keepPreviousData });
}

export function useOrgQuery(id: number) {
  return useQuery({ queryKey: ['orgs', 'detail', id], queryFn: () => api<OrgDetail>('GET', `/api/orgs/${id}`) });
}

export function usePartnerLinksQuery(id: number) {
  return useQuery({ queryKey: ['orgs', 'partners', id], queryFn: () => api<OrgList>('GET', `/api/orgs/${id}/partners`) });
}

/** Every organisation query is stale after any change to the tree. */
function useInvalidateOrgs() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['orgs'] });
}

export function useCreateOrgMutation() {
  const invalidate = useInvalidateOrgs();
  return useMutation({ mutationFn: (body: Record<string, unknown>) => api<OrgDetail>('POST', '/api/orgs', body), onSuccess: invalidate });
}

export function useUpdateOrgMutation(id: number) {
  const invalidate = useInvalidateOrgs();
  return useMutation({ mutationFn: (body: Record<string, unknown>) => api<OrgDetail>('PATCH', `/api/orgs/${id}`, body), onSuccess: invalidate });
}

export function useMoveOrgMutation(id: number) {
  const invalidate = useInvalidateOrgs();
  return useMutation({ mutationFn: (parentId: number) => api<OrgDetail>('POST', `/api/orgs/${id}/move`, { parentId }), onSuccess: invalidate });
}

export function useArchiveOrgMutation(id: number) {
  const invalidate = useInvalidateOrgs();
  return useMutation({ mutationFn: (archive: boolean) => api<OrgDetail>('POST', `/api/orgs/${id}/${archive ? 'archive' : 'restore'}`), onSuccess: invalidate });
}

export function usePartnerLinkMutation(id: number) {
  const invalidate = useInvalidateOrgs();
  return useMutation({
    mutationFn: ({ partnerId, link }: { partnerId: number; link: boolean }) =>
      link ? api<OrgList>('POST', `/api/orgs/${id}/partners`, { partnerId }) : api<OrgList>('DELETE', `/api/orgs/${id}/partners/${partnerId}`),
    onSuccess: invalidate,
  });
}

export function useStartImportMutation() {
  return useMutation({
    mutationFn: (p: { file: File; underId: number; preset?: string; dryRun: boolean }) => {
      const qs = new URLSearchParams({ underId: String(p.underId), dryRun: String(p.dryRun), fileName: p.file.name });
      if (p.preset) qs.set('preset', p.preset);
      return api<{ id: string }>('POST', `/api/imports?${qs}`, undefined, { rawBody: p.file, contentType: 'text/csv' });
    },
  });
}

/** Polls an import job every half second until it is done or failed. */
export function useImportJobQuery(id: string | null) {
  const invalidate = useInvalidateOrgs();
  return useQuery({
    queryKey: ['imports', id],
    queryFn: async () => {
      const job = await api<ImportJob>('GET', `/api/imports/${id}`);
      if (job.status !== 'running') void invalidate();
      return job;
    },
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'running' ? false : 500),
  });
}
