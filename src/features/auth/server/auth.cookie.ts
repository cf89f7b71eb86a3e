import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './auth.service.js';

/**
 * Sets the session cookie: httpOnly, SameSite=Lax, and Secure whenever the request came over
 * HTTPS or the public address is HTTPS (a TLS proxy in front, even without TRUST_PROXY).
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: { token: string; expiresAt: Date }, publicUrl: string): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https' || publicUrl.startsWith('https://'),
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
