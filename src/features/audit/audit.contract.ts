import { z } from 'zod';
import { paginationQuery } from '../../shared/schemas.js';

/** A calendar date the database can compare with: years 1900 to 2999. */
const reasonableDate = z.string().date().refine((d) => d >= '1900-01-01' && d <= '2999-12-31', 'Use a date between 1900 and 2999.');

export const auditQuery = paginationQuery.extend({
  orgId: z.coerce.number().int().positive().optional(),
  action: z.string().trim().max(60).optional(),
  actor: z.string().trim().max(254).optional(),
  from: reasonableDate.optional(),
  to: reasonableDate.optional(),
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
