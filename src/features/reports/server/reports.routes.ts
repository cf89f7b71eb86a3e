import type { App, Deps } from '../../../server/http/types.js';
import { onSubtreeChange, onTreeMove } from '../../../server/tree-events.js';
import { authErrors, errorBodySchema, idParam } from '../../../shared/schemas.js';
import { commentsQuery, reportQuery, surveyComments, surveyReport } from '../reports.contract.js';
import { invalidatePlans } from './reports.plan.js';
import { getSurveyComments, getSurveyReport } from './reports.service.js';

const tags = ['reports'];

/** Survey results for every level, through the one suppression plan per administration. */
export async function reportRoutes(app: App, { db }: Deps): Promise<void> {
  // A move changes which schools add up to which organisation: every plan is made again.
  onTreeMove(async () => invalidatePlans());
  onSubtreeChange(async () => invalidatePlans());
  app.get('/api/surveys/:id/report', {
    schema: {
      tags,
      summary: 'Results of a closed survey for one organisation, beside its parent, by school or group, with the trend',
      params: idParam,
      querystring: reportQuery,
      response: { 200: surveyReport, 409: errorBodySchema, ...authErrors },
    },
    handler: (request) => getSurveyReport(db, request.actor, request.params.id, request.query),
  });
  app.get('/api/surveys/:id/comments', {
    schema: {
      tags,
      summary: "Free-text answers of an organisation's respondents, when there are at least k (coordinators and admins)",
      params: idParam,
      querystring: commentsQuery,
      response: { 200: surveyComments, 409: errorBodySchema, ...authErrors },
    },
    handler: (request) => getSurveyComments(db, request.actor, request.params.id, request.query),
  });
}
