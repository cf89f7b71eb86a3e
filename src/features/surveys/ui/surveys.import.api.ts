import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { ImportJob, ImportProgress, Inspection, RunImportBody } from '../surveys.import.contract.js';

/** Uploads a file of past results and reads back its columns and the proposed matching. */
export function useInspectImportMutation() {
  return useMutation({
    mutationFn: (p: { file: File; orgId: number; instrumentId: string; version: number }) => {
      const qs = new URLSearchParams({ orgId: String(p.orgId), instrumentId: p.instrumentId, version: String(p.version), fileName: p.file.name });
      return api<Inspection>('POST', `/api/surveys/imports/inspect?${qs}`, undefined, { rawBody: p.file, contentType: 'application/octet-stream' });
    },
  });
}

export function useRunImportMutation() {
  return useMutation({ mutationFn: (body: RunImportBody) => api<{ id: string }>('POST', '/api/surveys/imports', body) });
}

/**
 * Counts of a running import, every half second. They come from an endpoint that needs no
 * session, so they keep coming while the embedded database is busy with the import.
 */
export function useImportProgressQuery(id: string | null) {
  return useQuery({
    queryKey: ['surveyImports', 'progress', id],
    queryFn: () => api<ImportProgress>('GET', `/api/surveys/imports/${id}/progress`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'running' ? false : 500),
  });
}

/** The finished import with its report; the survey lists are stale after it. */
export function useImportJobQuery(id: string | null, finished: boolean) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ['surveyImports', 'job', id],
    queryFn: async () => {
      const job = await api<ImportJob>('GET', `/api/surveys/imports/${id}`);
      if (job.status === 'done') void client.invalidateQueries({ queryKey: ['surveys'] });
      return job;
    },
    enabled: !!id && finished,
  });
}
