import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { ActionView, GoalDetail, GoalProposal, PlanDetail, PlanProgress, PlanSummary } from '../plans.contract.js';

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

export function usePlansQuery(orgId: number | null) {
  return useQuery({
    queryKey: ['plans', 'org', orgId],
    queryFn: () => api<{ items: PlanSummary[]; can: { create: boolean; manage: boolean } }>('GET', `/api/orgs/${orgId}/plans`),
    enabled: orgId !== null,
  });
}

export function usePlanQuery(id: number) {
  return useQuery({ queryKey: ['plans', id], queryFn: () => api<PlanDetail>('GET', `/api/plans/${id}`) });
}

export function useGoalQuery(id: number) {
  return useQuery({ queryKey: ['goals', id], queryFn: () => api<GoalDetail>('GET', `/api/goals/${id}`) });
}

export function usePlanPeopleQuery(planId: number | undefined) {
  return useQuery({
    queryKey: ['plans', planId, 'people'],
    queryFn: () => api<{ items: { id: number; name: string; role: string; orgName: string }[] }>('GET', `/api/plans/${planId}/people`),
    enabled: planId !== undefined,
    staleTime: 60_000,
  });
}

export function useTemplatesQuery(orgId: number, frameworkId: string | null) {
  return useQuery({
    queryKey: ['plan-templates', orgId, frameworkId],
    queryFn: () =>
      api<{ items: { id: number; key: string | null; frameworkId: string; ownerName: string | null; title: Record<string, string>; description: Record<string, string>; goals: number; actions: number; canDelete: boolean }[] }>(
        'GET',
        `/api/orgs/${orgId}/plan-templates${frameworkId ? `?frameworkId=${frameworkId}` : ''}`,
      ),
  });
}

export function usePlanProgressQuery(orgId: number) {
  return useQuery({ queryKey: ['plan-progress', orgId], queryFn: () => api<PlanProgress>('GET', `/api/orgs/${orgId}/plan-progress`) });
}

export function useMyActionsQuery() {
  return useQuery({ queryKey: ['my-actions'], queryFn: () => api<{ items: (ActionView & { goalTitle: string; planTitle: string; orgId: number; orgName: string })[] }>('GET', '/api/me/actions') });
}

/** A change to anything in plans: every plan view reads fresh afterwards. */
export function usePlanMutation<TVars, TResult = unknown>(request: (vars: TVars) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: async () => {
      await Promise.all(['plans', 'goals', 'goal-proposals', 'plan-progress', 'my-actions', 'plan-templates'].map((k) => client.invalidateQueries({ queryKey: [k] })));
    },
  });
}
