import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../server/db/client.js';
import { notFound } from '../../../server/http/errors.js';
import type { OrgKind } from '../../../shared/organizations.js';
import { abilitiesOf, type Role } from '../../../shared/permissions.js';
import type { Locale } from '../../../shared/schemas.js';
import { memberships } from '../../members/server/members.tables.js';
import { organizations } from '../../organizations/server/organizations.tables.js';
import type { Me } from '../auth.contract.js';
import { users } from './auth.tables.js';

/** The caller as the UI needs them: account, memberships with abilities, and the CSRF token. */
export async function getMe(db: Db, userId: number, csrfToken: string): Promise<Me> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw notFound('User');
  const rows = await db
    .select({ id: memberships.id, orgId: organizations.id, orgName: organizations.name, orgKind: organizations.kind, orgCountry: organizations.country, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    // Roles held at archived organisations no longer apply (as in findSessionActor), so they are not offered.
    .where(and(eq(memberships.userId, userId), eq(organizations.status, 'active')))
    .orderBy(asc(organizations.depth), asc(organizations.name));
  return {
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale as Locale, isOperator: user.isOperator },
    memberships: rows.map((r) => ({ ...r, orgKind: r.orgKind as OrgKind, role: r.role as Role, abilities: abilitiesOf(r.role as Role) })),
    csrfToken,
  };
}

export async function updateMe(db: Db, userId: number, patch: { name?: string; locale?: Locale }): Promise<void> {
  if (patch.name === undefined && patch.locale === undefined) return;
  await db.update(users).set(patch).where(eq(users.id, userId));
}
