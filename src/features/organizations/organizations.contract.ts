import { z } from 'zod';
import { countries, orgKinds, orgStatuses } from '../../shared/organizations.js';
import { type Permission, permissionNames } from '../../shared/permissions.js';
import { idString, paginationQuery } from '../../shared/schemas.js';
import { abilitiesSchema } from '../auth/auth.contract.js';

const code = z.string().trim().min(1, 'Enter a code.').max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Use letters, digits, dots, dashes or underscores.');
const name = z.string().trim().min(1, 'Enter a name.').max(200);
const gradeSpan = z.string().trim().max(20).regex(/^(PK|TK|K|\d{1,2})(-(K|\d{1,2}))?$|^$/, 'Use a span such as K-5, 9-12 or PK-8.').nullable();
const languages = z.array(z.enum(['en', 'fr', 'es'])).max(3);

export const orgSummary = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  kind: z.enum(orgKinds),
  code: z.string(),
  name: z.string(),
  status: z.enum(orgStatuses),
  country: z.string().nullable(),
  gradeSpan: z.string().nullable(),
  enrolment: z.number().nullable(),
  childCount: z.number(),
});
export type OrgSummary = z.infer<typeof orgSummary>;

export const orgDetail = orgSummary.extend({
  languages: z.array(z.string()),
  ancestors: z.array(z.object({ id: z.number(), name: z.string(), kind: z.enum(orgKinds) })),
  role: z.string().nullable(),
  can: abilitiesSchema,
  createdAt: z.string(),
  archivedAt: z.string().nullable(),
  /** Survey privacy: the k set here (null when none), and the k that applies from above. */
  privacy: z.object({ minCellSize: z.number().nullable(), fromAbove: z.number() }),
});
export type OrgDetail = z.infer<typeof orgDetail>;

export const orgListQuery = paginationQuery.extend({
  parentId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(100).optional(),
  kind: z.enum(orgKinds).optional(),
  status: z.enum(['active', 'archived', 'all']).default('active'),
  /** Only organisations where the caller holds this permission (e.g. where they may import). */
  can: z.enum(permissionNames as [Permission, ...Permission[]]).optional(),
});
export const orgListResponse = z.object({ items: z.array(orgSummary), total: z.number() });
export type OrgList = z.infer<typeof orgListResponse>;

export const createOrgBody = z.object({
  parentId: z.number().int().positive().nullable(),
  kind: z.enum(orgKinds),
  code,
  name,
  country: z.enum(countries).optional(),
  gradeSpan: gradeSpan.optional(),
  enrolment: z.number().int().min(0).max(10_000_000).nullable().optional(),
  languages: languages.optional(),
});
export const updateOrgBody = z
  .object({
    code: code.optional(),
    name: name.optional(),
    country: z.enum(countries).nullable().optional(),
    gradeSpan: gradeSpan.optional(),
    enrolment: z.number().int().min(0).max(10_000_000).nullable().optional(),
    languages: languages.optional(),
    /** Smallest group of survey respondents shown here and below (5–30); null goes back to what is set above. */
    minCellSize: z.number().int().min(5, 'The smallest group cannot be under 5.').max(30, 'The smallest group cannot be over 30.').nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export const moveOrgBody = z.object({ parentId: z.number().int().positive() });
export const partnerLinkBody = z.object({ partnerId: z.number().int().positive() });
export const partnerLinkParams = z.object({ id: idString, partnerId: idString });
