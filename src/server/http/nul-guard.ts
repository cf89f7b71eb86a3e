import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.js';

/** The dotted path of the first string holding a NUL character, or null. */
function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 20 || !value || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    const hit = findNul(v, path ? `${path}.${k}` : k, depth + 1);
    if (hit !== null) return hit;
  }
  return null;
}

/**
 * PostgreSQL text cannot hold a NUL character; refuse it at the edge, naming the field, rather
 * than let the database fail deep inside a request.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [['params', request.params], ['query', request.query], ['body', request.body]] as const) {
      const field = findNul(value, '');
      if (field !== null) throw badRequest(`${field || where}: text may not contain a NUL character (in ${where}).`, field || undefined);
    }
  });
}
