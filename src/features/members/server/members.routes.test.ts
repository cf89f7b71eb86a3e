import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsOf, countRows, latestMail, makeOrg, makeUser, makeWorld, TEST_PASSWORD, type TestOrg, tokenFromLink } from '../../../server/test/factories.js';
import { Agent, expectError, signIn, startTestApp, type TestContext, signInAll } from '../../../server/test/harness.js';
import { users } from '../../auth/server/auth.tables.js';
import { invitations, memberships } from './members.tables.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};
let anon: Agent;

beforeAll(async () => {
  ctx = await startTestApp();
  w = await makeWorld(ctx.db);
  anon = new Agent(ctx.app);
  Object.assign(as, await signInAll(ctx.app, w.people));
});
afterAll(() => ctx.close());

async function membershipOf(userId: number, orgId: number) {
  const [m] = await ctx.db.select().from(memberships).where(sql`${memberships.userId} = ${userId} and ${memberships.orgId} = ${orgId}`);
  return m;
}
async function invitationRow(id: number) {
  const [row] = await ctx.db.select().from(invitations).where(eq(invitations.id, id));
  return row;
}

/** Invites through the API and returns the invitation's id and the token from the mailed link. */
async function invite(agent: Agent, org: TestOrg, email: string, role: string): Promise<{ id: number; token: string }> {
  const res = await agent.post(`/api/orgs/${org.id}/invitations`, { email, role });
  if (res.statusCode !== 200) throw new Error(`invite failed: ${res.statusCode} ${res.body}`);
  const inv = (res.json().invitations as { id: number; email: string }[]).find((i) => i.email === email.toLowerCase())!;
  return { id: inv.id, token: tokenFromLink((await latestMail(ctx.db, email.toLowerCase())).text, 'invite') };
}

describe('GET /api/orgs/:id/members', () => {
  it('needs a session', async () => {
    expectError(await anon.get(`/api/orgs/${w.schoolA1.id}/members`), 401, 'unauthenticated');
  });

  it('answers 404 outside the scope (like a missing organisation) and 400 for a bad id', async () => {
    const outside = await as.otherAdmin.get(`/api/orgs/${w.schoolA1.id}/members`);
    expectError(outside, 404, 'not_found');
    expect(outside.json()).toEqual((await as.otherAdmin.get('/api/orgs/987654/members')).json());
    expectError(await as.schoolMember.get(`/api/orgs/${w.districtA.id}/members`), 404, 'not_found');
    expectError(await as.networkAdmin.get('/api/orgs/x/members'), 400, 'validation_failed', 'id');
  });

  it('lists the members; open invitations and invitable roles only for those who may invite', async () => {
    await invite(as.districtCoordinator, w.schoolA1, 'listed-invitee@example.test', 'viewer');
    const viewer = (await as.schoolViewer.get(`/api/orgs/${w.schoolA1.id}/members`)).json();
    expect(viewer.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      ['member@example.test', 'member'],
      ['viewer@example.test', 'viewer'],
    ]);
    expect(viewer.invitations).toEqual([]);
    expect(viewer.invitableRoles).toEqual([]);
    const coordinator = (await as.districtCoordinator.get(`/api/orgs/${w.schoolA1.id}/members`)).json();
    expect(coordinator.invitations.map((i: { email: string }) => i.email)).toEqual(['listed-invitee@example.test']);
    expect(coordinator.invitations[0]).toMatchObject({ role: 'viewer', invitedBy: 'coord@example.test' });
    expect(coordinator.invitableRoles).toEqual(['member', 'viewer']);
    expect((await as.districtAdmin.get(`/api/orgs/${w.schoolA1.id}/members`)).json().invitableRoles).toEqual(['admin', 'coordinator', 'member', 'viewer']);
  });
});

