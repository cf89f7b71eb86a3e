import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { type Actor, assertCan, roleAt } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { AppError, badRequest, conflict, forbidden } from '../../../server/http/errors.js';
import type { Mailer } from '../../../server/mail/mailer.js';
import { hashPassword, verifyPassword } from '../../../server/security/passwords.js';
import { hashToken, newToken } from '../../../server/security/tokens.js';
import type { OrgKind } from '../../../shared/organizations.js';
import { invitableRoles, type Role, roleRank } from '../../../shared/permissions.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { users } from '../../auth/server/auth.tables.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { MembersView } from '../members.contract.js';
import { invitations, memberships } from './members.tables.js';

const INVITATION_DAYS = 14;
type Audited = { actor: Actor; ip?: string | null };

/** Roles at this organisation and the invitations still open, for people who may read members. */
export async function listMembers(db: Db, actor: Actor, orgId: number): Promise<MembersView> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'member.read', org);
  const [members, open] = await Promise.all([
    db
      .select({ id: memberships.id, userId: users.id, email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, orgId))
      .orderBy(asc(users.name), asc(users.email)),
    db
      .select({ id: invitations.id, email: invitations.email, role: invitations.role, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt, invitedBy: users.email })
      .from(invitations)
      .leftJoin(users, eq(users.id, invitations.invitedBy))
      .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
      .orderBy(asc(invitations.createdAt)),
  ]);
  const role = roleAt(actor, org!.path);
  const canSeeInvites = role === 'admin' || role === 'coordinator';
  return {
    members: members.map((m) => ({ ...m, role: m.role as Role, since: m.since.toISOString() })),
    invitations: canSeeInvites ? open.map((i) => ({ ...i, role: i.role as Role, createdAt: i.createdAt.toISOString(), expiresAt: i.expiresAt.toISOString() })) : [],
    invitableRoles: role ? [...invitableRoles[role]] : [],
  };
}

/**
 * Invites a person by email to hold a role at an organisation, and mails them the link.
 * Coordinators may invite members and viewers; admins any role.
 * @throws AppError not_found | forbidden | conflict (already a member)
 */
export async function inviteMember(
  db: Db,
  mailer: Mailer,
  { actor, ip }: Audited,
  orgId: number,
  input: { email: string; role: Role; publicUrl: string },
): Promise<{ id: number }> {
  const org = await findOrg(db, orgId);
  assertCan(actor, 'member.invite', org);
  if (org!.status !== 'active') throw conflict('This organisation is archived.');
  const callerRole = roleAt(actor, org!.path)!;
  if (!invitableRoles[callerRole].includes(input.role)) throw forbidden(`Your role can invite only: ${invitableRoles[callerRole].join(', ')}.`);
  const [existing] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(sql`lower(${users.email})`, input.email)));
  if (existing) throw conflict('This person is already a member here. Change their role instead.', 'email');
  const open = await db
    .select({ role: invitations.role })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.email, input.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
  if (open.some((o) => !invitableRoles[callerRole].includes(o.role as Role))) throw forbidden('An invitation for a role you cannot give is already open for this address.');
  const token = newToken();
  const id = await db.transaction(async (tx) => {
    // A new invitation for the same address replaces the open one.
    await tx.update(invitations).set({ revokedAt: sql`now()` }).where(and(eq(invitations.orgId, orgId), eq(invitations.email, input.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
    const [row] = await tx
      .insert(invitations)
      .values({ orgId, email: input.email, role: input.role, tokenHash: hashToken(token), invitedBy: actor.userId, expiresAt: new Date(Date.now() + INVITATION_DAYS * 86400_000) })
      .returning({ id: invitations.id });
    await writeAudit(tx, { action: 'member.invited', actor, org: org!, targetType: 'invitation', targetId: row.id, details: { email: input.email, role: input.role }, ip });
    return row.id;
  });
  await mailer.send({
    to: input.email,
    subject: `You are invited to ${org!.name} on Schoolwell`,
    text: `${actor.email} invited you to join ${org!.name} on Schoolwell as ${input.role}.\n\nOpen this link within ${INVITATION_DAYS} days to accept:\n${input.publicUrl}/invite/${token}\n`,
  });
  return { id };
}

/** @throws AppError not_found | forbidden */
export async function revokeInvitation(db: Db, { actor, ip }: Audited, invitationId: number): Promise<void> {
  const [inv] = await db.select().from(invitations).where(eq(invitations.id, invitationId));
  const org = inv ? await findOrg(db, inv.orgId) : undefined;
  assertCan(actor, 'member.invite', org, 'Invitation');
  // Whoever could not have sent an invitation (a coordinator, for an admin role) cannot withdraw it.
  if (!invitableRoles[roleAt(actor, org!.path)!].includes(inv!.role as Role)) throw forbidden('Your role cannot withdraw an invitation for this role.');
  await db.transaction(async (tx) => {
    await tx.update(invitations).set({ revokedAt: sql`now()` }).where(eq(invitations.id, invitationId));
    await writeAudit(tx, { action: 'member.invitation_revoked', actor, org: org!, targetType: 'invitation', targetId: invitationId, details: { email: inv!.email }, ip });
  });
}

async function loadMembership(db: Db, actor: Actor, membershipId: number) {
  const [m] = await db
    .select({ id: memberships.id, userId: memberships.userId, role: memberships.role, orgId: memberships.orgId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.id, membershipId));
  const org = m ? await findOrg(db, m.orgId) : undefined;
  assertCan(actor, 'member.manage', org, 'Membership');
  return { membership: m!, org: org! };
}

/** Refuses a change that would leave a top-level organisation with no admin at all. */
async function assertNotLastAdmin(db: Db, membership: { orgId: number; role: string }, org: { parentId: number | null }): Promise<void> {
  if (membership.role !== 'admin' || org.parentId !== null) return;
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(memberships).where(and(eq(memberships.orgId, membership.orgId), eq(memberships.role, 'admin')));
  if (n <= 1) throw conflict('This is the last admin of a top-level organisation. Make someone else admin first.');
}

/**
 * Changes a member's role. Only admins manage roles.
 * @throws AppError not_found | forbidden | conflict
 */
export async function changeMemberRole(db: Db, { actor, ip }: Audited, membershipId: number, role: Role): Promise<void> {
  const { membership, org } = await loadMembership(db, actor, membershipId);
  if (membership.role === role) return;
  if (roleRank[role] < roleRank[membership.role as Role]) await assertNotLastAdmin(db, membership, org);
  await db.transaction(async (tx) => {
    await tx.update(memberships).set({ role }).where(eq(memberships.id, membershipId));
    await writeAudit(tx, { action: 'member.role_changed', actor, org, targetType: 'user', targetId: membership.userId, details: { email: membership.email, from: membership.role, to: role }, ip });
  });
}

/** @throws AppError not_found | forbidden | conflict */
export async function removeMember(db: Db, { actor, ip }: Audited, membershipId: number): Promise<void> {
  const { membership, org } = await loadMembership(db, actor, membershipId);
  await assertNotLastAdmin(db, membership, org);
  await db.transaction(async (tx) => {
    await tx.delete(memberships).where(eq(memberships.id, membershipId));
    await writeAudit(tx, { action: 'member.removed', actor, org, targetType: 'user', targetId: membership.userId, details: { email: membership.email, role: membership.role }, ip });
  });
}

async function findOpenInvitation(db: Db, token: string) {
  const [row] = await db
    .select({ inv: invitations, orgName: organizations.name, orgKind: organizations.kind, orgPath: organizations.path, orgStatus: organizations.status })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)));
  if (!row || row.orgStatus !== 'active') throw new AppError('invalid_token', 'This invitation has expired, was withdrawn or was already used. Ask for a new one.');
  return row;
}

