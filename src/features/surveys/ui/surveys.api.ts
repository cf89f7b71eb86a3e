import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, apiDownload } from '../../../client/api.js';
import type { AdministrationDetail, AdministrationSummary, CreateAdministrationBody, codeBatchBody, monitorResponse } from '../surveys.contract.js';

export type Monitor = z.infer<typeof monitorResponse>;
export type CodeBatch = z.input<typeof codeBatchBody>;

/** How often the live monitor asks for new counts. */
export const MONITOR_INTERVAL_MS = 10_000;

export function useAdministrationsQuery(orgId: number) {
  return useQuery({ queryKey: ['surveys', 'list', orgId], queryFn: () => api<{ items: AdministrationSummary[] }>('GET', `/api/surveys/administrations?orgId=${orgId}`) });
}

export function useAdministrationQuery(id: number) {
  return useQuery({ queryKey: ['surveys', 'detail', id], queryFn: () => api<AdministrationDetail>('GET', `/api/surveys/administrations/${id}`) });
}

/** Counts of an administration; refreshed every few seconds while it may still take responses. */
export function useMonitorQuery(id: number, live: boolean) {
  return useQuery({
    queryKey: ['surveys', 'monitor', id],
    queryFn: () => api<Monitor>('GET', `/api/surveys/administrations/${id}/monitor`),
    refetchInterval: live ? MONITOR_INTERVAL_MS : false,
  });
}

export function useCreateAdministrationMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAdministrationBody) => api<AdministrationDetail>('POST', '/api/surveys/administrations', body),
    onSuccess: (a) => {
      client.setQueryData(['surveys', 'detail', a.id], a);
      void client.invalidateQueries({ queryKey: ['surveys', 'list'] });
    },
  });
}

/** Close and extend answer with the administration as it is now: the page shows it at once. */
function useDetailMutation<V>(id: number, request: (v: V) => Promise<AdministrationDetail>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: (a) => {
      client.setQueryData(['surveys', 'detail', id], a);
      void client.invalidateQueries({ queryKey: ['surveys', 'list'] });
    },
  });
}

export function useCloseAdministrationMutation(id: number) {
  return useDetailMutation(id, () => api<AdministrationDetail>('POST', `/api/surveys/administrations/${id}/close`));
}

export function useExtendAdministrationMutation(id: number) {
  return useDetailMutation(id, (closesAt: string) => api<AdministrationDetail>('POST', `/api/surveys/administrations/${id}/extend`, { closesAt }));
}

export function useDeleteResponsesMutation(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ deleted: number }>('DELETE', `/api/surveys/administrations/${id}/responses`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['surveys'] }),
  });
}

/** Makes single-use codes and answers with the PDF of slips: the only copy of the codes. */
export function usePrintCodesMutation(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CodeBatch) => apiDownload('POST', `/api/surveys/administrations/${id}/codes`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['surveys', 'detail', id] }),
  });
}