describe('POST /api/orgs/:id/invitations', () => {
  it('needs a session and the CSRF token', async () => {
    expectError(await anon.post(`/api/orgs/${w.schoolA1.id}/invitations`, { email: 'x@example.test', role: 'member' }), 401, 'unauthenticated');
    expectError(await as.districtAdmin.withoutCsrf('POST', `/api/orgs/${w.schoolA1.id}/invitations`, { email: 'x@example.test', role: 'member' }), 403, 'csrf_failed');
    expect(await countRows(ctx.db, "invitations where email = 'x@example.test'")).toBe(0);
  });

  it('answers 404 outside the scope, 403 for members and viewers', async () => {
    const body = { email: 'x@example.test', role: 'member' };
    expectError(await as.otherAdmin.post(`/api/orgs/${w.schoolA1.id}/invitations`, body), 404, 'not_found');
    expectError(await as.schoolViewer.post(`/api/orgs/${w.schoolA1.id}/invitations`, body), 403, 'forbidden');
    expectError(await as.schoolMember.post(`/api/orgs/${w.schoolA1.id}/invitations`, { ...body, role: 'viewer' }), 403, 'forbidden');
    expect(await countRows(ctx.db, "invitations where email = 'x@example.test'")).toBe(0);
  });

  it('lets a coordinator invite members and viewers but not admins or coordinators (403)', async () => {
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/invitations`, { email: 'boss@example.test', role: 'admin' }), 403, 'forbidden');
    expectError(await as.districtCoordinator.post(`/api/orgs/${w.schoolA1.id}/invitations`, { email: 'boss@example.test', role: 'coordinator' }), 403, 'forbidden');
    expect(await countRows(ctx.db, "invitations where email = 'boss@example.test'")).toBe(0);
    const { id } = await invite(as.districtCoordinator, w.schoolA1, 'teacher@example.test', 'member');
    expect(await invitationRow(id)).toMatchObject({ orgId: w.schoolA1.id, email: 'teacher@example.test', role: 'member', invitedBy: w.people.districtCoordinator.id, acceptedAt: null, revokedAt: null });
  });

  it('mails a link whose token is stored only as a hash, and audits the invitation', async () => {
    const { id, token } = await invite(as.districtAdmin, w.schoolA2, 'New.Person@Example.test', 'coordinator');
    const row = await invitationRow(id);
    expect(row.email).toBe('new.person@example.test');
    expect(row.tokenHash).not.toBe(token);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const mail = await latestMail(ctx.db, 'new.person@example.test');
    expect(mail.text).toContain(`http://localhost:3000/invite/${token}`);
    expect(mail.subject).toContain('School A2');
    const audit = (await auditRowsOf(ctx.db, 'member.invited')).find((a) => a.target_id === String(id))!;
    expect(audit).toMatchObject({ actor_email: 'distadmin@example.test', org_id: w.schoolA2.id, details: { email: 'new.person@example.test', role: 'coordinator' } });
  });

  it('replaces an open invitation to the same address', async () => {
    const first = await invite(as.districtAdmin, w.schoolA2, 'twice@example.test', 'viewer');
    const second = await invite(as.districtAdmin, w.schoolA2, 'twice@example.test', 'member');
    expect((await invitationRow(first.id)).revokedAt).not.toBeNull();
    expect((await invitationRow(second.id)).revokedAt).toBeNull();
    expectError(await anon.post('/api/public/invitations/accept', { token: first.token, name: 'Twice', password: 'twice password 1' }), 410, 'invalid_token');
  });

  it('refuses bad input naming the field, and an existing member with 409', async () => {
    expectError(await as.districtAdmin.post(`/api/orgs/${w.schoolA1.id}/invitations`, { email: 'not an email', role: 'member' }), 400, 'validation_failed', 'email');
    expectError(await as.districtAdmin.post(`/api/orgs/${w.schoolA1.id}/invitations`, { email: 'ok@example.test', role: 'owner' }), 400, 'validation_failed', 'role');
    expectError(await as.districtAdmin.post(`/api/orgs/${w.schoolA1.id}/invitations`, { email: 'ok@example.test' }), 400, 'validation_failed', 'role');
    expectError(await as.districtAdmin.post(`/api/orgs/${w.schoolA1.id}/invitations`, { email: 'Member@Example.test', role: 'viewer' }), 409, 'conflict', 'email');
    expect(await countRows(ctx.db, "invitations where email in ('ok@example.test', 'member@example.test')")).toBe(0);
  });

  it('refuses an invitation to an archived organisation (409)', async () => {
    const closed = await makeOrg(ctx.db, w.districtA, 'school', { name: 'Closed School' });
    await ctx.db.execute(sql`update organizations set status = 'archived', archived_at = now() where id = ${closed.id}`);
    // The district admin still reaches it through District A.
    expectError(await as.districtAdmin.post(`/api/orgs/${closed.id}/invitations`, { email: 'late@example.test', role: 'member' }), 409, 'conflict');
  });
});

