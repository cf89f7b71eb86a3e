import { sql } from 'drizzle-orm';
import Fastify, { type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './http/types.js';
import { routeModules } from './routes.js';
import { countRows, makeWorld } from './test/factories.js';
import { Agent, expectError, signIn, startTestApp, type TestContext } from './test/harness.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
let admin: Agent;
let operator: Agent;

beforeAll(async () => {
  ctx = await startTestApp();
  w = await makeWorld(ctx.db);
  admin = await signIn(ctx.app, w.people.networkAdmin.email);
  operator = await signIn(ctx.app, w.people.operator.email);
});
afterAll(() => ctx.close());

/**
 * Every route the product registers, collected by registering the route modules on a bare
 * instance with an onRoute hook (handlers never run, so the deps are only carried along).
 */
async function registeredRoutes(): Promise<RouteOptions[]> {
  const routes: RouteOptions[] = [];
  const probe = Fastify().withTypeProvider<ZodTypeProvider>();
  probe.setValidatorCompiler(validatorCompiler);
  probe.setSerializerCompiler(serializerCompiler);
  probe.addHook('onRoute', (r) => void routes.push(r));
  const deps = { db: ctx.db, config: { publicUrl: 'http://localhost', devOutbox: true, loginRateLimitPerMinute: 10, sessionTtlHours: 1 } as never, mailer: { send: async () => {} } };
  for (const register of routeModules) await register(probe as unknown as App, deps);
  await probe.close();
  return routes.filter((r) => r.method !== 'HEAD');
}

describe('GET /api/health', () => {
  it('answers 200 {"status":"ok"} without a session, with the event-loop delay since the last check', async () => {
    const res = await new Agent(ctx.app).get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', eventLoop: { p99Ms: expect.any(Number), maxMs: expect.any(Number) } });
    // Block the loop for 120 ms (once the monitor has taken a sample since the reset): the next check sees it.
    await new Promise((r) => setTimeout(r, 40));
    const until = Date.now() + 120;
    while (Date.now() < until);
    await new Promise((r) => setTimeout(r, 20));
    expect((await new Agent(ctx.app).get('/api/health')).json().eventLoop.maxMs).toBeGreaterThanOrEqual(100);
  });
});

describe('OpenAPI document and docs', () => {
  it('serves an OpenAPI 3.1 document without a session', async () => {
    const res = await new Agent(ctx.app).get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Schoolwell API');
    expect(doc.components.securitySchemes.session).toEqual({ type: 'apiKey', in: 'cookie', name: 'sw_session' });
  });

  it('lists every route with its request and response schemas', async () => {
    const doc = (await ctx.app.inject('/api/openapi.json')).json() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
    };
    const routes = await registeredRoutes();
    const hidden = routes.filter((r) => (r.schema as { hide?: boolean } | undefined)?.hide).map((r) => `${r.method} ${r.url}`);
    // Only the document itself and the development outbox stay out of it.
    expect(hidden.sort()).toEqual(['GET /api/openapi.json', 'GET /dev/outbox', 'GET /dev/outbox.json']);

    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const expected = routes
      .filter((r) => !(r.schema as { hide?: boolean } | undefined)?.hide)
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(expected.sort());
    // The stable interfaces of the issue are among them.
    expect(expected).toEqual(expect.arrayContaining(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/me']));

    for (const route of routes.filter((r) => !(r.schema as { hide?: boolean } | undefined)?.hide)) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path][String(route.method).toLowerCase()];
      const schema = route.schema as { body?: unknown; params?: unknown; querystring?: unknown };
      const where = `${route.method} ${route.url}`;
      const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect(success.length, `${where}: a 2xx response`).toBeGreaterThanOrEqual(1);
      // Every success answer is described, in JSON or in the file type the route produces.
      for (const status of success) {
        const content = op.responses[status].content ?? {};
        expect(Object.values(content).some((c) => (c as { schema?: unknown }).schema), `${where}: ${status} schema`).toBe(true);
      }
      if (schema.body) expect(op.requestBody, `${where}: request body`).toBeTruthy();
      const pathParams = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
      for (const p of pathParams) expect(op.parameters?.some((x) => x.in === 'path' && x.name === p), `${where}: path parameter ${p}`).toBe(true);
      if (schema.querystring) expect(op.parameters?.some((x) => x.in === 'query'), `${where}: query parameters`).toBe(true);
      // Errors are documented too: 401 behind a session, 400 wherever there is input to refuse.
      const errorSchema = (status: string) => op.responses[status]?.content?.['application/json']?.schema;
      if (route.config?.public !== true) expect(errorSchema('401'), `${where}: 401 schema`).toBeTruthy();
      if (schema.body || schema.params || schema.querystring) expect(errorSchema('400'), `${where}: 400 schema`).toBeTruthy();
    }
  });

  it('documents the directory upload as CSV, not JSON', async () => {
    const doc = (await ctx.app.inject('/api/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/imports'].post.requestBody.content)).toContain('text/csv');
    expect(Object.keys(doc.paths['/api/imports'].post.requestBody.content)).not.toContain('application/json');
  });

  it('serves the API docs without a session', async () => {
    const page = await new Agent(ctx.app).get('/api/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger');
    const json = await new Agent(ctx.app).get('/api/docs/json');
    expect(json.statusCode).toBe(200);
    expect(json.json().openapi).toBe('3.1.0');
  });
});

