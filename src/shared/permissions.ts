/**
 * Roles and what each may do, as data. A role held at an organisation applies to it and to every
 * organisation below it. Checks everywhere go through `roleAllows`; nothing else compares roles.
 */
export const roles = ['admin', 'coordinator', 'member', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** Higher number = more rights; used to pick the strongest role along a path. */
export const roleRank: Record<Role, number> = { viewer: 1, member: 2, coordinator: 3, admin: 4 };

export const permissionTable = {
  'org.read': ['admin', 'coordinator', 'member', 'viewer'],
  'org.create': ['admin'],
  'org.update': ['admin'],
  'org.move': ['admin'],
  'org.archive': ['admin'],
  'org.import': ['admin'],
  'partner.link': ['admin', 'coordinator'],
  'member.read': ['admin', 'coordinator', 'member', 'viewer'],
  'member.invite': ['admin', 'coordinator'],
  'member.manage': ['admin'],
  'audit.read': ['admin'],
  'framework.manage': ['admin'],
  'instrument.manage': ['admin', 'coordinator'],
  'assessment.read': ['admin', 'coordinator', 'member', 'viewer'],
  'assessment.answer': ['admin', 'coordinator', 'member'],
  'assessment.run': ['admin', 'coordinator'],
  'survey.read': ['admin', 'coordinator', 'member', 'viewer'],
  'survey.run': ['admin', 'coordinator'],
  'plan.read': ['admin', 'coordinator', 'member', 'viewer'],
  'plan.manage': ['admin', 'coordinator', 'member'],
  /** Creating, archiving and deleting plans, and publishing templates: the coordinators own plans. */
  'plan.own': ['admin', 'coordinator'],
  'resource.suggest': ['admin', 'coordinator', 'member'],
  /** Curating the library; only held at a network (the coalition), where the library lives. */
  'resource.curate': ['admin', 'coordinator'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionTable;
export const permissionNames = Object.keys(permissionTable) as Permission[];

/** Roles a holder of each role may hand out through an invitation. */
export const invitableRoles: Record<Role, readonly Role[]> = {
  admin: roles,
  coordinator: ['member', 'viewer'],
  member: [],
  viewer: [],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return (permissionTable[permission] as readonly Role[]).includes(role);
}

/** The abilities a role grants, as sent to the UI (`can['org.update']`). */
export function abilitiesOf(role: Role): Record<Permission, boolean> {
  return Object.fromEntries(permissionNames.map((p) => [p, roleAllows(role, p)])) as Record<Permission, boolean>;
}

export function strongestRole(list: Iterable<Role>): Role | null {
  let best: Role | null = null;
  for (const r of list) if (!best || roleRank[r] > roleRank[best]) best = r;
  return best;
}
