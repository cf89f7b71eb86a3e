import { z } from 'zod';
import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam } from '../../../shared/schemas.js';
import {
  answerBody,
  answerParams,
  answerView,
  assessmentResults,
  assessmentDetail,
  assessmentList,
  assessmentListQuery,
  changesQuery,
  changesResponse,
  startAssessmentBody,
} from '../assessments.contract.js';
import { resultsPdf } from './assessments.pdf.js';
import { getResults } from './assessments.results.js';
import { changesSince, getAssessment, listAssessments, reopenAssessment, saveAnswer, startAssessment, submitAssessment } from './assessments.service.js';

const tags = ['assessments'];

/** Team assessments: start, answer together item by item, follow others' changes, submit, reopen. */
export async function assessmentRoutes(app: App, { db }: Deps): Promise<void> {
  app.get('/api/assessments', {
    schema: { tags, summary: 'Assessments of an organisation and those below it', querystring: assessmentListQuery, response: { 200: assessmentList, ...authErrors } },
    handler: async (request) => ({ items: await listAssessments(db, request.actor, request.query) }),
  });
  app.post('/api/assessments', {
    schema: { tags, summary: 'Start an assessment for an organisation, instrument and period', body: startAssessmentBody, response: { 201: assessmentDetail, ...authErrors, 409: errorBodySchema } },
    handler: async (request, reply) => reply.code(201).send(await startAssessment(db, request.actor, request.body)),
  });
  app.get('/api/assessments/:id', {
    schema: { tags, summary: 'An assessment: instrument, answers with who and when, progress', params: idParam, response: { 200: assessmentDetail, ...authErrors } },
    handler: (request) => getAssessment(db, request.actor, request.params.id),
  });
  app.get('/api/assessments/:id/changes', {
    schema: { tags, summary: 'Answers changed since a moment (to show what others did)', params: idParam, querystring: changesQuery, response: { 200: changesResponse, ...authErrors } },
    handler: (request) => changesSince(db, request.actor, request.params.id, new Date(request.query.since)),
  });
  app.put('/api/assessments/:id/answers/:slot', {
    schema: { tags, summary: 'Save one answer, note and evidence as it is given', params: answerParams, body: answerBody, response: { 200: answerView, ...authErrors, 409: errorBodySchema } },
    handler: (request) => saveAnswer(db, request.actor, request.params.id, request.params.slot, request.body),
  });
  app.post('/api/assessments/:id/submit', {
    schema: { tags, summary: 'Submit and lock; scores are computed', params: idParam, response: { 200: assessmentDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => submitAssessment(db, request.actor, request.params.id),
  });
  app.get('/api/assessments/:id/results', {
    schema: { tags, summary: 'Scores, bands, change since the last period, district and state averages, strengths and priorities', params: idParam, response: { 200: assessmentResults, ...authErrors, 409: errorBodySchema } },
    handler: (request) => getResults(db, request.actor, request.params.id),
  });
  app.get('/api/assessments/:id/results.pdf', {
    schema: {
      tags,
      summary: 'The results as a PDF, in English, French or Spanish',
      params: idParam,
      querystring: z.object({ lang: z.enum(['en', 'fr', 'es']).default('en') }),
      produces: ['application/pdf', 'application/json'],
      response: { 200: z.string().describe('A PDF file'), ...authErrors, 409: errorBodySchema },
    },
    handler: async (request, reply) => {
      const results = await getResults(db, request.actor, request.params.id);
      const pdf = await resultsPdf(results, request.query.lang);
      // Bytes pass through Fastify unserialised; the schema documents them.
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="results-${results.assessment.id}.pdf"`).send(pdf as unknown as string);
    },
  });
  app.post('/api/assessments/:id/reopen', {
    schema: { tags, summary: 'Reopen a submitted assessment', params: idParam, response: { 200: assessmentDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => reopenAssessment(db, request.actor, request.params.id),
  });
}
