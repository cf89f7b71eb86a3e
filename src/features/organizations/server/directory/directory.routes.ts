import { z } from 'zod';
import type { App, Deps } from '../../../../server/http/types.js';
import { authErrors, errorBodySchema } from '../../../../shared/schemas.js';
import { importJob, importJobParams, importQuery } from '../../directory.contract.js';
import { getImportJob, startImportJob } from './directory.service.js';

const MAX_UPLOAD = 64 * 1024 * 1024;

/** School directory import from the UI: upload a CSV, then poll the job for progress and summary. */
export async function importRoutes(app: App, { db }: Deps): Promise<void> {
  app.post('/api/imports', {
    bodyLimit: MAX_UPLOAD,
    schema: {
      tags: ['organizations'],
      summary: 'Import a school directory CSV (body) under a network or state; returns a job to poll',
      querystring: importQuery,
      // Documented as the CSV upload it is; without this the document claims a JSON body.
      consumes: ['text/csv', 'application/octet-stream'],
      body: z.instanceof(Buffer),
      response: { 202: z.object({ id: z.string() }), ...authErrors, 413: errorBodySchema },
    },
    handler: async (request, reply) => {
      const { id } = await startImportJob(db, request.actor, { ...request.query, input: request.body, ip: request.ip });
      return reply.code(202).send({ id });
    },
  });

  app.get('/api/imports/:id', {
    schema: { tags: ['organizations'], summary: 'Progress and result of an import', params: importJobParams, response: { 200: importJob, ...authErrors } },
    handler: (request) => getImportJob(db, request.actor, request.params.id),
  });
}
