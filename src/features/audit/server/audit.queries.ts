import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { type Actor, assertCan, inScopeFor } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { forbidden } from '../../../server/http/errors.js';
import { memberships } from '../../members/server/members.tables.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { AuditPage } from '../audit.contract.js';
import { auditLog } from './audit.tables.js';

/**
 * Audit entries an admin may read: actions on organisations in their scope, plus sign-ins and
 * account events of people who hold a role there. Operators read everything.
 */
export async function listAudit(
  db: Db,
  actor: Actor,
  q: { orgId?: number; action?: string; actor?: string; from?: string; to?: string; offset: number; limit: number },
): Promise<AuditPage> {
  const adminScope = inScopeFor(actor, 'audit.read', auditLog.orgPath);
  if (!actor.isOperator && !actor.grants.some((g) => g.role === 'admin')) throw forbidden('Only admins can read the audit log.');
  // Account events (sign-ins, password changes) carry no organisation: an admin reads them only
  // for people whose every role lies inside what that admin administers.
  const peopleInScope = sql`(${auditLog.orgPath} is null and ${auditLog.actorId} in (
    select ${memberships.userId} from ${memberships} join ${organizations} on ${organizations.id} = ${memberships.orgId}
    group by ${memberships.userId}
    having bool_and(${inScopeFor(actor, 'audit.read', organizations.path)})))`;
  const conditions: SQL[] = [actor.isOperator ? sql`true` : sql`(${adminScope} or ${peopleInScope})`];
  if (q.orgId) {
    const org = await findOrg(db, q.orgId);
    assertCan(actor, 'audit.read', org);
    conditions.push(sql`${auditLog.orgPath} like ${`${org!.path}%`}`);
  }
  if (q.action) conditions.push(sql`${auditLog.action} like ${`${q.action.replace(/[\\%_]/g, '\\$&')}%`}`);
  if (q.actor) conditions.push(eq(sql`lower(${auditLog.actorEmail})`, q.actor.toLowerCase()));
  if (q.from) conditions.push(gte(auditLog.at, new Date(`${q.from}T00:00:00Z`)));
  if (q.to) conditions.push(lt(auditLog.at, new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86400_000)));
  const where = and(...conditions);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        action: auditLog.action,
        actorEmail: auditLog.actorEmail,
        orgId: auditLog.orgId,
        orgName: organizations.name,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        details: auditLog.details,
        ip: auditLog.ip,
      })
      .from(auditLog)
      .leftJoin(organizations, eq(organizations.id, auditLog.orgId))
      .where(where)
      .orderBy(desc(auditLog.id))
      .offset(q.offset)
      .limit(q.limit),
    db.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where),
  ]);
  return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })), total };
}
