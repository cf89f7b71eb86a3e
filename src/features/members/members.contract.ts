import { z } from 'zod';
import { orgKinds } from '../../shared/organizations.js';
import { roles } from '../../shared/permissions.js';
import { emailSchema, passwordSchema } from '../../shared/schemas.js';
import { meResponse } from '../auth/auth.contract.js';

export const memberSchema = z.object({
  id: z.number(),
  userId: z.number(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  since: z.string(),
});
export const invitationSchema = z.object({
  id: z.number(),
  email: z.string(),
  role: z.enum(roles),
  createdAt: z.string(),
  expiresAt: z.string(),
  invitedBy: z.string().nullable(),
});
export const membersResponse = z.object({
  members: z.array(memberSchema),
  invitations: z.array(invitationSchema),
  /** Roles the caller may give here, so the UI offers only those. */
  invitableRoles: z.array(z.enum(roles)),
});
export type MembersView = z.infer<typeof membersResponse>;

export const inviteBody = z.object({ email: emailSchema, role: z.enum(roles) });
export const changeRoleBody = z.object({ role: z.enum(roles) });
export const invitationPreview = z.object({
  orgName: z.string(),
  orgKind: z.enum(orgKinds),
  role: z.enum(roles),
  email: z.string(),
  hasAccount: z.boolean(),
});
export const acceptInvitationBody = z.object({
  token: z.string().min(20).max(100),
  name: z.string().trim().min(1).max(200).optional(),
  password: passwordSchema.or(z.string().min(1).max(200)),
});
export const acceptInvitationResponse = meResponse;
export const tokenParam = z.object({ token: z.string().min(20).max(100) });
