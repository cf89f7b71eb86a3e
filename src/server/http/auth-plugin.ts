import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../authz/scope.js';
import type { Db } from '../db/client.js';
import { findSessionActor, SESSION_COOKIE } from '../../features/auth/server/auth.service.js';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks a route that needs no session. Everything else is denied without one. */
    public?: boolean;
    /** Public and anonymous: the session cookie is not even read (survey respondents). */
    anonymous?: boolean;
  }
  interface FastifyRequest {
    /** The caller; set on every non-public route before the handler runs. */
    actor: Actor;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** host[:port] with the scheme's default port dropped, so "example.org:443" equals "example.org". */
function normalHost(host: string, protocol: string): string {
  const lower = host.toLowerCase();
  return lower.replace(protocol === 'https' ? /:443$/ : /:80$/, '');
}

/** Requests that change state must come from our own origin when the browser says where from. */
function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin) return;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new AppError('csrf_failed', 'The request came from an unknown origin.');
  }
  // request.host honours X-Forwarded-Host only when TRUST_PROXY is set.
  const scheme = url.protocol.replace(':', '');
  if (normalHost(url.host, scheme) !== normalHost(request.host, scheme)) throw new AppError('csrf_failed', 'The request came from another site.');
}

/** Marks every route a plugin registers inside `scope` as public (static files, API docs). */
export function publicRoutes(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), public: true };
  });
}

/**
 * Default deny: every route needs a valid session unless its config says `public: true`.
 * State-changing requests also need the session's CSRF token in `x-csrf-token`.
 */
async function authPlugin(app: FastifyInstance, opts: { db: Db }): Promise<void> {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    // Decided by the matched route, never by the URL text (which may be percent-encoded).
    // No match means the not-found handler answers, and it reveals nothing.
    if (request.routeOptions.url === undefined) return;
    const isPublic = request.routeOptions.config?.public === true;
    const unsafe = !safeMethods.has(request.method);
    if (unsafe) assertSameOrigin(request);
    // Anonymous routes (survey respondents) never look at a session, even if a cookie comes along.
    if (request.routeOptions.config?.anonymous === true) return;
    const token = request.cookies[SESSION_COOKIE];
    const found = token ? await findSessionActor(opts.db, token) : null;
    if (found) {
      request.actor = found.actor;
      request.sessionId = found.sessionId;
      request.csrfToken = found.csrfToken;
    }
    if (isPublic) return;
    if (!found) throw new AppError('unauthenticated', 'Sign in to continue.');
    if (unsafe && request.headers['x-csrf-token'] !== found.csrfToken) {
      throw new AppError('csrf_failed', 'The security token is missing or out of date. Reload the page and try again.');
    }
  });
}

export default fp(authPlugin, { name: 'schoolwell-auth' });
