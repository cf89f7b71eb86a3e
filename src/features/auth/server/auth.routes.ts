import { errorBodySchema, okSchema } from '../../../shared/schemas.js';
import type { App, Deps } from '../../../server/http/types.js';
import { changePasswordBody, forgotBody, loginBody, meResponse, resetBody, updateMeBody } from '../auth.contract.js';
import { getMe, updateMe } from './auth.me.js';
import { clearSessionCookie, setSessionCookie } from './auth.cookie.js';
import { changePassword, login, logout, requestPasswordReset, resetPassword } from './auth.service.js';

/** Sign-in, sign-out, the caller's own account, password change and reset. */
export async function authRoutes(app: App, { db, config, mailer }: Deps): Promise<void> {
  app.post('/api/auth/login', {
    config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: ['auth'], summary: 'Sign in', body: loginBody, response: { 200: meResponse, 400: errorBodySchema, 401: errorBodySchema, 429: errorBodySchema } },
    handler: async (request, reply) => {
      const result = await login(db, { ...request.body, ip: request.ip, ttlHours: config.sessionTtlHours });
      // The session this browser held before ends; a sign-in never keeps two alive.
      if (request.sessionId) await logout(db, request.sessionId);
      setSessionCookie(request, reply, result, config.publicUrl);
      return getMe(db, result.user.id, result.csrfToken);
    },
  });

  app.post('/api/auth/logout', {
    config: { public: true },
    schema: { tags: ['auth'], summary: 'Sign out', response: { 200: okSchema } },
    handler: async (request, reply) => {
      if (request.sessionId) await logout(db, request.sessionId);
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  });

  app.get('/api/me', {
    schema: { tags: ['auth'], summary: 'The signed-in user, memberships and abilities', response: { 200: meResponse, 401: errorBodySchema } },
    handler: async (request) => getMe(db, request.actor.userId, request.csrfToken!),
  });

  app.patch('/api/me', {
    schema: { tags: ['auth'], summary: 'Update name or language', body: updateMeBody, response: { 200: meResponse, 400: errorBodySchema, 401: errorBodySchema } },
    handler: async (request) => {
      await updateMe(db, request.actor.userId, request.body);
      return getMe(db, request.actor.userId, request.csrfToken!);
    },
  });

  app.post('/api/auth/password', {
    schema: { tags: ['auth'], summary: 'Change password', body: changePasswordBody, response: { 200: okSchema, 400: errorBodySchema, 401: errorBodySchema } },
    handler: async (request) => {
      await changePassword(db, request.actor, request.sessionId!, request.body.currentPassword, request.body.newPassword);
      return { ok: true as const };
    },
  });

  app.post('/api/auth/forgot', {
    config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: ['auth'], summary: 'Mail a password reset link', body: forgotBody, response: { 200: okSchema, 400: errorBodySchema, 429: errorBodySchema } },
    handler: async (request) => {
      await requestPasswordReset(db, mailer, { email: request.body.email, publicUrl: config.publicUrl, ip: request.ip });
      return { ok: true as const };
    },
  });

  app.post('/api/auth/reset', {
    config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: ['auth'], summary: 'Set a new password from a reset link', body: resetBody, response: { 200: okSchema, 400: errorBodySchema, 410: errorBodySchema } },
    handler: async (request) => {
      await resetPassword(db, request.body.token, request.body.password);
      return { ok: true as const };
    },
  });
}
