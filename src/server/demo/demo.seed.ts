import { sql } from 'drizzle-orm';
import { writeAudit } from '../../features/audit/server/audit.service.js';
import { users } from '../../features/auth/server/auth.tables.js';
import { memberships } from '../../features/members/server/members.tables.js';
import { reserveOrgIds } from '../../features/organizations/server/organizations.queries.js';
import { organizations, partnerLinks } from '../../features/organizations/server/organizations.tables.js';
import type { Role } from '../../shared/permissions.js';
import { type Db, queryRows } from '../db/client.js';
import { hashPassword } from '../security/passwords.js';
import { seedDemoAssessments } from './demo.assessments.js';
import { seedDemoPlans } from './demo.plans.js';
import { seedDemoSurveys } from './demo.surveys.js';
import { refreshAllRollups } from '../../features/assessments/server/coverage.queries.js';
import { currentSchoolYear } from '../../features/assessments/assessments.contract.js';
import { demoNetwork, demoPartner, demoStates } from './demo.data.js';

export const DEMO_PASSWORD = 'schoolwell-demo';

/** The demo accounts, one per role, as the README lists them. */
export const demoAccounts: { email: string; name: string; role: Role | 'operator'; at?: string; description: string }[] = [
  { email: 'operator@demo.schoolwell.test', name: 'Oli Operator', role: 'operator', description: 'platform operator (reads the development outbox at /dev/outbox)' },
  { email: 'admin@demo.schoolwell.test', name: 'Avery Admin', role: 'admin', at: demoNetwork.code, description: `admin of ${demoNetwork.name}` },
  { email: 'coordinator@demo.schoolwell.test', name: 'Casey Coordinator', role: 'coordinator', at: '5300101', description: 'coordinator of Cedar Valley School District' },
  { email: 'member@demo.schoolwell.test', name: 'Morgan Member', role: 'member', at: '530010100001', description: 'member at Alder Creek Elementary School' },
  { email: 'viewer@demo.schoolwell.test', name: 'Vic Viewer', role: 'viewer', at: '530010100001', description: 'viewer at Alder Creek Elementary School' },
  { email: 'partner@demo.schoolwell.test', name: 'Pat Partner', role: 'coordinator', at: demoPartner.code, description: `coordinator at ${demoPartner.name} (partner)` },
];

type NewOrg = typeof organizations.$inferInsert;

/**
 * Fills an empty database with the demo network and its accounts. Does nothing when any
 * organisation or user exists, so it never touches real data.
 */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const [{ n }] = await queryRows<{ n: number | string }>(db, sql`select (select count(*) from organizations) + (select count(*) from users) as n`);
  if (Number(n) > 0) return false;
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const total = 2 + demoStates.reduce((s, st) => s + 1 + st.districts.reduce((d, di) => d + 1 + di.schools.length, 0), 0);
    const ids = await reserveOrgIds(tx, total);
    let next = 0;
    const rows: NewOrg[] = [];
    const add = (parent: NewOrg | null, o: Omit<NewOrg, 'id' | 'path' | 'depth' | 'parentId' | 'stateId'>): NewOrg => {
      const id = ids[next++];
      const row: NewOrg = {
        ...o,
        id,
        parentId: parent?.id ?? null,
        path: `${parent?.path ?? '/'}${id}/`,
        depth: parent ? parent.depth! + 1 : 0,
        stateId: o.kind === 'state' ? id : (parent?.stateId ?? null),
      };
      rows.push(row);
      return row;
    };
    const network = add(null, { kind: 'network', code: demoNetwork.code, name: demoNetwork.name, languages: ['en', 'fr', 'es'] });
    const partner = add(network, { kind: 'partner', code: demoPartner.code, name: demoPartner.name, country: 'US', languages: ['en', 'es'] });
    const byCode = new Map<string, NewOrg>([[network.code, network], [partner.code, partner]]);
    for (const st of demoStates) {
      const state = add(network, { kind: 'state', code: st.code, name: st.name, country: st.country, languages: st.languages });
      for (const d of st.districts) {
        const district = add(state, { kind: 'district', code: d.code, name: d.name, country: st.country, languages: st.languages });
        byCode.set(d.code, district);
        for (const s of d.schools) {
          const school = add(district, { kind: 'school', code: s.code, name: s.name, country: st.country, gradeSpan: s.gradeSpan, enrolment: s.enrolment, languages: s.languages ?? st.languages });
          byCode.set(s.code, school);
        }
      }
    }
    await tx.insert(organizations).values(rows.slice(0, next));
    // The partner serves the first three Cedar Valley schools.
    const served = ['530010100001', '530010100002', '530010100003'].map((c) => byCode.get(c)!.id!);
    await tx.insert(partnerLinks).values(served.map((orgId) => ({ partnerId: partner.id!, orgId })));
    for (const a of demoAccounts) {
      const [u] = await tx.insert(users).values({ email: a.email, name: a.name, passwordHash: hash, isOperator: a.role === 'operator' }).returning({ id: users.id });
      if (a.role !== 'operator') await tx.insert(memberships).values({ userId: u.id, orgId: byCode.get(a.at!)!.id!, role: a.role });
    }
    const coordinator = await tx.select({ id: users.id }).from(users).where(sql`${users.email} = 'coordinator@demo.schoolwell.test'`);
    const assessmentsSeeded = await seedDemoAssessments(tx, { currentYear: currentSchoolYear(), startedBy: coordinator[0].id });
    await refreshAllRollups(tx);
    const [admin] = await tx.select({ id: users.id }).from(users).where(sql`${users.email} = 'admin@demo.schoolwell.test'`);
    const surveys = await seedDemoSurveys(tx, {
      network: { id: network.id!, stateId: null },
      cedarValleyId: byCode.get('5300101')!.id!,
      alderCreekId: byCode.get('530010100001')!.id!,
      createdBy: admin.id,
      schools: rows
        .slice(0, next)
        .filter((r) => r.kind === 'school')
        .map((r) => ({ id: r.id!, stateId: r.stateId ?? null, districtId: r.parentId!, code: r.code, gradeSpan: r.gradeSpan ?? null, enrolment: r.enrolment ?? null, country: r.country ?? null })),
    });
    const cedarValley = ['530010100002', '530010100003', '530010100004', '530010100005'].map((c) => byCode.get(c)!.id!);
    const [coordinatorUser] = await tx.select({ id: users.id, email: users.email }).from(users).where(sql`${users.email} = 'coordinator@demo.schoolwell.test'`);
    const plansSeeded = await seedDemoPlans(tx, { districtId: byCode.get('5300101')!.id!, schoolIds: cedarValley, coordinator: coordinatorUser, year: currentSchoolYear() });
    await writeAudit(tx, { action: 'demo.seeded', org: { id: network.id!, path: network.path }, details: { organizations: next, accounts: demoAccounts.length, assessments: assessmentsSeeded, surveys, plans: plansSeeded } });
  });
  return true;
}
