/** Organisation kinds and where each may sit in the tree. Partners are linked, not nested. */
export const orgKinds = ['network', 'state', 'region', 'district', 'school', 'partner'] as const;
export type OrgKind = (typeof orgKinds)[number];

export const allowedParents: Record<OrgKind, readonly (OrgKind | null)[]> = {
  network: [null],
  state: ['network', null],
  region: ['state'],
  district: ['state', 'region'],
  school: ['district', 'region', 'state'],
  partner: ['network', 'state', 'region', 'district'],
};

export const orgStatuses = ['active', 'archived'] as const;
export type OrgStatus = (typeof orgStatuses)[number];

/** Countries whose vocabulary differs; labels are looked up as `orgKind.<kind>` or `orgKind.<kind>_<country>`. */
export const countries = ['US', 'CA'] as const;
export type Country = (typeof countries)[number];

export function orgKindLabelKey(kind: OrgKind, country: string | null | undefined): string {
  if (country === 'CA' && (kind === 'district' || kind === 'state')) return `orgKind.${kind}_CA`;
  return `orgKind.${kind}`;
}