/** What an invitation link offers, for the page that accepts it. */
export async function previewInvitation(db: Db, token: string) {
  const row = await findOpenInvitation(db, token);
  const [user] = await db.select({ hash: users.passwordHash }).from(users).where(eq(sql`lower(${users.email})`, row.inv.email));
  return { orgName: row.orgName, orgKind: row.orgKind as OrgKind, role: row.inv.role as Role, email: row.inv.email, hasAccount: Boolean(user?.hash) };
}

/**
 * Accepts an invitation: a newcomer sets a name and password; someone with an account confirms
 * with their password. The role is granted (never lowered) and the invitation is used up.
 * @throws AppError invalid_token | invalid_credentials | validation_failed
 */
export async function acceptInvitation(db: Db, input: { token: string; name?: string; password: string; ip: string | null }): Promise<{ userId: number }> {
  const row = await findOpenInvitation(db, input.token);
  const [existing] = await db.select().from(users).where(eq(sql`lower(${users.email})`, row.inv.email));
  let newHash: string | null = null;
  if (existing?.passwordHash) {
    if (!(await verifyPassword(existing.passwordHash, input.password))) {
      throw new AppError('invalid_credentials', 'That is not the password of this account.', 'password');
    }
  } else {
    if (!input.name) throw badRequest('Enter your name.', 'name');
    if (input.password.length < 10) throw badRequest('Use at least 10 characters.', 'password');
    newHash = await hashPassword(input.password);
  }
  return db.transaction(async (tx) => {
    const [used] = await tx.update(invitations).set({ acceptedAt: sql`now()` }).where(and(eq(invitations.id, row.inv.id), isNull(invitations.acceptedAt))).returning({ id: invitations.id });
    if (!used) throw new AppError('invalid_token', 'This invitation was already used.');
    let userId = existing?.id;
    if (!existing) {
      const [u] = await tx.insert(users).values({ email: row.inv.email, name: input.name!, passwordHash: newHash }).returning({ id: users.id });
      userId = u.id;
    } else if (newHash) {
      await tx.update(users).set({ passwordHash: newHash, name: input.name ?? existing.name }).where(eq(users.id, existing.id));
    }
    const [current] = await tx.select().from(memberships).where(and(eq(memberships.userId, userId!), eq(memberships.orgId, row.inv.orgId)));
    if (!current) await tx.insert(memberships).values({ userId: userId!, orgId: row.inv.orgId, role: row.inv.role });
    else if (roleRank[row.inv.role as Role] > roleRank[current.role as Role]) await tx.update(memberships).set({ role: row.inv.role }).where(eq(memberships.id, current.id));
    await writeAudit(tx, {
      action: 'member.invitation_accepted',
      actor: { userId: userId!, email: row.inv.email },
      org: { id: row.inv.orgId, path: row.orgPath },
      targetType: 'invitation',
      targetId: row.inv.id,
      details: { role: row.inv.role },
      ip: input.ip,
    });
    return { userId: userId! };
  });
}

