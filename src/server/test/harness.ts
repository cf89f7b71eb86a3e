import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { syncShippedContent } from '../../features/instruments/server/content.sync.js';
import { buildApp } from '../app.js';
import { type Config, testConfig } from '../config.js';
import type { Database, Db } from '../db/client.js';
import type { App } from '../http/types.js';
import { TEST_PASSWORD } from './factories.js';
import { createTestDatabase } from './test-db.js';

export interface TestContext {
  app: App;
  db: Db;
  database: Database;
  close(): Promise<void>;
}

/**
 * The real app on a real, empty, migrated database. Use in `beforeAll`, close in `afterAll`.
 * `content: true` also loads the shipped frameworks and instruments, as `npm start` does.
 */
export async function startTestApp(overrides: Partial<Config> = {}, opts: { content?: boolean } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  if (opts.content) await syncShippedContent(database.db);
  // Tests sign in many times from one address; the rate-limit test sets its own low limit.
  const config = testConfig({ loginRateLimitPerMinute: 10_000, ...overrides });
  const app = await buildApp({ db: database.db, config, serveClient: false });
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

type Body = Record<string, unknown> | unknown[] | string | Buffer | undefined;

/** A signed-in (or anonymous) browser: keeps the session cookie and sends the CSRF token. */
export class Agent {
  cookie: string | null = null;
  csrfToken: string | null = null;
  constructor(private readonly app: App) {}

  /**
   * Sends one request as this browser. `opts.csrf: false` leaves out the CSRF header (to test the
   * check); `opts.remoteAddress` pretends the request came from another address.
   */
  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: Body,
    headers: Record<string, string> = {},
    opts: { csrf?: boolean; remoteAddress?: string } = {},
  ): Promise<LightMyRequestResponse> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET' && opts.csrf !== false) h['x-csrf-token'] ??= this.csrfToken;
    const res = await this.app.inject({ method, url, headers: h, payload: body as never, remoteAddress: opts.remoteAddress });
    const session = res.cookies.find((c) => c.name === 'sw_session');
    if (session) this.cookie = session.value ? `sw_session=${session.value}` : null;
    if (res.statusCode < 300 && res.headers['content-type']?.toString().includes('json')) {
      const json = res.json() as { csrfToken?: string };
      if (json && typeof json === 'object' && 'csrfToken' in json && json.csrfToken) this.csrfToken = json.csrfToken;
    }
    return res;
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: Body, headers?: Record<string, string>) {
    return this.request('POST', url, body ?? {}, headers);
  }
  patch(url: string, body?: Body) {
    return this.request('PATCH', url, body ?? {});
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
  /** A state-changing request without the CSRF header, as a forged cross-site request would be. */
  withoutCsrf(method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: Body, headers?: Record<string, string>) {
    return this.request(method, url, method === 'DELETE' ? undefined : (body ?? {}), headers, { csrf: false });
  }
  /** Signs in and fails the test loudly if that does not work. */
  async login(email: string, password: string): Promise<this> {
    const res = await this.post('/api/auth/login', { email, password });
    if (res.statusCode !== 200) throw new Error(`login as ${email} failed: ${res.statusCode} ${res.body}`);
    return this;
  }
}

/** Signs in a new agent as `email` (with the factories' password unless given). */
export function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<Agent> {
  return new Agent(app).login(email, password);
}

/**
 * Expects an error response in the one error shape: status, stable code, a message, and (when
 * given) the field at fault.
 */
export function expectError(res: LightMyRequestResponse, status: number, code: string, field?: string): void {
  let body: { error?: { code?: string; message?: unknown; field?: string } } = {};
  try {
    body = res.json();
  } catch {
    // not JSON: the comparison below fails with the raw body as its message
  }
  const got = { status: res.statusCode, code: body.error?.code, ...(field !== undefined ? { field: body.error?.field } : {}) };
  expect(got, res.body).toEqual({ status, code, ...(field !== undefined ? { field } : {}) });
  expect(typeof body.error?.message === 'string' && body.error.message.length > 0, `message in ${res.body}`).toBe(true);
}

/** Signs in every person of a test world, keyed as in `world.people`. */
export async function signInAll<K extends string>(app: App, people: Record<K, { email: string }>): Promise<Record<K, Agent>> {
  const out = {} as Record<K, Agent>;
  for (const [key, person] of Object.entries(people) as [K, { email: string }][]) out[key] = await signIn(app, person.email);
  return out;
}
