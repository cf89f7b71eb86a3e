import { z } from 'zod';
import { orgKinds } from '../../shared/organizations.js';
import { permissionNames, roles } from '../../shared/permissions.js';
import { emailSchema, localeSchema, passwordSchema } from '../../shared/schemas.js';

export const loginBody = z.object({ email: emailSchema, password: z.string().min(1, 'Enter your password.').max(200) });
export const changePasswordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema });
export const forgotBody = z.object({ email: emailSchema });
export const resetBody = z.object({ token: z.string().min(20).max(100), password: passwordSchema });
export const updateMeBody = z.object({ name: z.string().trim().min(1).max(200).optional(), locale: localeSchema.optional() });

export const abilitiesSchema = z.object(Object.fromEntries(permissionNames.map((p) => [p, z.boolean()])) as Record<(typeof permissionNames)[number], z.ZodBoolean>);

export const meResponse = z.object({
  user: z.object({ id: z.number(), email: z.string(), name: z.string(), locale: localeSchema, isOperator: z.boolean() }),
  memberships: z.array(
    z.object({
      id: z.number(),
      orgId: z.number(),
      orgName: z.string(),
      orgKind: z.enum(orgKinds),
      orgCountry: z.string().nullable(),
      role: z.enum(roles),
      abilities: abilitiesSchema,
    }),
  ),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof meResponse>;
