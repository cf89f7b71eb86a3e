import { setSessionCookie } from '../../auth/server/auth.cookie.js';
import { createSession, logout } from '../../auth/server/auth.service.js';
import { getMe } from '../../auth/server/auth.me.js';
import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam, okSchema } from '../../../shared/schemas.js';
import {
  acceptInvitationBody,
  acceptInvitationResponse,
  changeRoleBody,
  invitationPreview,
  inviteBody,
  membersResponse,
  tokenParam,
} from '../members.contract.js';
import { acceptInvitation, changeMemberRole, inviteMember, listMembers, previewInvitation, removeMember, revokeInvitation } from './members.service.js';

const tags = ['members'];

/** Members and roles of an organisation, invitations, and the public accept-invitation step. */
export async function memberRoutes(app: App, { db, config, mailer }: Deps): Promise<void> {
  app.get('/api/orgs/:id/members', {
    schema: { tags, summary: 'Members, open invitations and the roles the caller may give', params: idParam, response: { 200: membersResponse, ...authErrors } },
    handler: (request) => listMembers(db, request.actor, request.params.id),
  });

  app.post('/api/orgs/:id/invitations', {
    schema: { tags, summary: 'Invite a person by email with a role', params: idParam, body: inviteBody, response: { 200: membersResponse, ...authErrors, 409: errorBodySchema } },
    handler: async (request) => {
      await inviteMember(db, mailer, { actor: request.actor, ip: request.ip }, request.params.id, { ...request.body, publicUrl: config.publicUrl });
      return listMembers(db, request.actor, request.params.id);
    },
  });

  app.delete('/api/invitations/:id', {
    schema: { tags, summary: 'Withdraw an invitation', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => {
      await revokeInvitation(db, { actor: request.actor, ip: request.ip }, request.params.id);
      return { ok: true as const };
    },
  });

  app.patch('/api/memberships/:id', {
    schema: { tags, summary: "Change a member's role", params: idParam, body: changeRoleBody, response: { 200: okSchema, ...authErrors, 409: errorBodySchema } },
    handler: async (request) => {
      await changeMemberRole(db, { actor: request.actor, ip: request.ip }, request.params.id, request.body.role);
      return { ok: true as const };
    },
  });

  app.delete('/api/memberships/:id', {
    schema: { tags, summary: 'Remove a member from an organisation', params: idParam, response: { 200: okSchema, ...authErrors, 409: errorBodySchema } },
    handler: async (request) => {
      await removeMember(db, { actor: request.actor, ip: request.ip }, request.params.id);
      return { ok: true as const };
    },
  });

  app.get('/api/public/invitations/:token', {
    config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags, summary: 'What an invitation link offers', params: tokenParam, response: { 200: invitationPreview, 400: errorBodySchema, 410: errorBodySchema } },
    handler: (request) => previewInvitation(db, request.params.token),
  });

  app.post('/api/public/invitations/accept', {
    config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags, summary: 'Accept an invitation and sign in', body: acceptInvitationBody, response: { 200: acceptInvitationResponse, 400: errorBodySchema, 401: errorBodySchema, 410: errorBodySchema } },
    handler: async (request, reply) => {
      const { userId } = await acceptInvitation(db, { ...request.body, ip: request.ip });
      if (request.sessionId) await logout(db, request.sessionId);
      const session = await createSession(db, userId, config.sessionTtlHours);
      setSessionCookie(request, reply, session, config.publicUrl);
      return getMe(db, userId, session.csrfToken);
    },
  });
}
