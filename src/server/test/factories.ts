import { desc, eq, sql } from 'drizzle-orm';
import { users } from '../../features/auth/server/auth.tables.js';
import { memberships } from '../../features/members/server/members.tables.js';
import { reserveOrgIds } from '../../features/organizations/server/organizations.queries.js';
import { organizations } from '../../features/organizations/server/organizations.tables.js';
import type { OrgKind } from '../../shared/organizations.js';
import type { Role } from '../../shared/permissions.js';
import type { Actor } from '../authz/scope.js';
import { type Db, queryRows } from '../db/client.js';
import { mailOutbox } from '../mail/mail.tables.js';
import { hashPassword } from '../security/passwords.js';

export const TEST_PASSWORD = 'correct horse battery';
let hashed: Promise<string> | null = null;
let counter = 0;

export interface TestOrg {
  id: number;
  path: string;
  kind: OrgKind;
  code: string;
  name: string;
  stateId: number | null;
}

/** Inserts one organisation under a parent (or at the top), with a unique code. */
export async function makeOrg(db: Db, parent: TestOrg | null, kind: OrgKind, fields: { code?: string; name?: string; country?: string } = {}): Promise<TestOrg> {
  const [id] = await reserveOrgIds(db, 1);
  const code = fields.code ?? `${kind.toUpperCase()}-${++counter}`;
  const name = fields.name ?? `${kind[0].toUpperCase()}${kind.slice(1)} ${counter}`;
  const path = `${parent?.path ?? '/'}${id}/`;
  const stateId = kind === 'state' ? id : (parent?.stateId ?? null);
  await db.insert(organizations).values({ id, parentId: parent?.id ?? null, stateId, kind, code, name, path, depth: path.split('/').length - 3, country: fields.country ?? 'US' });
  return { id, path, kind, code, name, stateId };
}

/** A user with a password (TEST_PASSWORD) and optionally a role at an organisation. */
export async function makeUser(db: Db, opts: { email?: string; role?: Role; org?: TestOrg; operator?: boolean; name?: string } = {}) {
  hashed ??= hashPassword(TEST_PASSWORD);
  const email = opts.email ?? `user${++counter}@example.test`;
  const [u] = await db.insert(users).values({ email, name: opts.name ?? email.split('@')[0], passwordHash: await hashed, isOperator: opts.operator ?? false }).returning({ id: users.id });
  let membershipId: number | null = null;
  if (opts.role && opts.org) {
    const [m] = await db.insert(memberships).values({ userId: u.id, orgId: opts.org.id, role: opts.role }).returning({ id: memberships.id });
    membershipId = m.id;
  }
  return { id: u.id, email, membershipId };
}

/**
 * A small world for access tests: one network with two states, a district in each with two
 * schools, a partner, and a person for every role at the interesting places.
 */
export async function makeWorld(db: Db) {
  const network = await makeOrg(db, null, 'network', { name: 'Test Network' });
  const stateA = await makeOrg(db, network, 'state', { name: 'State A' });
  const stateB = await makeOrg(db, network, 'state', { name: 'State B', country: 'CA' });
  const districtA = await makeOrg(db, stateA, 'district', { name: 'District A' });
  const districtB = await makeOrg(db, stateB, 'district', { name: 'District B', country: 'CA' });
  const schoolA1 = await makeOrg(db, districtA, 'school', { name: 'School A1' });
  const schoolA2 = await makeOrg(db, districtA, 'school', { name: 'School A2' });
  const schoolB1 = await makeOrg(db, districtB, 'school', { name: 'School B1', country: 'CA' });
  const partner = await makeOrg(db, network, 'partner', { name: 'Partner P' });
  const people = {
    operator: await makeUser(db, { operator: true, email: 'operator@example.test' }),
    networkAdmin: await makeUser(db, { role: 'admin', org: network, email: 'netadmin@example.test' }),
    districtAdmin: await makeUser(db, { role: 'admin', org: districtA, email: 'distadmin@example.test' }),
    districtCoordinator: await makeUser(db, { role: 'coordinator', org: districtA, email: 'coord@example.test' }),
    schoolMember: await makeUser(db, { role: 'member', org: schoolA1, email: 'member@example.test' }),
    schoolViewer: await makeUser(db, { role: 'viewer', org: schoolA1, email: 'viewer@example.test' }),
    otherAdmin: await makeUser(db, { role: 'admin', org: districtB, email: 'otheradmin@example.test' }),
    partnerCoordinator: await makeUser(db, { role: 'coordinator', org: partner, email: 'partner@example.test' }),
    nobody: await makeUser(db, { email: 'nobody@example.test' }),
  };
  return { network, stateA, stateB, districtA, districtB, schoolA1, schoolA2, schoolB1, partner, people };
}

