import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam, okSchema } from '../../../shared/schemas.js';
import { goalProposal, goalProposalBody, goalProposalList, goalProposalListQuery } from '../plans.contract.js';
import { dismissGoalProposal, listGoalProposals, proposeGoal } from './plans.proposals.js';

const tags = ['plans'];

/** Plans: for now the goals teams propose from their results, waiting for a plan to take them up. */
export async function planRoutes(app: App, { db }: Deps): Promise<void> {
  app.post('/api/assessments/:id/goal-proposals', {
    schema: { tags, summary: 'Make a question of submitted results a proposed plan goal', params: idParam, body: goalProposalBody, response: { 201: goalProposal, ...authErrors, 409: errorBodySchema } },
    handler: async (request, reply) => reply.code(201).send(await proposeGoal(db, request.actor, request.params.id, request.body.slotId)),
  });
  app.get('/api/orgs/:id/goal-proposals', {
    schema: { tags, summary: 'Goals proposed for the organisation\'s plan, waiting for one', params: idParam, querystring: goalProposalListQuery, response: { 200: goalProposalList, ...authErrors } },
    handler: async (request) => ({ items: await listGoalProposals(db, request.actor, request.params.id, request.query) }),
  });
  app.delete('/api/goal-proposals/:id', {
    schema: { tags, summary: 'Set a proposed goal aside', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => {
      await dismissGoalProposal(db, request.actor, request.params.id);
      return { ok: true as const };
    },
  });
}
