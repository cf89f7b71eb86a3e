import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, idParam } from '../../../shared/schemas.js';
import { bandsResponse, coverageQuery, coverageSchools, coverageSchoolsQuery, coverageSummary, heatmapResponse, scoresQuery, trendQuery, trendResponse } from '../coverage.contract.js';
import { getBands, getCoverageSchools, getCoverageSummary, getHeatmap, getTrend } from './coverage.service.js';

const tags = ['coverage'];

/** Census coverage and quality across the schools below an organisation. */
export async function coverageRoutes(app: App, { db }: Deps): Promise<void> {
  app.get('/api/orgs/:id/coverage', {
    schema: { tags, summary: 'How many schools have a current profile and a submitted assessment', params: idParam, querystring: coverageQuery, response: { 200: coverageSummary, ...authErrors } },
    handler: (request) => getCoverageSummary(db, request.actor, request.params.id, request.query),
  });
  app.get('/api/orgs/:id/coverage/schools', {
    schema: { tags, summary: 'The schools with their coverage, searchable, sortable and paginated', params: idParam, querystring: coverageSchoolsQuery, response: { 200: coverageSchools, ...authErrors } },
    handler: (request) => getCoverageSchools(db, request.actor, request.params.id, request.query),
  });
  app.get('/api/orgs/:id/quality/heatmap', {
    schema: { tags, summary: 'Mean scores per domain for each district or school below', params: idParam, querystring: scoresQuery, response: { 200: heatmapResponse, ...authErrors } },
    handler: (request) => getHeatmap(db, request.actor, request.params.id, request.query),
  });
  app.get('/api/orgs/:id/quality/bands', {
    schema: { tags, summary: 'How many schools are in each band, per domain', params: idParam, querystring: scoresQuery, response: { 200: bandsResponse, ...authErrors } },
    handler: (request) => getBands(db, request.actor, request.params.id, request.query),
  });
  app.get('/api/orgs/:id/quality/trend', {
    schema: { tags, summary: 'Share of schools in a band (mastery by default), per domain and period', params: idParam, querystring: trendQuery, response: { 200: trendResponse, ...authErrors } },
    handler: (request) => getTrend(db, request.actor, request.params.id, request.query),
  });
}
