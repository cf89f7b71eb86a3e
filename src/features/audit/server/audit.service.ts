import type { DbOrTx } from '../../../server/db/client.js';
import { auditLog } from './audit.tables.js';

export interface AuditEntry {
  action: string;
  actor?: { userId: number; email: string } | null;
  org?: { id: number; path: string } | null;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends one entry to the audit log. Call it inside the same transaction as the change it records,
 * so an entry exists exactly when the change does.
 */
export async function writeAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    actorId: entry.actor?.userId ?? null,
    actorEmail: entry.actor?.email ?? null,
    orgId: entry.org?.id ?? null,
    orgPath: entry.org?.path ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    details: entry.details ?? null,
    ip: entry.ip ?? null,
  });
}
