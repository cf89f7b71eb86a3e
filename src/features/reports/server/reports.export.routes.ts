import { z } from 'zod';
import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam } from '../../../shared/schemas.js';
import { exportJobParams, surveyExportJob, surveyExportRequest, surveyExportStarted } from '../reports.export.contract.js';
import { getSurveyExport, getSurveyExportFile, startSurveyExport, stopSurveyExports } from './reports.export.js';

const tags = ['reports'];

/** Exports of survey results (CSV, XLSX, PDF), built in the background and fetched by their owner. */
export async function reportExportRoutes(app: App, { db }: Deps): Promise<void> {
  app.addHook('onClose', async () => stopSurveyExports(db));
  app.post('/api/surveys/:id/exports', {
    schema: {
      tags,
      summary: 'Start an export of a closed survey’s results for an organisation (and those below it); returns a job to poll',
      params: idParam,
      body: surveyExportRequest,
      response: { 202: surveyExportStarted, 409: errorBodySchema, 429: errorBodySchema, ...authErrors },
    },
    handler: async (request, reply) => {
      const started = await startSurveyExport(db, request.actor, request.params.id, request.body, { ip: request.ip, onError: (err) => request.log.error({ err }, 'survey export failed') });
      return reply.code(202).send(started);
    },
  });
  app.get('/api/exports/:jobId', {
    schema: { tags, summary: 'Progress of an export: organisations done out of all of them', params: exportJobParams, response: { 200: surveyExportJob, ...authErrors } },
    handler: (request) => getSurveyExport(request.actor, request.params.jobId),
  });
  app.get('/api/exports/:jobId/file', {
    schema: {
      tags,
      summary: 'The finished export file',
      params: exportJobParams,
      produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf', 'application/json'],
      // Files are sent as bytes, which Fastify passes through unserialised; the schema documents them.
      response: { 200: z.string().describe('The file (CSV, XLSX or PDF)'), 409: errorBodySchema, ...authErrors },
    },
    handler: async (request, reply) => {
      const f = getSurveyExportFile(request.actor, request.params.jobId);
      return reply.type(f.type).header('content-disposition', `attachment; filename="${f.fileName}"`).header('cache-control', 'no-store').send(f.body as unknown as string);
    },
  });
}
