// Regression tests for the security review of sign-in and the request edge: parallel password
// guessing, NUL characters and out-of-range dates, reset links after a password change, audit
// scope of account events, invitations a coordinator could not have sent, one session per
// browser, and percent-encoded paths.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/client.js';
import { mailOutbox } from '../../../server/mail/mail.tables.js';
import { auditRowsOf, countRows, latestMail, makeUser, makeWorld, TEST_PASSWORD, tokenFromLink } from '../../../server/test/factories.js';
import { Agent, expectError, signIn, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { invitations, memberships } from '../../members/server/members.tables.js';
import { loginThrottle, passwordResets, sessions, users } from './auth.tables.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  ctx = await startTestApp();
  w = await makeWorld(ctx.db);
});
afterAll(async () => {
  await ctx.close();
});

async function throttleRow(email: string) {
  const [row] = await ctx.db.select().from(loginThrottle).where(eq(loginThrottle.email, email));
  return row;
}

async function sessionCount(userId: number) {
  return countRows(ctx.db, `sessions where user_id = ${Number(userId)}`);
}

describe('parallel password guessing is held to five attempts', () => {
  /** 20 wrong passwords at once, each from its own address (so no per-address limit applies). */
  function guesses(email: string) {
    return Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: `wrong guess ${i}` }, remoteAddress: `10.20.0.${i + 1}` }),
      ),
    );
  }

  function tally(responses: { statusCode: number; json(): { error?: { code?: string } } }[]) {
    const byAnswer: Record<string, number> = {};
    for (const r of responses) {
      const key = `${r.statusCode} ${r.json().error?.code}`;
      byAnswer[key] = (byAnswer[key] ?? 0) + 1;
    }
    return byAnswer;
  }

  it('for an account: at most 5 answers 401, the rest 429; the right password right after is 429 too', async () => {
    const user = await makeUser(ctx.db, { email: 'guessed@example.test' });
    const answers = tally(await guesses(user.email));
    // Only the two expected answers occur, and together they account for all 20.
    expect(Object.keys(answers).sort()).toEqual(['401 invalid_credentials', '429 rate_limited']);
    expect(answers['401 invalid_credentials']).toBeLessThanOrEqual(5);
    expect(answers['401 invalid_credentials'] + answers['429 rate_limited']).toBe(20);

    const right = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: TEST_PASSWORD }, remoteAddress: '10.20.1.1' });
    expectError(right, 429, 'rate_limited');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.cookies.find((c) => c.name === 'sw_session' && c.value)).toBeUndefined();

    // The throttle row holds exactly the failures that were let through to the password check.
    const row = await throttleRow(user.email);
    expect(row).toBeDefined();
    expect(row.failures).toBe(answers['401 invalid_credentials']);
    expect(row.failures).toBe(5);
    expect(row.lastFailedAt).toBeInstanceOf(Date);
    expect(await auditRowsOf(ctx.db, 'auth.login_failed', { actorEmail: user.email })).toHaveLength(5);
    expect(await auditRowsOf(ctx.db, 'auth.login', { actorEmail: user.email })).toHaveLength(0);
    expect(await sessionCount(user.id)).toBe(0);
  });

  it('for an address with no account: the same answers, and the same throttle row', async () => {
    const email = 'no-such-person@example.test';
    const failedBefore = await countRows(ctx.db, "audit_log where action = 'auth.login_failed'");
    const answers = tally(await guesses(email));
    expect(Object.keys(answers).sort()).toEqual(['401 invalid_credentials', '429 rate_limited']);
    expect(answers['401 invalid_credentials']).toBeLessThanOrEqual(5);
    expect(answers['401 invalid_credentials'] + answers['429 rate_limited']).toBe(20);

    const again = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD }, remoteAddress: '10.20.1.2' });
    expectError(again, 429, 'rate_limited');

    const row = await throttleRow(email);
    expect(row).toBeDefined();
    expect(row.failures).toBe(answers['401 invalid_credentials']);
    expect(row.failures).toBe(5);
    expect(await countRows(ctx.db, "audit_log where action = 'auth.login_failed'")).toBe(failedBefore + 5);
    expect(await countRows(ctx.db, `users where email = '${email}'`)).toBe(0);
  });
});

