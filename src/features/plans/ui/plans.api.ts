import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { GoalProposal } from '../plans.contract.js';

export function useGoalProposalsQuery(orgId: number, assessmentId?: number) {
  return useQuery({
    queryKey: ['goal-proposals', orgId, assessmentId ?? null],
    queryFn: () => api<{ items: GoalProposal[] }>('GET', `/api/orgs/${orgId}/goal-proposals${assessmentId ? `?assessmentId=${assessmentId}` : ''}`),
  });
}

export function useProposeGoalMutation(assessmentId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (slotId: string) => api<GoalProposal>('POST', `/api/assessments/${assessmentId}/goal-proposals`, { slotId }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['goal-proposals'] }),
  });
}

export function useDismissProposalMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<{ ok: true }>('DELETE', `/api/goal-proposals/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['goal-proposals'] }),
  });
}