/** Rows in a table; `table` may carry a condition, e.g. `"invitations where email = 'a@b.c'"`. */
/** Rows of a table, optionally only those matching a SQL condition written by the test itself. */
export async function countRows(db: Db, table: string, where?: string): Promise<number> {
  const res = (await db.execute(sql.raw(`select count(*)::int as n from ${table}${where ? ` where ${where}` : ''}`))) as unknown as { rows: { n: number }[] };
  return res.rows[0].n;
}

/**
 * Inserts `count` organisations of one kind under a parent in a single statement (ids, paths and
 * codes computed in SQL), named `<prefix> 00001`… so that name order is number order.
 */
export async function makeOrgsBulk(db: Db, parent: TestOrg, kind: OrgKind, count: number, prefix = 'Bulk'): Promise<void> {
  await db.execute(sql`
    with ids as (
      select nextval(pg_get_serial_sequence('organizations', 'id'))::int as id, g
      from generate_series(1, ${count}::int) as g
    )
    insert into organizations (id, parent_id, state_id, kind, code, name, path, depth, country)
    select id, ${parent.id}::int, ${parent.stateId}::int, ${kind}, ${`${prefix}-`} || lpad(g::text, 5, '0'),
           ${`${prefix} `} || lpad(g::text, 5, '0'), ${parent.path} || id || '/', ${parent.path.split('/').length - 2}::int, 'US'
    from ids`);
}

/** The actor a session of this user would carry: their grants at active organisations. */
export async function actorOf(db: Db, userId: number): Promise<Actor> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  const grants = await queryRows<{ membershipId: number; orgId: number; role: Role; path: string }>(
    db,
    sql`select m.id as "membershipId", m.org_id as "orgId", m.role, o.path from memberships m join organizations o on o.id = m.org_id
        where m.user_id = ${userId} and o.status = 'active'`,
  );
  return { userId: user.id, email: user.email, isOperator: user.isOperator, grants };
}

/** The newest mail the dev outbox holds for an address, or undefined. */
export async function latestMail(db: Db, to: string) {
  const [mail] = await db.select().from(mailOutbox).where(eq(mailOutbox.to, to)).orderBy(desc(mailOutbox.id)).limit(1);
  return mail;
}

/** The token at the end of a `/reset/<token>` or `/invite/<token>` link in a mail. */
export function tokenFromLink(text: string, kind: 'reset' | 'invite'): string {
  const m = new RegExp(`https?://\\S+/${kind}/([A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no /${kind}/ link in mail: ${text}`);
  return m[1];
}

/** Audit rows with this exact action, oldest first (straight from the table, not the API). */
export async function auditRowsOf(db: Db, action: string, where: { actorEmail?: string } = {}) {
  return queryRows<{ id: number; action: string; actor_email: string | null; org_id: number | null; org_path: string | null; target_id: string | null; details: Record<string, unknown> | null }>(
    db,
    sql`select id::int as id, action, actor_email, org_id, org_path, target_id, details from audit_log
        where action = ${action} ${where.actorEmail ? sql`and actor_email = ${where.actorEmail}` : sql``} order by id`,
  );
}