describe('NUL characters and out-of-range dates are refused at the edge', () => {
  let admin: Agent;
  beforeAll(async () => {
    admin = await signIn(ctx.app, w.people.networkAdmin.email);
  });

  async function footprint() {
    return {
      organizations: await countRows(ctx.db, 'organizations'),
      audit: await countRows(ctx.db, 'audit_log'),
      jobs: await countRows(ctx.db, 'import_jobs'),
    };
  }

  it('POST /api/orgs with a NUL in the name → 400 naming name, nothing written', async () => {
    const before = await footprint();
    const res = await admin.post('/api/orgs', { parentId: w.districtA.id, kind: 'school', code: 'NUL-SCHOOL', name: 'Bad\u0000Name' });
    expectError(res, 400, 'validation_failed', 'name');
    expect(await footprint()).toEqual(before);
    expect(await countRows(ctx.db, "organizations where code = 'NUL-SCHOOL'")).toBe(0);
  });

  it('GET /api/orgs?q=a%00b → 400 naming q', async () => {
    expectError(await admin.get('/api/orgs?q=a%00b'), 400, 'validation_failed', 'q');
  });

  it('GET /api/audit?action=a%00b → 400 naming action', async () => {
    expectError(await admin.get('/api/audit?action=a%00b'), 400, 'validation_failed', 'action');
  });

  it('PATCH /api/me with a NUL in the name → 400 naming name, the name unchanged', async () => {
    const [before] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, w.people.networkAdmin.id));
    expectError(await admin.patch('/api/me', { name: 'a\u0000b' }), 400, 'validation_failed', 'name');
    const [after] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, w.people.networkAdmin.id));
    expect(after.name).toBe(before.name);
  });

  it('POST /api/imports with a NUL in fileName → 400 naming fileName, no job and no organisation', async () => {
    const before = await footprint();
    const csv = 'NCESSCH,SCH_NAME,LEAID,LEA_NAME,ST,SY_STATUS\n060001109818,Alpha Elementary,0600011,Alpha Unified,CA,1\n';
    const res = await admin.post(`/api/imports?underId=${w.network.id}&fileName=a%00`, Buffer.from(csv), { 'content-type': 'text/csv' });
    expectError(res, 400, 'validation_failed', 'fileName');
    expect(await footprint()).toEqual(before);
    expect(await countRows(ctx.db, "organizations where code = '060001109818'")).toBe(0);
  });

  it('out-of-range audit dates → 400 naming to / from', async () => {
    expectError(await admin.get('/api/audit?to=9999-12-31'), 400, 'validation_failed', 'to');
    expectError(await admin.get('/api/audit?from=0000-01-01'), 400, 'validation_failed', 'from');
    // A reasonable range still answers.
    expect((await admin.get('/api/audit?from=2000-01-01&to=2999-12-31')).statusCode).toBe(200);
  });
});

describe('reset links do not outlive a password change', () => {
  async function requestReset(email: string): Promise<string> {
    const res = await new Agent(ctx.app).post('/api/auth/forgot', { email });
    expect(res.statusCode, res.body).toBe(200);
    return tokenFromLink((await latestMail(ctx.db, email))!.text, 'reset');
  }

  async function openResets(userId: number) {
    return ctx.db.select().from(passwordResets).where(and(eq(passwordResets.userId, userId), sql`${passwordResets.usedAt} is null`));
  }

  it('two links, the second used, then a password change: the first link answers 410', async () => {
    const user = await makeUser(ctx.db, { email: 'two-links@example.test' });
    const first = await requestReset(user.email);
    const second = await requestReset(user.email);
    expect(second).not.toBe(first);
    expect(await countRows(ctx.db, `mail_outbox where "to" = '${user.email}'`)).toBe(2);

    expect((await new Agent(ctx.app).post('/api/auth/reset', { token: second, password: 'second password 2' })).statusCode).toBe(200);
    const agent = await signIn(ctx.app, user.email, 'second password 2');
    const changed = await agent.post('/api/auth/password', { currentPassword: 'second password 2', newPassword: 'third password 3' });
    expect(changed.statusCode, changed.body).toBe(200);

    expectError(await new Agent(ctx.app).post('/api/auth/reset', { token: first, password: 'attacker password' }), 410, 'invalid_token');
    expect(await openResets(user.id)).toEqual([]);
    // The password is still the one chosen last.
    expectError(await new Agent(ctx.app).post('/api/auth/login', { email: user.email, password: 'attacker password' }), 401, 'invalid_credentials');
    await signIn(ctx.app, user.email, 'third password 3');
    expect(await auditRowsOf(ctx.db, 'auth.password_reset', { actorEmail: user.email })).toHaveLength(1);
  });

  it('after a password change, an earlier unused link answers 410', async () => {
    const user = await makeUser(ctx.db, { email: 'changed-after-link@example.test' });
    const token = await requestReset(user.email);
    const agent = await signIn(ctx.app, user.email);
    const changed = await agent.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'brand new password' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await openResets(user.id)).toEqual([]);

    expectError(await new Agent(ctx.app).post('/api/auth/reset', { token, password: 'attacker password' }), 410, 'invalid_token');
    expect(await auditRowsOf(ctx.db, 'auth.password_reset', { actorEmail: user.email })).toHaveLength(0);
    // The session that changed the password lives on; the new password is the one that works.
    expect((await agent.get('/api/me')).statusCode).toBe(200);
    await signIn(ctx.app, user.email, 'brand new password');
  });
});

