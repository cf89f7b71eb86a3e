import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { AppError } from '../../../server/http/errors.js';
import type { Mailer } from '../../../server/mail/mailer.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../../server/security/passwords.js';
import { hashToken, newToken } from '../../../server/security/tokens.js';
import type { Role } from '../../../shared/permissions.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { memberships } from '../../members/server/members.tables.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import { loginThrottle, passwordResets, sessions, users } from './auth.tables.js';

export const SESSION_COOKIE = 'sw_session';
const RESET_TTL_MINUTES = 60;
/** Failures allowed before each further attempt must wait; the wait doubles, up to 15 minutes. */
const FREE_FAILURES = 5;
const MAX_LOCK_SECONDS = 15 * 60;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Seconds an account must still wait before the next password attempt (0 = may try now). */
export function lockSecondsLeft(failedLogins: number, lastFailedAt: Date | null, now = new Date()): number {
  if (failedLogins < FREE_FAILURES || !lastFailedAt) return 0;
  const lock = Math.min(MAX_LOCK_SECONDS, 2 ** (failedLogins - FREE_FAILURES) * 15);
  const left = Math.ceil(lock - (now.getTime() - lastFailedAt.getTime()) / 1000);
  return Math.max(0, left);
}

/** Loads the session behind a cookie token and the user's grants; null when absent or expired. */
export async function findSessionActor(db: Db, token: string): Promise<{ actor: Actor; sessionId: string; csrfToken: string } | null> {
  const id = hashToken(token);
  const [row] = await db
    .select({ userId: users.id, email: users.email, isOperator: users.isOperator, csrfToken: sessions.csrfToken, disabledAt: users.disabledAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, sql`now()`)));
  if (!row || row.disabledAt) return null;
  const grants = await db
    .select({ membershipId: memberships.id, orgId: memberships.orgId, role: memberships.role, path: organizations.path })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, row.userId), eq(organizations.status, 'active')));
  return {
    actor: { userId: row.userId, email: row.email, isOperator: row.isOperator, grants: grants.map((g) => ({ ...g, role: g.role as Role })) },
    sessionId: id,
    csrfToken: row.csrfToken,
  };
}

/** Starts a session for a user and returns the cookie token and CSRF token. */
export async function createSession(db: Db, userId: number, ttlHours: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  // Expired sessions are swept here, a user at a time, rather than by a timer.
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, sql`now()`)));
  await db.insert(sessions).values({ id: hashToken(token), userId, csrfToken, expiresAt });
  return { token, csrfToken, expiresAt };
}

/**
 * Counts a sign-in attempt before the password is checked, atomically (row lock), so parallel
 * guesses cannot all slip in before the first failure is recorded. Returns the seconds still to
 * wait, or 0 when this attempt may go ahead (and is already counted).
 */
async function reserveAttempt(db: Db, email: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.insert(loginThrottle).values({ email, failures: 0 }).onConflictDoNothing();
    const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.email, email)).for('update');
    const wait = lockSecondsLeft(row.failures, row.lastFailedAt);
    if (wait > 0) return wait;
    await tx.update(loginThrottle).set({ failures: row.failures + 1, lastFailedAt: sql`now()` }).where(eq(loginThrottle.email, email));
    return 0;
  });
}

/**
 * Checks email and password. Attempts count per email address, whether or not it has an account,
 * and past five failures each further attempt must wait (15 s doubling to 15 min), so guessing is
 * slow even from many addresses and the answers never reveal who has an account. Anyone can keep
 * an address waiting that way; the wait is capped so a real owner is never locked out for long.
 * @throws AppError invalid_credentials | rate_limited
 */
export async function login(db: Db, input: { email: string; password: string; ip: string | null; ttlHours: number }) {
  const email = normalizeEmail(input.email);
  const wait = await reserveAttempt(db, email);
  if (wait > 0) throw new AppError('rate_limited', `Too many failed attempts. Try again in ${wait} seconds.`, undefined, wait);
  const [user] = await db.select().from(users).where(eq(sql`lower(${users.email})`, email));
  const ok = user?.passwordHash && !user.disabledAt ? await verifyPassword(user.passwordHash, input.password) : (await burnPasswordCheck(input.password), false);
  if (!ok || !user) {
    // Old rows are swept here rather than by a timer; the table holds recent failures only.
    await db.delete(loginThrottle).where(lt(loginThrottle.lastFailedAt, sql`now() - interval '1 day'`));
    await writeAudit(db, { action: 'auth.login_failed', actor: user ? { userId: user.id, email: user.email } : null, details: user ? undefined : { email }, ip: input.ip });
    throw new AppError('invalid_credentials', 'The email or password is not right.');
  }
  await db.delete(loginThrottle).where(eq(loginThrottle.email, email));
  const session = await createSession(db, user.id, input.ttlHours);
  await writeAudit(db, { action: 'auth.login', actor: { userId: user.id, email: user.email }, ip: input.ip });
  return { user, ...session };
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/**
 * Changes the caller's password after checking the current one; other sessions are ended.
 * @throws AppError invalid_credentials
 */
export async function changePassword(db: Db, actor: Actor, sessionId: string, current: string, next: string): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, current))) {
    throw new AppError('invalid_credentials', 'The current password is not right.', 'currentPassword');
  }
  const hash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash: hash, passwordChangedAt: sql`now()` }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), sql`${sessions.id} <> ${sessionId}`));
    // Reset links mailed before the change must not undo it.
    await tx.update(passwordResets).set({ usedAt: sql`now()` }).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    await writeAudit(tx, { action: 'auth.password_changed', actor: { userId: user.id, email: user.email } });
  });
}

/**
 * Mails a one-time reset link when the address belongs to an account. Answers the same either way
 * so the form does not reveal who has an account.
 */
export async function requestPasswordReset(db: Db, mailer: Mailer, input: { email: string; publicUrl: string; ip: string | null }): Promise<void> {
  const email = normalizeEmail(input.email);
  const [user] = await db.select().from(users).where(eq(sql`lower(${users.email})`, email));
  if (!user || user.disabledAt) return;
  const token = newToken();
  await db.insert(passwordResets).values({ tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + RESET_TTL_MINUTES * 60_000) });
  await writeAudit(db, { action: 'auth.reset_requested', actor: { userId: user.id, email: user.email }, ip: input.ip });
  await mailer.send({
    to: user.email,
    subject: 'Reset your Schoolwell password',
    text: `Someone asked to reset the password of your Schoolwell account.\n\nOpen this link within ${RESET_TTL_MINUTES} minutes to choose a new password:\n${input.publicUrl}/reset/${token}\n\nIf it was not you, ignore this message: your password stays as it is.`,
  });
}

/**
 * Sets a new password from a reset link; the link works once. Every session of the account ends.
 * @throws AppError invalid_token
 */
export async function resetPassword(db: Db, token: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
      .returning();
    if (!reset) throw new AppError('invalid_token', 'This reset link has expired or was already used. Ask for a new one.');
    const [user] = await tx
      .update(users)
      .set({ passwordHash: hash, passwordChangedAt: sql`now()` })
      .where(eq(users.id, reset.userId))
      .returning();
    await tx.delete(loginThrottle).where(eq(loginThrottle.email, normalizeEmail(user.email)));
    await tx.delete(sessions).where(eq(sessions.userId, reset.userId));
    // Any other reset link of the account is spent too.
    await tx.update(passwordResets).set({ usedAt: sql`now()` }).where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    await writeAudit(tx, { action: 'auth.password_reset', actor: { userId: user.id, email: user.email } });
  });
}