describe('unknown routes', () => {
  it('answers JSON 404 for a route that does not exist, with or without a session, never 500', async () => {
    const anon = new Agent(ctx.app);
    expectError(await anon.get('/api/no-such-thing'), 404, 'not_found');
    expectError(await anon.post('/api/no-such-thing', { a: 1 }), 404, 'not_found');
    expectError(await admin.get('/api/no-such-thing'), 404, 'not_found');
    expectError(await admin.post('/api/no-such-thing', { a: 1 }), 404, 'not_found');
    expectError(await admin.delete('/api/orgs'), 404, 'not_found');
    expectError(await admin.get('/api/orgs/1/nothing/here'), 404, 'not_found');
    expectError(await anon.get('/nowhere'), 404, 'not_found');
  });

  it('checks the session of the route matched, however the URL is spelled', async () => {
    const anon = new Agent(ctx.app);
    // %61 is "a": the router decodes it, and so must the decision to ask for a session.
    expectError(await anon.get('/%61pi/me'), 401, 'unauthenticated');
    expectError(await anon.get('/%61pi/orgs'), 401, 'unauthenticated');
    expectError(await anon.post('/%61pi/orgs', { parentId: w.network.id, kind: 'state', code: 'X', name: 'X' }), 401, 'unauthenticated');
    const noToken = await admin.request('POST', '/%61pi/orgs', { parentId: w.network.id, kind: 'state', code: 'X', name: 'X' }, { 'x-csrf-token': '' });
    expectError(noToken, 403, 'csrf_failed');
  });
});

describe('bad input is a 4xx, never a 500', () => {
  it('survives malformed bodies, wrong types, odd content types and huge numbers', async () => {
    const raw = (method: 'POST' | 'PATCH' | 'GET', url: string, payload: string | undefined, contentType?: string) =>
      ctx.app.inject({ method, url, payload, headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken!, ...(contentType ? { 'content-type': contentType } : {}) } });
    const attempts = [
      await raw('POST', '/api/orgs', '{"parentId":', 'application/json'),
      await raw('POST', '/api/orgs', '[]', 'application/json'),
      await raw('POST', '/api/orgs', 'null', 'application/json'),
      await raw('POST', '/api/orgs', '"text"', 'application/json'),
      await raw('POST', '/api/orgs', 'parentId=1', 'application/x-www-form-urlencoded'),
      await raw('POST', '/api/orgs', 'hello', 'text/plain'),
      await raw('POST', '/api/orgs', JSON.stringify({ parentId: 1e300, kind: 'school', code: 'X', name: 'X' }), 'application/json'),
      await raw('POST', '/api/orgs', JSON.stringify({ parentId: 2 ** 31, kind: 'school', code: 'X', name: 'X' }), 'application/json'),
      await raw('PATCH', `/api/orgs/${w.schoolA1.id}`, JSON.stringify({ enrolment: 1.5 }), 'application/json'),
      await raw('PATCH', `/api/orgs/${w.schoolA1.id}`, JSON.stringify({ name: 'x'.repeat(10_000) }), 'application/json'),
      await raw('GET', `/api/orgs/${2 ** 31}`, undefined),
      await raw('GET', '/api/orgs/1e3', undefined),
      await raw('GET', '/api/orgs?limit=1e9', undefined),
      await raw('GET', `/api/orgs?parentId=${2 ** 40}`, undefined),
      await raw('GET', '/api/audit?orgId=99999999999', undefined),
      await raw('GET', '/api/imports/not-a-uuid', undefined),
      await raw('POST', '/api/auth/login', 'x'.repeat(2 * 1024 * 1024), 'application/json'),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect(res.json().error.code).toEqual(expect.any(String));
    }
    expect(await countRows(ctx.db, "organizations where code = 'X'")).toBe(0);
  });
});

describe('security headers', () => {
  it('are sent on API answers, errors included', async () => {
    for (const res of [await new Agent(ctx.app).get('/api/health'), await new Agent(ctx.app).get('/api/me'), await admin.get('/api/nowhere')]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(res.headers['content-security-policy']).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});

describe('development outbox', () => {
  it('is readable only by a signed-in operator, from anywhere', async () => {
    await new Agent(ctx.app).post('/api/auth/forgot', { email: 'member@example.test' });
    // It holds reset links: being on this machine (or behind its proxy) is not enough.
    expectError(await new Agent(ctx.app).get('/dev/outbox.json'), 401, 'unauthenticated');
    expectError(await new Agent(ctx.app).get('/dev/outbox'), 401, 'unauthenticated');
    expectError(await admin.get('/dev/outbox.json'), 403, 'forbidden');
    const mine = await operator.request('GET', '/dev/outbox.json', undefined, {}, { remoteAddress: '203.0.113.9' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()[0]).toMatchObject({ to: 'member@example.test', subject: expect.stringMatching(/reset/i) });
    expect((await operator.get('/dev/outbox')).statusCode).toBe(200);
  });

  it('escapes mail content in the HTML page', async () => {
    await ctx.db.execute(sql`insert into mail_outbox ("to", subject, text) values ('x@example.test', '<script>alert(1)</script>', 'see https://example.test/a')`);
    const page = await operator.get('/dev/outbox');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&#60;script&#62;');
    expect(page.body).toContain('<a href="https://example.test/a">');
  });
});
