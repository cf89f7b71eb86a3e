import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { AnswerView, AssessmentDetail, AssessmentResults, AssessmentSummary } from '../assessments.contract.js';

export function useAssessmentsQuery(orgId: number) {
  return useQuery({ queryKey: ['assessments', 'list', orgId], queryFn: () => api<{ items: AssessmentSummary[] }>('GET', `/api/assessments?orgId=${orgId}`) });
}

export function useAssessmentQuery(id: number) {
  return useQuery({ queryKey: ['assessments', 'detail', id], queryFn: () => api<AssessmentDetail>('GET', `/api/assessments/${id}`) });
}

export function useResultsQuery(id: number) {
  return useQuery({ queryKey: ['assessments', 'results', id], queryFn: () => api<AssessmentResults>('GET', `/api/assessments/${id}/results`) });
}

export function useStartAssessmentMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { orgId: number; instrumentId: string; schoolYear: string; term: string; copyPrevious: boolean }) => api<AssessmentDetail>('POST', '/api/assessments', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['assessments', 'list'] }),
  });
}

export function saveAnswer(id: number, slotId: string, body: { value?: unknown; note?: string | null; evidence?: string[] | null }) {
  return api<AnswerView>('PUT', `/api/assessments/${id}/answers/${encodeURIComponent(slotId)}`, body);
}

export function fetchChanges(id: number, since: string) {
  return api<{ answers: AnswerView[]; status: 'in_progress' | 'submitted'; readAt: string }>('GET', `/api/assessments/${id}/changes?since=${encodeURIComponent(since)}`);
}

export function useSubmitMutation(id: number) {
  const client = useQueryClient();
  return useMutation({ mutationFn: () => api<AssessmentDetail>('POST', `/api/assessments/${id}/submit`), onSuccess: () => client.invalidateQueries({ queryKey: ['assessments'] }) });
}

export function useReopenMutation(id: number) {
  const client = useQueryClient();
  return useMutation({ mutationFn: () => api<AssessmentDetail>('POST', `/api/assessments/${id}/reopen`), onSuccess: () => client.invalidateQueries({ queryKey: ['assessments'] }) });
}
