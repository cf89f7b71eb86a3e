import { z } from 'zod';
import { sqlState } from '../../../server/db/client.js';
import { AppError } from '../../../server/http/errors.js';
import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema } from '../../../shared/schemas.js';
import { importJob, importJobParams, importProgress, inspection, inspectQuery, runImportBody } from '../surveys.import.contract.js';
import { getImportJob, getImportProgress, inspectUpload, startImport } from './surveys.import.js';
import { MAX_UPLOAD_BYTES } from './surveys.import.parse.js';

const tags = ['surveys'];

/** Importing past survey results: upload and inspect a CSV, run the import, follow it. */
export async function surveyImportRoutes(app: App, { db }: Deps): Promise<void> {
  app.post('/api/surveys/imports/inspect', {
    bodyLimit: MAX_UPLOAD_BYTES,
    // Said before the upload is read, with the limit named (the body limit's own message cannot).
    onRequest: async (request) => {
      if (Number(request.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) throw new AppError('payload_too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Compress it (.csv.gz) or split it.`, 'file');
    },
    schema: {
      tags,
      summary: 'Read a CSV of past results (body; plain or gzip) for a survey instrument: columns, values and a proposed matching',
      querystring: inspectQuery,
      consumes: ['text/csv', 'application/octet-stream'],
      body: z.instanceof(Buffer),
      response: { 200: inspection, ...authErrors, 409: errorBodySchema, 413: errorBodySchema },
    },
    handler: (request) => inspectUpload(db, request.actor, request.query, request.body),
  });

  app.post('/api/surveys/imports', {
    bodyLimit: 4 * 1024 * 1024,
    schema: { tags, summary: 'Import an inspected file as a closed administration with the confirmed matching; returns a job to poll', body: runImportBody, response: { 202: z.object({ id: z.string() }), ...authErrors, 409: errorBodySchema } },
    handler: async (request, reply) => {
      const { id } = await startImport(db, request.actor, request.body, {
        ip: request.ip,
        // A failed statement's message carries its parameters, respondents' answers: only the kind of failure is logged.
        onError: (err) => request.log.error({ sqlState: sqlState(err) ?? null, name: (err as Error)?.name }, 'survey import failed; nothing was written'),
      });
      return reply.code(202).send({ id });
    },
  });

  app.get('/api/surveys/imports/:id', {
    schema: { tags, summary: 'Progress and report of an import (for the person who started it)', params: importJobParams, response: { 200: importJob, ...authErrors } },
    handler: (request) => getImportJob(db, request.actor, request.params.id),
  });

  // Counts only, by the job's random id and without a session: on the embedded database the
  // import's transaction holds every query (session checks included) until it commits.
  app.get('/api/surveys/imports/:id/progress', {
    config: { public: true, anonymous: true },
    schema: { tags, summary: 'Rows read and written so far (no session needed: counts only)', params: importJobParams, response: { 200: importProgress, 400: errorBodySchema, 404: errorBodySchema } },
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return getImportProgress(request.params.id);
    },
  });
}
