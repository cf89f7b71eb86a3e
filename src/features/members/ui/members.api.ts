import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { Role } from '../../../shared/permissions.js';
import type { MembersView } from '../members.contract.js';

export function useMembersQuery(orgId: number) {
  return useQuery({ queryKey: ['members', orgId], queryFn: () => api<MembersView>('GET', `/api/orgs/${orgId}/members`) });
}

function useRefreshMembers(orgId: number) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['members', orgId] });
}

export function useInviteMutation(orgId: number) {
  const refresh = useRefreshMembers(orgId);
  return useMutation({ mutationFn: (body: { email: string; role: Role }) => api<MembersView>('POST', `/api/orgs/${orgId}/invitations`, body), onSuccess: refresh });
}

export function useRevokeInvitationMutation(orgId: number) {
  const refresh = useRefreshMembers(orgId);
  return useMutation({ mutationFn: (id: number) => api('DELETE', `/api/invitations/${id}`), onSuccess: refresh });
}

export function useChangeRoleMutation(orgId: number) {
  const refresh = useRefreshMembers(orgId);
  return useMutation({ mutationFn: ({ id, role }: { id: number; role: Role }) => api('PATCH', `/api/memberships/${id}`, { role }), onSuccess: refresh });
}

export function useRemoveMemberMutation(orgId: number) {
  const refresh = useRefreshMembers(orgId);
  return useMutation({ mutationFn: (id: number) => api('DELETE', `/api/memberships/${id}`), onSuccess: refresh });
}
