import type { App, Deps } from '../../../server/http/types.js';
import { onSubtreeChange, onTreeMove } from '../../../server/tree-events.js';
import { followSubtreeChange, followTreeMove } from './coverage.queries.js';
import { authErrors, idParam } from '../../../shared/schemas.js';
import { z } from 'zod';
import { bandsResponse, coverageExportQuery, coverageQuery, coverageSchools, coverageSchoolsQuery, coverageSummary, heatmapResponse, scoresExportQuery, scoresQuery, trendQuery, trendResponse } from '../coverage.contract.js';
import { exportCoverage, exportScores, getBands, getCoverageSchools, getCoverageSummary, getHeatmap, getTrend } from './coverage.service.js';

const tags = ['coverage'];

/** Census coverage and quality across the schools below an organisation. */
export async function coverageRoutes(app: App, { db }: Deps): Promise<void> {
  // Roll-ups are keyed by tree paths and count active schools: they follow moves and closures.
  onTreeMove(followTreeMove);
  onSubtreeChange(followSubtreeChange);
  app.get('/api/orgs/:id/coverage', {
    schema: { tags, summary: 'How many schools have a current profile and a submitted assessment', params: idParam, querystring: coverageQuery, response: { 200: coverageSummary, ...authErrors } },
    handler: (request) => getCoverageSummary(db, request.actor, request.params.id, request.query),
  });
  app.get('/api/orgs/:id/coverage/schools', {
    schema: { tags, summary: 'The schools with their coverage, searchable, sortable and paginated', params: idParam, querystring: coverageSchoolsQuery, response: { 200: coverageSchools, ...authErrors } },
    handler: (request) => getCoverageSchools(db, request.actor, request.params.id, request.query),
  });
  // Files are sent as bytes, which Fastify passes through unserialised; the schema documents them.
  const file = { 200: z.string().describe('The file (CSV or XLSX)'), ...authErrors };
  app.get('/api/orgs/:id/coverage/export', {
    schema: { tags, summary: 'The coverage table of every school, as CSV or XLSX', params: idParam, querystring: coverageExportQuery, produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json'], response: file },
    handler: async (request, reply) => {
      const f = await exportCoverage(db, request.actor, request.params.id, request.query);
      return reply.type(f.type).header('content-disposition', `attachment; filename="${f.fileName}"`).send(f.body as unknown as string);
    },
  });
  app.get('/api/orgs/:id/quality/scores/export', {
    schema: { tags, summary: 'Every submitted score below an organisation, as CSV or XLSX', params: idParam, querystring: scoresExportQuery, produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json'], response: file },
    handler: async (request, reply) => {
      const f = await exportScores(db, request.actor, request.params.id, request.query);
      return reply.type(f.type).header('content-disposition', `attachment; filename="${f.fileName}"`).send(f.body as unknown as string);
    },
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
