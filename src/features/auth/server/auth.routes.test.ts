import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, expectError, signIn, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { auditRowsOf, countRows, latestMail, makeUser, makeWorld, TEST_PASSWORD, tokenFromLink } from '../../../server/test/factories.js';
import { loginThrottle, users } from './auth.tables.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  ctx = await startTestApp();
  world = await makeWorld(ctx.db);
});
afterAll(() => ctx.close());

async function throttleRow(email: string) {
  const [row] = await ctx.db.select().from(loginThrottle).where(eq(loginThrottle.email, email));
  return row;
}

async function userRow(email: string) {
  const [u] = await ctx.db.select().from(users).where(eq(users.email, email));
  return u;
}

describe('sign-in', () => {
  it('refuses /api/me without a session', async () => {
    const res = await new Agent(ctx.app).get('/api/me');
    expectError(res, 401, 'unauthenticated');
  });

  it('signs in, reports memberships and abilities, and signs out', async () => {
    const agent = new Agent(ctx.app);
    const sessionsBefore = await countRows(ctx.db, 'sessions');
    const login = await agent.post('/api/auth/login', { email: 'Coord@Example.test', password: TEST_PASSWORD });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'sw_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    // Plain HTTP and no trusted proxy: the cookie cannot be Secure.
    expect(cookie.secure).toBeFalsy();
    expect(await countRows(ctx.db, 'sessions')).toBe(sessionsBefore + 1);
    // The table keeps only a hash of the cookie token.
    const stored = (await ctx.db.execute(sql`select id from sessions`)) as unknown as { rows: { id: string }[] };
    expect(stored.rows.map((r) => r.id)).not.toContain(cookie.value);

    const me = (await agent.get('/api/me')).json();
    expect(me.user).toMatchObject({ email: 'coord@example.test', isOperator: false, locale: 'en' });
    expect(me.memberships).toHaveLength(1);
    expect(me.memberships[0]).toMatchObject({ orgId: world.districtA.id, orgName: 'District A', orgKind: 'district', role: 'coordinator' });
    expect(me.memberships[0].abilities).toMatchObject({ 'member.invite': true, 'partner.link': true, 'org.read': true, 'org.create': false, 'member.manage': false, 'audit.read': false });
    expect(typeof me.csrfToken).toBe('string');

    expect((await agent.post('/api/auth/logout')).statusCode).toBe(200);
    expect(agent.cookie).toBeNull();
    expect(await countRows(ctx.db, 'sessions')).toBe(sessionsBefore);
    expectError(await agent.get('/api/me'), 401, 'unauthenticated');
  });

  it('stores passwords as argon2id hashes', async () => {
    const u = await userRow('coord@example.test');
    // OWASP baseline: 19 MiB, two passes, one lane (the encoder may order the parameters either way).
    const [, id, , params] = u.passwordHash!.split('$');
    expect(id).toBe('argon2id');
    expect(params.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
  });

  it('writes every sign-in to the audit log', async () => {
    const before = (await auditRowsOf(ctx.db, 'auth.login', { actorEmail: 'viewer@example.test' })).length;
    await signIn(ctx.app, 'viewer@example.test');
    const after = await auditRowsOf(ctx.db, 'auth.login', { actorEmail: 'viewer@example.test' });
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.org_path).toBeNull();
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const unknown = await new Agent(ctx.app).post('/api/auth/login', { email: 'nobody-at-all@example.test', password: TEST_PASSWORD });
    const wrong = await new Agent(ctx.app).post('/api/auth/login', { email: 'nobody@example.test', password: 'not the password' });
    expectError(unknown, 401, 'invalid_credentials');
    expectError(wrong, 401, 'invalid_credentials');
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.cookies).toHaveLength(0);
    // Both attempts are audited; the unknown address without an actor.
    const failed = await auditRowsOf(ctx.db, 'auth.login_failed');
    expect(failed.some((r) => r.actor_email === null && r.details?.email === 'nobody-at-all@example.test')).toBe(true);
    expect(failed.some((r) => r.actor_email === 'nobody@example.test')).toBe(true);
  });

  it('refuses bad input with 400 naming the field', async () => {
    const agent = new Agent(ctx.app);
    expectError(await agent.post('/api/auth/login', { email: 'not-an-email', password: 'x' }), 400, 'validation_failed', 'email');
    expectError(await agent.post('/api/auth/login', { email: 'a@example.test', password: '' }), 400, 'validation_failed', 'password');
    expectError(await agent.post('/api/auth/login', { email: 'a@example.test' }), 400, 'validation_failed', 'password');
    // Malformed JSON is a 400 too, never a 500.
    const broken = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expectError(broken, 400, 'bad_request');
  });

  it('refuses a disabled account and ends its sessions', async () => {
    const u = await makeUser(ctx.db, { email: 'disabled@example.test', role: 'member', org: world.schoolA2 });
    const agent = await signIn(ctx.app, u.email);
    await ctx.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    expectError(await agent.get('/api/me'), 401, 'unauthenticated');
    expectError(await new Agent(ctx.app).post('/api/auth/login', { email: u.email, password: TEST_PASSWORD }), 401, 'invalid_credentials');
  });

  it('ends a session when it expires', async () => {
    const u = await makeUser(ctx.db, { email: 'expiring@example.test' });
    const agent = await signIn(ctx.app, u.email);
    expect((await agent.get('/api/me')).statusCode).toBe(200);
    await ctx.db.execute(sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${u.id}`);
    expectError(await agent.get('/api/me'), 401, 'unauthenticated');
  });
});

describe('login throttling per account', () => {
  it('makes the account wait after five failures (429 + Retry-After), even with the right password', async () => {
    const u = await makeUser(ctx.db, { email: 'throttled@example.test' });
    const agent = new Agent(ctx.app);
    for (let i = 0; i < 5; i++) expectError(await agent.post('/api/auth/login', { email: u.email, password: `wrong ${i}` }), 401, 'invalid_credentials');
    expect((await throttleRow(u.email))?.failures).toBe(5);

    const locked = await agent.post('/api/auth/login', { email: u.email, password: TEST_PASSWORD });
    expectError(locked, 429, 'rate_limited');
    // Five free failures, then 15 s.
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(15);
    expect(locked.cookies).toHaveLength(0);

    // Once the wait is over, one more failure doubles it to 30 s.
    await ctx.db.update(loginThrottle).set({ lastFailedAt: new Date(Date.now() - 16_000) }).where(eq(loginThrottle.email, u.email));
    expectError(await agent.post('/api/auth/login', { email: u.email, password: 'wrong again' }), 401, 'invalid_credentials');
    const longer = await agent.post('/api/auth/login', { email: u.email, password: TEST_PASSWORD });
    expectError(longer, 429, 'rate_limited');
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(15);
    expect(Number(longer.headers['retry-after'])).toBeLessThanOrEqual(30);

    // After that wait the right password works and the counter starts again.
    await ctx.db.update(loginThrottle).set({ lastFailedAt: new Date(Date.now() - 31_000) }).where(eq(loginThrottle.email, u.email));
    expect((await agent.post('/api/auth/login', { email: u.email, password: TEST_PASSWORD })).statusCode).toBe(200);
    expect(await throttleRow(u.email)).toBeUndefined();
  });

  it('throttles an unknown email after five failures exactly like an existing account (429 + Retry-After)', async () => {
    const agent = new Agent(ctx.app);
    for (let i = 0; i < 5; i++) expectError(await agent.post('/api/auth/login', { email: 'no-such-person@example.test', password: `guess ${i}` }), 401, 'invalid_credentials');
    const locked = await agent.post('/api/auth/login', { email: 'No-Such-Person@example.test', password: 'guess 6' });
    expectError(locked, 429, 'rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15);
    expect((await throttleRow('no-such-person@example.test'))?.failures).toBe(5);
  });
});

describe('CSRF protection', () => {
  it('refuses a state-changing request without the CSRF token', async () => {
    const agent = await signIn(ctx.app, 'member@example.test');
    expectError(await agent.withoutCsrf('PATCH', '/api/me', { name: 'Forged' }), 403, 'csrf_failed');
    expectError(await agent.request('PATCH', '/api/me', { name: 'Forged' }, { 'x-csrf-token': 'not-the-token' }), 403, 'csrf_failed');
    expect((await userRow('member@example.test')).name).not.toBe('Forged');
    // Reading needs no token.
    expect((await agent.get('/api/me')).statusCode).toBe(200);
  });

  it('refuses a state-changing request from another origin, even with the token', async () => {
    const agent = await signIn(ctx.app, 'member@example.test');
    expectError(await agent.request('PATCH', '/api/me', { name: 'Forged' }, { origin: 'https://evil.example' }), 403, 'csrf_failed');
    expectError(await agent.request('PATCH', '/api/me', { name: 'Forged' }, { origin: 'null' }), 403, 'csrf_failed');
    // A cross-site login (login CSRF) is refused before any password check.
    expectError(await new Agent(ctx.app).post('/api/auth/login', { email: 'member@example.test', password: TEST_PASSWORD }, { origin: 'https://evil.example' }), 403, 'csrf_failed');
    // The same origin is fine, with or without the scheme's default port.
    expect((await agent.request('PATCH', '/api/me', { name: 'Default Port' }, { origin: 'https://schoolwell.example', host: 'schoolwell.example:443' })).statusCode).toBe(200);
    expectError(await agent.request('PATCH', '/api/me', { name: 'Forged' }, { origin: 'https://schoolwell.example:8443', host: 'schoolwell.example' }), 403, 'csrf_failed');
    const same = await agent.request('PATCH', '/api/me', { name: 'Same Origin' }, { origin: 'https://schoolwell.example', host: 'schoolwell.example' });
    expect(same.statusCode).toBe(200);
    expect((await userRow('member@example.test')).name).toBe('Same Origin');
  });
});

describe('PATCH /api/me', () => {
  it('needs a session', async () => {
    expectError(await new Agent(ctx.app).patch('/api/me', { name: 'x' }), 401, 'unauthenticated');
  });

  it('changes name and language', async () => {
    const agent = await signIn(ctx.app, 'viewer@example.test');
    const res = await agent.patch('/api/me', { name: '  Vera Viewer ', locale: 'fr' });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ name: 'Vera Viewer', locale: 'fr' });
    const u = await userRow('viewer@example.test');
    expect([u.name, u.locale]).toEqual(['Vera Viewer', 'fr']);
  });

  it('refuses bad input naming the field', async () => {
    const agent = await signIn(ctx.app, 'viewer@example.test');
    expectError(await agent.patch('/api/me', { locale: 'de' }), 400, 'validation_failed', 'locale');
    expectError(await agent.patch('/api/me', { name: '   ' }), 400, 'validation_failed', 'name');
    expect((await userRow('viewer@example.test')).locale).toBe('fr');
  });
});

describe('change password', () => {
  it('needs a session', async () => {
    expectError(await new Agent(ctx.app).post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' }), 401, 'unauthenticated');
  });

  it('refuses a wrong current password (401 naming the field) and a short new one (400)', async () => {
    const u = await makeUser(ctx.db, { email: 'changer1@example.test' });
    const agent = await signIn(ctx.app, u.email);
    const hash = (await userRow(u.email)).passwordHash;
    expectError(await agent.post('/api/auth/password', { currentPassword: 'not it at all', newPassword: 'a brand new password' }), 401, 'invalid_credentials', 'currentPassword');
    expectError(await agent.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' }), 400, 'validation_failed', 'newPassword');
    expectError(await agent.post('/api/auth/password', { newPassword: 'a brand new password' }), 400, 'validation_failed', 'currentPassword');
    expect((await userRow(u.email)).passwordHash).toBe(hash);
    // A wrong current password does not end the session.
    expect((await agent.get('/api/me')).statusCode).toBe(200);
  });

  it('changes the password, keeps this session and ends the others', async () => {
    const u = await makeUser(ctx.db, { email: 'changer2@example.test' });
    const here = await signIn(ctx.app, u.email);
    const elsewhere = await signIn(ctx.app, u.email);
    const res = await here.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' });
    expect(res.statusCode).toBe(200);
    expect((await here.get('/api/me')).statusCode).toBe(200);
    expectError(await elsewhere.get('/api/me'), 401, 'unauthenticated');
    expectError(await new Agent(ctx.app).post('/api/auth/login', { email: u.email, password: TEST_PASSWORD }), 401, 'invalid_credentials');
    expect((await new Agent(ctx.app).post('/api/auth/login', { email: u.email, password: 'a brand new password' })).statusCode).toBe(200);
    expect(await auditRowsOf(ctx.db, 'auth.password_changed', { actorEmail: u.email })).toHaveLength(1);
  });
});

describe('password reset through the mailed link', () => {
  it('mails a one-time link, sets the password once and ends every session', async () => {
    const u = await makeUser(ctx.db, { email: 'forgetful@example.test' });
    const oldSession = await signIn(ctx.app, u.email);
    // Some failures before: a reset clears them.
    await ctx.db.insert(loginThrottle).values({ email: u.email, failures: 7, lastFailedAt: new Date() });
    const mailsBefore = await countRows(ctx.db, 'mail_outbox');

    const anon = new Agent(ctx.app);
    expect((await anon.post('/api/auth/forgot', { email: 'Forgetful@Example.test' })).json()).toEqual({ ok: true });
    // An unknown address gets the same answer and no mail.
    expect((await anon.post('/api/auth/forgot', { email: 'stranger@example.test' })).json()).toEqual({ ok: true });
    expect(await countRows(ctx.db, 'mail_outbox')).toBe(mailsBefore + 1);

    const mail = await latestMail(ctx.db, u.email);
    expect(mail.subject).toMatch(/reset/i);
    expect(mail.text).toContain('http://localhost:3000/reset/');
    const token = tokenFromLink(mail.text, 'reset');
    // Only the hash is stored.
    const stored = (await ctx.db.execute(sql`select token_hash from password_resets where user_id = ${u.id}`)) as unknown as { rows: { token_hash: string }[] };
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).not.toBe(token);

    expectError(await anon.post('/api/auth/reset', { token, password: 'short' }), 400, 'validation_failed', 'password');
    expect((await anon.post('/api/auth/reset', { token, password: 'reset password 2026' })).statusCode).toBe(200);
    expectError(await oldSession.get('/api/me'), 401, 'unauthenticated');
    expect(await throttleRow(u.email)).toBeUndefined();
    expectError(await new Agent(ctx.app).post('/api/auth/login', { email: u.email, password: TEST_PASSWORD }), 401, 'invalid_credentials');
    expect((await new Agent(ctx.app).post('/api/auth/login', { email: u.email, password: 'reset password 2026' })).statusCode).toBe(200);

    // The link works once.
    expectError(await anon.post('/api/auth/reset', { token, password: 'yet another password' }), 410, 'invalid_token');
    expect((await new Agent(ctx.app).post('/api/auth/login', { email: u.email, password: 'reset password 2026' })).statusCode).toBe(200);
    expect(await auditRowsOf(ctx.db, 'auth.password_reset', { actorEmail: u.email })).toHaveLength(1);
  });

  it('refuses an expired link', async () => {
    const u = await makeUser(ctx.db, { email: 'late@example.test' });
    await new Agent(ctx.app).post('/api/auth/forgot', { email: u.email });
    const token = tokenFromLink((await latestMail(ctx.db, u.email)).text, 'reset');
    await ctx.db.execute(sql`update password_resets set expires_at = now() - interval '1 minute' where user_id = ${u.id}`);
    expectError(await new Agent(ctx.app).post('/api/auth/reset', { token, password: 'too late password' }), 410, 'invalid_token');
  });

  it('refuses bad input naming the field', async () => {
    const anon = new Agent(ctx.app);
    expectError(await anon.post('/api/auth/forgot', { email: 'nope' }), 400, 'validation_failed', 'email');
    expectError(await anon.post('/api/auth/reset', { token: 'short', password: 'long enough password' }), 400, 'validation_failed', 'token');
    expectError(await anon.post('/api/auth/reset', { token: 'x'.repeat(43), password: 'long enough password' }), 410, 'invalid_token');
  });
});

describe('per-address rate limit and Secure cookies behind a proxy', () => {
  let proxied: TestContext;
  beforeAll(async () => {
    proxied = await startTestApp({ loginRateLimitPerMinute: 3, trustProxy: true });
    await makeUser(proxied.db, { email: 'limited@example.test' });
  });
  afterAll(() => proxied.close());

  it('marks the cookie Secure when a trusted proxy says the request came over HTTPS', async () => {
    const res = await new Agent(proxied.app).post('/api/auth/login', { email: 'limited@example.test', password: TEST_PASSWORD }, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sw_session')!;
    expect(cookie.secure).toBe(true);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
  });

  it('does not trust x-forwarded-proto when no proxy is configured', async () => {
    const res = await new Agent(ctx.app).post('/api/auth/login', { email: 'member@example.test', password: TEST_PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'sw_session')!.secure).toBeFalsy();
  });

  it('limits sign-in attempts per address (429 + Retry-After), not for other addresses', async () => {
    const from = (ip: string, password: string) =>
      new Agent(proxied.app).post('/api/auth/login', { email: 'limited@example.test', password }, { 'x-forwarded-for': ip });
    // Three attempts a minute from 203.0.113.7, whatever their outcome.
    expectError(await from('203.0.113.7', 'wrong one'), 401, 'invalid_credentials');
    expectError(await from('203.0.113.7', 'wrong two'), 401, 'invalid_credentials');
    expect((await from('203.0.113.7', TEST_PASSWORD)).statusCode).toBe(200);
    const limited = await from('203.0.113.7', TEST_PASSWORD);
    expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another address is not affected.
    expect((await from('203.0.113.8', TEST_PASSWORD)).statusCode).toBe(200);
  });
});
