import { z } from 'zod';
import { paginationQuery } from '../../shared/schemas.js';

export const auditQuery = paginationQuery.extend({
  orgId: z.coerce.number().int().positive().optional(),
  action: z.string().trim().max(60).optional(),
  actor: z.string().trim().max(254).optional(),
  from: z.string().date().optional(),
  to: z.string().date().optional(),
});
export const auditEntry = z.object({
  id: z.number(),
  at: z.string(),
  action: z.string(),
  actorEmail: z.string().nullable(),
  orgId: z.number().nullable(),
  orgName: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
});
export const auditResponse = z.object({ items: z.array(auditEntry), total: z.number() });
export type AuditPage = z.infer<typeof auditResponse>;
