import { AppError } from '../../../server/http/errors.js';
import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam, okSchema } from '../../../shared/schemas.js';
import { administrationDetail, administrationList, administrationListQuery, codeBatchBody, createAdministrationBody, extendBody, monitorResponse } from '../surveys.contract.js';
import { declineBody, publicSurvey, publicSurveyParams, publicSurveyQuery, responseAck, responseBody } from '../surveys.public.contract.js';
import { codeLimiter } from './surveys.limits.js';
import { onSubtreeChange, onTreeMove } from '../../../server/tree-events.js';
import { followSurveyMove, followSurveySubtreeChange } from './surveys.rollup.js';
import { declineSurvey, getPublicSurvey, submitResponse } from './surveys.public.js';
import { closeAdministration, createCodeBatches, createAdministration, deleteAllResponses, extendAdministration, getAdministration, getMonitor, listAdministrations } from './surveys.service.js';
import { z } from 'zod';

const tags = ['surveys'];
const publicErrors = { 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 429: errorBodySchema };

/** Survey administrations for coordinators, and the anonymous public API respondents use. */
export async function surveyRoutes(app: App, { db, config }: Deps): Promise<void> {
  // Counts above each school follow the tree when organisations move or a directory import re-parents them.
  onTreeMove(followSurveyMove);
  onSubtreeChange(followSurveySubtreeChange);
  app.post('/api/surveys/administrations', {
    schema: { tags, summary: 'Set up a survey administration for one or more schools', body: createAdministrationBody, response: { 201: administrationDetail, ...authErrors, 409: errorBodySchema } },
    handler: async (request, reply) => reply.code(201).send(await createAdministration(db, request.actor, request.body)),
  });
  app.get('/api/surveys/administrations', {
    schema: { tags, summary: 'Administrations of an organisation, those above it covering its schools, and those below it', querystring: administrationListQuery, response: { 200: administrationList, ...authErrors } },
    handler: async (request) => ({ items: await listAdministrations(db, request.actor, request.query.orgId) }),
  });
  app.get('/api/surveys/administrations/:id', {
    schema: { tags, summary: 'An administration with its schools, links and counts', params: idParam, response: { 200: administrationDetail, ...authErrors } },
    handler: (request) => getAdministration(db, request.actor, request.params.id),
  });
  app.get('/api/surveys/administrations/:id/monitor', {
    schema: { tags, summary: 'Responses per day and per school, participation against enrolment', params: idParam, response: { 200: monitorResponse, ...authErrors } },
    handler: (request) => getMonitor(db, request.actor, request.params.id),
  });
  app.post('/api/surveys/administrations/:id/close', {
    schema: { tags, summary: 'Close now', params: idParam, response: { 200: administrationDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => closeAdministration(db, request.actor, request.params.id),
  });
  app.post('/api/surveys/administrations/:id/extend', {
    schema: { tags, summary: 'Move the closing later (extends, or reopens a closed administration)', params: idParam, body: extendBody, response: { 200: administrationDetail, ...authErrors } },
    handler: (request) => extendAdministration(db, request.actor, request.params.id, request.body.closesAt),
  });
  app.delete('/api/surveys/administrations/:id/responses', {
    schema: { tags, summary: 'Delete every response of the administration (audited)', params: idParam, response: { 200: z.object({ deleted: z.number() }), ...authErrors } },
    handler: (request) => deleteAllResponses(db, request.actor, request.params.id),
  });

  app.post('/api/surveys/administrations/:id/codes', {
    schema: {
      tags,
      summary: 'Make single-use codes for classes of a school: a PDF of slips to cut out (the only copy of the codes)',
      params: idParam,
      body: codeBatchBody,
      produces: ['application/pdf', 'application/json'],
      response: { 200: z.string().describe('A PDF file'), ...authErrors, 409: errorBodySchema },
    },
    handler: async (request, reply) => {
      const { pdf } = await createCodeBatches(db, request.actor, request.params.id, request.body, config.publicUrl);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="survey-codes-${request.params.id}-${request.body.orgId}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf as unknown as string);
    },
  });

  // The respondent side: no account, no session read, nothing identifying kept. Limited per code.
  const limiter = codeLimiter(config.surveyRateLimitPerMinute);
  const limited = async <T>(code: string, work: () => Promise<T>): Promise<T> => {
    limiter.code(code);
    try {
      return await work();
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') limiter.miss();
      throw err;
    }
  };
  const anonymous = { public: true, anonymous: true } as const;
  app.get('/api/public/surveys/:code', {
    config: anonymous,
    schema: { tags, summary: 'What the respondent page needs for a code', params: publicSurveyParams, querystring: publicSurveyQuery, response: { 200: publicSurvey, ...publicErrors } },
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return limited(request.params.code, () => getPublicSurvey(db, request.params.code, request.query.lang));
    },
  });
  app.post('/api/public/responses', {
    config: anonymous,
    bodyLimit: 256 * 1024,
    schema: { tags, summary: 'Submit one anonymous response (idempotent by submissionId)', body: responseBody, response: { 200: responseAck, 201: responseAck, ...publicErrors } },
    handler: async (request, reply) => {
      const { duplicate } = await limited(request.body.code, () => submitResponse(db, request.body));
      return reply.code(duplicate ? 200 : 201).send({ ok: true as const, submissionId: request.body.submissionId });
    },
  });
  app.post('/api/public/surveys/:code/decline', {
    config: anonymous,
    schema: { tags, summary: '"No thanks": counted, nothing else kept', params: publicSurveyParams, body: declineBody.partial(), response: { 200: okSchema, ...publicErrors } },
    handler: async (request) => {
      await limited(request.params.code, () => declineSurvey(db, request.params.code));
      return { ok: true as const };
    },
  });
}