describe('account events in the audit log follow every role of the person', () => {
  let districtAdmin: Agent;
  let operator: Agent;
  beforeAll(async () => {
    // The network admin also holds a viewer role inside District A: one role in scope is not enough.
    await ctx.db.insert(memberships).values({ userId: w.people.networkAdmin.id, orgId: w.schoolA1.id, role: 'viewer' });
    await signIn(ctx.app, w.people.networkAdmin.email);
    await signIn(ctx.app, w.people.schoolMember.email);
    districtAdmin = await signIn(ctx.app, w.people.districtAdmin.email);
    operator = await signIn(ctx.app, w.people.operator.email);
  });

  type Page = { items: { action: string; actorEmail: string | null }[]; total: number };
  async function auditOf(agent: Agent, email: string): Promise<Page> {
    const res = await agent.get(`/api/audit?actor=${encodeURIComponent(email)}&limit=200`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  it("District A's admin sees no auth.* entries of the network admin", async () => {
    const stored = (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_log where actor_email = ${w.people.networkAdmin.email} and action like 'auth.%'`))[0].n;
    expect(stored).toBeGreaterThan(0);
    const page = await auditOf(districtAdmin, w.people.networkAdmin.email);
    expect(page.items.filter((i) => i.action.startsWith('auth.'))).toEqual([]);
  });

  it('but sees the sign-ins of a member whose only role is inside District A', async () => {
    const page = await auditOf(districtAdmin, w.people.schoolMember.email);
    const logins = page.items.filter((i) => i.action === 'auth.login');
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.length).toBe((await auditRowsOf(ctx.db, 'auth.login', { actorEmail: w.people.schoolMember.email })).length);
    expect(logins.every((i) => i.actorEmail === w.people.schoolMember.email)).toBe(true);
  });

  it('the operator sees all of them', async () => {
    const page = await auditOf(operator, w.people.networkAdmin.email);
    const stored = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_log where actor_email = ${w.people.networkAdmin.email}`);
    expect(page.total).toBe(stored[0].n);
    expect(page.items.filter((i) => i.action === 'auth.login').length).toBe((await auditRowsOf(ctx.db, 'auth.login', { actorEmail: w.people.networkAdmin.email })).length);
  });
});

describe('a coordinator cannot undo an invitation for a role they could not give', () => {
  let admin: Agent;
  let coordinator: Agent;
  beforeAll(async () => {
    admin = await signIn(ctx.app, w.people.districtAdmin.email);
    coordinator = await signIn(ctx.app, w.people.districtCoordinator.email);
  });

  async function invite(agent: Agent, email: string, role: string) {
    return agent.post(`/api/orgs/${w.districtA.id}/invitations`, { email, role });
  }
  async function invitationsOf(email: string) {
    return ctx.db.select().from(invitations).where(eq(invitations.email, email)).orderBy(invitations.id);
  }
  async function mailsTo(email: string) {
    return (await ctx.db.select().from(mailOutbox).where(eq(mailOutbox.to, email))).length;
  }

  it('withdrawing an admin invitation made by an admin: coordinator 403, admin 200', async () => {
    const email = 'future-admin@example.test';
    expect((await invite(admin, email, 'admin')).statusCode).toBe(200);
    const [inv] = await invitationsOf(email);
    expect(inv).toMatchObject({ role: 'admin', revokedAt: null, acceptedAt: null });

    expectError(await coordinator.delete(`/api/invitations/${inv.id}`), 403, 'forbidden');
    expect(await invitationsOf(email)).toEqual([inv]);
    expect(await auditRowsOf(ctx.db, 'member.invitation_revoked', { actorEmail: w.people.districtCoordinator.email })).toHaveLength(0);

    expect((await admin.delete(`/api/invitations/${inv.id}`)).statusCode).toBe(200);
    const [after] = await invitationsOf(email);
    expect(after.revokedAt).toBeInstanceOf(Date);
    expect((await auditRowsOf(ctx.db, 'member.invitation_revoked', { actorEmail: w.people.districtAdmin.email })).filter((a) => a.target_id === String(inv.id))).toHaveLength(1);
  });

  it('replacing it by inviting the same address as member: coordinator 403, admin 200', async () => {
    const email = 'future-admin-2@example.test';
    expect((await invite(admin, email, 'admin')).statusCode).toBe(200);
    const [inv] = await invitationsOf(email);

    expectError(await invite(coordinator, email, 'member'), 403, 'forbidden');
    expect(await invitationsOf(email)).toEqual([inv]);
    expect(await mailsTo(email)).toBe(1);

    expect((await invite(admin, email, 'member')).statusCode).toBe(200);
    const rows = await invitationsOf(email);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: inv.id, role: 'admin' });
    expect(rows[0].revokedAt).toBeInstanceOf(Date);
    expect(rows[1]).toMatchObject({ role: 'member', revokedAt: null });
    expect(await mailsTo(email)).toBe(2);
  });

  it('a coordinator still withdraws and replaces invitations for roles they may give', async () => {
    const email = 'future-member@example.test';
    expect((await invite(coordinator, email, 'member')).statusCode).toBe(200);
    expect((await invite(coordinator, email, 'viewer')).statusCode).toBe(200);
    const rows = await invitationsOf(email);
    expect(rows.map((r) => [r.role, r.revokedAt === null])).toEqual([['member', false], ['viewer', true]]);
    expect((await coordinator.delete(`/api/invitations/${rows[1].id}`)).statusCode).toBe(200);
    expect((await invitationsOf(email))[1].revokedAt).toBeInstanceOf(Date);
  });
});

