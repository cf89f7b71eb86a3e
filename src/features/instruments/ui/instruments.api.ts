import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../client/api.js';
import type { instrumentDetail, InstrumentSummary, VersionDetail } from '../instruments.contract.js';
import type { InstrumentDefinition } from '../model/instrument.schema.js';

export interface InstrumentFilters {
  kind?: string;
  audience?: string;
  tag?: string;
  q?: string;
}

export function useInstrumentsQuery(filters: InstrumentFilters) {
  const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
  return useQuery({ queryKey: ['instruments', 'list', filters], queryFn: () => api<{ items: InstrumentSummary[] }>('GET', `/api/instruments?${qs}`) });
}

export function useInstrumentQuery(id: string) {
  return useQuery({ queryKey: ['instruments', 'detail', id], queryFn: () => api<z.infer<typeof instrumentDetail>>('GET', `/api/instruments/${id}`) });
}

export function useVersionQuery(id: string, version: number | null) {
  return useQuery({
    queryKey: ['instruments', 'version', id, version],
    queryFn: () => api<VersionDetail>('GET', `/api/instruments/${id}/versions/${version}`),
    enabled: version !== null,
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['instruments'] });
}

export function useCloneMutation(id: string, version: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { ownerOrgId: number; newId?: string }) => api<VersionDetail>('POST', `/api/instruments/${id}/versions/${version}/clone`, body),
    onSuccess: invalidate,
  });
}

export function useSaveDraftMutation(id: string, version: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (definition: InstrumentDefinition) => api<VersionDetail>('PUT', `/api/instruments/${id}/versions/${version}`, { definition }),
    onSuccess: (v) => {
      client.setQueryData(['instruments', 'version', id, version], v);
      void client.invalidateQueries({ queryKey: ['instruments', 'list'] });
    },
  });
}

export function usePublishMutation(id: string, version: number) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => api<VersionDetail>('POST', `/api/instruments/${id}/versions/${version}/publish`), onSuccess: invalidate });
}

export function useDeleteDraftMutation(id: string, version: number) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => api('DELETE', `/api/instruments/${id}/versions/${version}`), onSuccess: invalidate });
}
