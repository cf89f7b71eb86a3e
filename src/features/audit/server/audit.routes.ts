import type { App, Deps } from '../../../server/http/types.js';
import { authErrors } from '../../../shared/schemas.js';
import { auditQuery, auditResponse } from '../audit.contract.js';
import { listAudit } from './audit.queries.js';

/** The audit log, filtered to what the caller administers. */
export async function auditRoutes(app: App, { db }: Deps): Promise<void> {
  app.get('/api/audit', {
    schema: { tags: ['audit'], summary: 'Audit log entries, newest first', querystring: auditQuery, response: { 200: auditResponse, ...authErrors } },
    handler: (request) => listAudit(db, request.actor, request.query),
  });
}