describe('one session per browser', () => {
  it('signing in again from the same browser ends the previous session', async () => {
    const user = await makeUser(ctx.db, { email: 'twice@example.test' });
    const browser = await signIn(ctx.app, user.email);
    const oldCookie = browser.cookie;
    expect(oldCookie).toBeTruthy();
    expect(await sessionCount(user.id)).toBe(1);

    await browser.login(user.email, TEST_PASSWORD);
    expect(browser.cookie).toBeTruthy();
    expect(browser.cookie).not.toBe(oldCookie);
    expect(await sessionCount(user.id)).toBe(1);

    const stale = new Agent(ctx.app);
    stale.cookie = oldCookie;
    expectError(await stale.get('/api/me'), 401, 'unauthenticated');
    expect((await browser.get('/api/me')).statusCode).toBe(200);
    const [row] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(sessions).where(eq(sessions.userId, user.id));
    expect(row.n).toBe(1);
  });
});

describe('percent-encoded paths', () => {
  it.each(['/%61pi/me', '/%61pi/orgs', '/%61pi/audit', `/%61pi/orgs/1`])('%s without a session → 401, never 500', async (url) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    expectError(res, 401, 'unauthenticated');
  });

  it('a state-changing percent-encoded path without a session → 401, nothing written', async () => {
    const before = await countRows(ctx.db, 'organizations');
    const res = await ctx.app.inject({ method: 'POST', url: '/%61pi/orgs', payload: { parentId: null, kind: 'network', code: 'SNEAK', name: 'Sneaky' } });
    expectError(res, 401, 'unauthenticated');
    expect(await countRows(ctx.db, 'organizations')).toBe(before);
  });
});