describe('accepting an invitation', () => {
  it('previews the invitation without a session', async () => {
    const { token } = await invite(as.districtCoordinator, w.schoolA1, 'preview@example.test', 'viewer');
    const res = await anon.get(`/api/public/invitations/${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ orgName: 'School A1', orgKind: 'school', role: 'viewer', email: 'preview@example.test', hasAccount: false });
    expectError(await anon.get('/api/public/invitations/short'), 400, 'validation_failed', 'token');
    expectError(await anon.get(`/api/public/invitations/${'z'.repeat(43)}`), 410, 'invalid_token');
  });

  it('creates the account, grants the role and signs the newcomer in; the link works once', async () => {
    const { id, token } = await invite(as.districtCoordinator, w.schoolA1, 'newcomer@example.test', 'member');
    const usersBefore = await countRows(ctx.db, 'users');
    const agent = new Agent(ctx.app);
    expectError(await agent.post('/api/public/invitations/accept', { token, password: 'newcomer password' }), 400, 'validation_failed', 'name');
    expectError(await agent.post('/api/public/invitations/accept', { token, name: 'Nia Newcomer', password: 'short' }), 400, 'validation_failed', 'password');
    expectError(await agent.post('/api/public/invitations/accept', { name: 'Nia Newcomer', password: 'newcomer password' }), 400, 'validation_failed', 'token');
    expect(await countRows(ctx.db, 'users')).toBe(usersBefore);

    const res = await agent.post('/api/public/invitations/accept', { token, name: 'Nia Newcomer', password: 'newcomer password' });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'sw_session')?.httpOnly).toBe(true);
    expect(res.json().user).toMatchObject({ email: 'newcomer@example.test', name: 'Nia Newcomer' });
    expect(res.json().memberships).toMatchObject([{ orgId: w.schoolA1.id, role: 'member' }]);
    expect(await countRows(ctx.db, 'users')).toBe(usersBefore + 1);
    const [user] = await ctx.db.select().from(users).where(eq(users.email, 'newcomer@example.test'));
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await membershipOf(user.id, w.schoolA1.id)).role).toBe('member');
    expect((await invitationRow(id)).acceptedAt).not.toBeNull();
    // Signed in: the session works, CSRF token included.
    expect((await agent.get(`/api/orgs/${w.schoolA1.id}`)).json().role).toBe('member');
    expect((await agent.patch('/api/me', { locale: 'es' })).statusCode).toBe(200);
    expect(await auditRowsOf(ctx.db, 'member.invitation_accepted', { actorEmail: 'newcomer@example.test' })).toHaveLength(1);

    // Accepting twice is refused.
    expectError(await new Agent(ctx.app).post('/api/public/invitations/accept', { token, name: 'Again', password: 'another password' }), 410, 'invalid_token');
    expectError(await anon.get(`/api/public/invitations/${token}`), 410, 'invalid_token');
    expect(await countRows(ctx.db, 'users')).toBe(usersBefore + 1);
  });

  it('asks someone who already has an account for their own password', async () => {
    // The viewer of School A1 is invited to School A2 as a member.
    const { token } = await invite(as.districtAdmin, w.schoolA2, 'viewer@example.test', 'member');
    expect((await anon.get(`/api/public/invitations/${token}`)).json().hasAccount).toBe(true);
    const [before] = await ctx.db.select().from(users).where(eq(users.email, 'viewer@example.test'));
    expectError(await new Agent(ctx.app).post('/api/public/invitations/accept', { token, name: 'Hijack', password: 'attacker password' }), 401, 'invalid_credentials', 'password');
    expect(await membershipOf(w.people.schoolViewer.id, w.schoolA2.id)).toBeUndefined();

    const res = await new Agent(ctx.app).post('/api/public/invitations/accept', { token, name: 'Hijack', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect((await membershipOf(w.people.schoolViewer.id, w.schoolA2.id)).role).toBe('member');
    // The account keeps its password and name.
    const [after] = await ctx.db.select().from(users).where(eq(users.email, 'viewer@example.test'));
    expect([after.passwordHash, after.name]).toEqual([before.passwordHash, before.name]);
  });

  it('refuses an expired invitation and one to an organisation archived since', async () => {
    const expired = await invite(as.districtAdmin, w.schoolA2, 'expired@example.test', 'viewer');
    await ctx.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, expired.id));
    expectError(await anon.post('/api/public/invitations/accept', { token: expired.token, name: 'E', password: 'expired password' }), 410, 'invalid_token');
    const school = await makeOrg(ctx.db, w.districtA, 'school', { name: 'Soon Closed' });
    const archived = await invite(as.districtAdmin, school, 'archived@example.test', 'viewer');
    await ctx.db.execute(sql`update organizations set status = 'archived' where id = ${school.id}`);
    expectError(await anon.post('/api/public/invitations/accept', { token: archived.token, name: 'A', password: 'archived password' }), 410, 'invalid_token');
    expect(await countRows(ctx.db, "users where email in ('expired@example.test', 'archived@example.test')")).toBe(0);
  });
});

describe('DELETE /api/invitations/:id (withdraw)', () => {
  it('needs a session, answers 404 outside the scope and 403 for a viewer', async () => {
    const { id } = await invite(as.districtCoordinator, w.schoolA1, 'withdrawn@example.test', 'viewer');
    expectError(await anon.delete(`/api/invitations/${id}`), 401, 'unauthenticated');
    expectError(await as.otherAdmin.delete(`/api/invitations/${id}`), 404, 'not_found');
    expectError(await as.otherAdmin.delete('/api/invitations/987654'), 404, 'not_found');
    expectError(await as.schoolViewer.delete(`/api/invitations/${id}`), 403, 'forbidden');
    expectError(await as.districtCoordinator.delete('/api/invitations/abc'), 400, 'validation_failed', 'id');
    expect((await invitationRow(id)).revokedAt).toBeNull();
  });

  it('withdraws: the link stops working and the withdrawal is audited', async () => {
    const { id, token } = await invite(as.districtCoordinator, w.schoolA1, 'withdrawn2@example.test', 'viewer');
    expect((await as.districtCoordinator.delete(`/api/invitations/${id}`)).json()).toEqual({ ok: true });
    expect((await invitationRow(id)).revokedAt).not.toBeNull();
    expectError(await anon.post('/api/public/invitations/accept', { token, name: 'W', password: 'withdrawn password' }), 410, 'invalid_token');
    expect((await auditRowsOf(ctx.db, 'member.invitation_revoked')).find((a) => a.target_id === String(id))).toMatchObject({ actor_email: 'coord@example.test', org_id: w.schoolA1.id });
  });
});

describe('PATCH /api/memberships/:id (change role)', () => {
  it('needs a session', async () => {
    expectError(await anon.patch(`/api/memberships/${w.people.schoolMember.membershipId}`, { role: 'viewer' }), 401, 'unauthenticated');
  });

  it('answers 404 outside the scope and 403 for anyone but an admin', async () => {
    const id = w.people.schoolMember.membershipId;
    expectError(await as.otherAdmin.patch(`/api/memberships/${id}`, { role: 'admin' }), 404, 'not_found');
    expectError(await as.otherAdmin.patch('/api/memberships/987654', { role: 'admin' }), 404, 'not_found');
    expectError(await as.districtCoordinator.patch(`/api/memberships/${id}`, { role: 'coordinator' }), 403, 'forbidden');
    expectError(await as.schoolMember.patch(`/api/memberships/${id}`, { role: 'admin' }), 403, 'forbidden');
    // A district admin cannot touch a role held above the district.
    expectError(await as.districtAdmin.patch(`/api/memberships/${w.people.networkAdmin.membershipId}`, { role: 'viewer' }), 404, 'not_found');
    expect((await membershipOf(w.people.schoolMember.id, w.schoolA1.id)).role).toBe('member');
  });

  it('refuses bad input naming the field', async () => {
    expectError(await as.districtAdmin.patch(`/api/memberships/${w.people.schoolMember.membershipId}`, { role: 'owner' }), 400, 'validation_failed', 'role');
    expectError(await as.districtAdmin.patch(`/api/memberships/${w.people.schoolMember.membershipId}`, {}), 400, 'validation_failed', 'role');
    expectError(await as.districtAdmin.patch('/api/memberships/-3', { role: 'viewer' }), 400, 'validation_failed', 'id');
  });

  it('changes the role, audits it, and the new role applies at once', async () => {
    const person = await makeUser(ctx.db, { role: 'viewer', org: w.schoolA2 });
    const agent = await signIn(ctx.app, person.email);
    expect((await agent.get(`/api/orgs/${w.schoolA2.id}`)).json().can['member.invite']).toBe(false);
    expect((await as.districtAdmin.patch(`/api/memberships/${person.membershipId}`, { role: 'coordinator' })).json()).toEqual({ ok: true });
    expect((await membershipOf(person.id, w.schoolA2.id)).role).toBe('coordinator');
    expect((await agent.get(`/api/orgs/${w.schoolA2.id}`)).json().can['member.invite']).toBe(true);
    const audit = (await auditRowsOf(ctx.db, 'member.role_changed')).filter((a) => a.target_id === String(person.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'distadmin@example.test', org_id: w.schoolA2.id, details: { email: person.email, from: 'viewer', to: 'coordinator' } });
  });

  it('refuses to demote the last admin of a top-level organisation (409)', async () => {
    const network = await makeOrg(ctx.db, null, 'network', { name: 'Lonely Network' });
    const only = await makeUser(ctx.db, { role: 'admin', org: network });
    const agent = await signIn(ctx.app, only.email);
    expectError(await agent.patch(`/api/memberships/${only.membershipId}`, { role: 'coordinator' }), 409, 'conflict');
    expectError(await as.operator.patch(`/api/memberships/${only.membershipId}`, { role: 'viewer' }), 409, 'conflict');
    expect((await membershipOf(only.id, network.id)).role).toBe('admin');
    // With a second admin it is allowed.
    await makeUser(ctx.db, { role: 'admin', org: network });
    expect((await agent.patch(`/api/memberships/${only.membershipId}`, { role: 'coordinator' })).statusCode).toBe(200);
    expect((await membershipOf(only.id, network.id)).role).toBe('coordinator');
  });
});

describe('DELETE /api/memberships/:id (remove)', () => {
  it('needs a session, answers 404 outside the scope and 403 for a non-admin', async () => {
    const id = w.people.schoolMember.membershipId;
    expectError(await anon.delete(`/api/memberships/${id}`), 401, 'unauthenticated');
    expectError(await as.otherAdmin.delete(`/api/memberships/${id}`), 404, 'not_found');
    expectError(await as.districtCoordinator.delete(`/api/memberships/${id}`), 403, 'forbidden');
    expectError(await as.schoolViewer.delete(`/api/memberships/${id}`), 403, 'forbidden');
    expectError(await as.districtAdmin.delete('/api/memberships/zero'), 400, 'validation_failed', 'id');
    expect(await membershipOf(w.people.schoolMember.id, w.schoolA1.id)).toBeDefined();
  });

  it('removes a member, audits it, and their access ends', async () => {
    const person = await makeUser(ctx.db, { role: 'member', org: w.schoolA2 });
    const agent = await signIn(ctx.app, person.email);
    expect((await agent.get(`/api/orgs/${w.schoolA2.id}`)).statusCode).toBe(200);
    const before = await countRows(ctx.db, 'memberships');
    expect((await as.districtAdmin.delete(`/api/memberships/${person.membershipId}`)).json()).toEqual({ ok: true });
    expect(await countRows(ctx.db, 'memberships')).toBe(before - 1);
    expect(await membershipOf(person.id, w.schoolA2.id)).toBeUndefined();
    expectError(await agent.get(`/api/orgs/${w.schoolA2.id}`), 404, 'not_found');
    const audit = (await auditRowsOf(ctx.db, 'member.removed')).filter((a) => a.target_id === String(person.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_email: 'distadmin@example.test', org_id: w.schoolA2.id, details: { email: person.email, role: 'member' } });
    // Removing it again: it is gone.
    expectError(await as.districtAdmin.delete(`/api/memberships/${person.membershipId}`), 404, 'not_found');
  });

  it('cannot remove the last admin of a top-level organisation (409)', async () => {
    const network = await makeOrg(ctx.db, null, 'network', { name: 'Single Admin Network' });
    const only = await makeUser(ctx.db, { role: 'admin', org: network });
    const agent = await signIn(ctx.app, only.email);
    expectError(await agent.delete(`/api/memberships/${only.membershipId}`), 409, 'conflict');
    expectError(await as.operator.delete(`/api/memberships/${only.membershipId}`), 409, 'conflict');
    expect(await membershipOf(only.id, network.id)).toBeDefined();
  });

  it('may remove the only admin of an organisation that has admins above it', async () => {
    const district = await makeOrg(ctx.db, w.stateA, 'district', { name: 'Small District' });
    const only = await makeUser(ctx.db, { role: 'admin', org: district });
    expect((await as.networkAdmin.delete(`/api/memberships/${only.membershipId}`)).statusCode).toBe(200);
    expect(await membershipOf(only.id, district.id)).toBeUndefined();
  });
});
