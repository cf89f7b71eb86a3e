import { z } from 'zod';
import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam, okSchema } from '../../../shared/schemas.js';
import { identifier } from '../../instruments/model/instrument.schema.js';
import { languageSchema } from '../../instruments/model/text.js';
import {
  actionInput, actionPatch, actionView, attachmentInput, goalDetail, goalInput, goalPatch, goalProposal, goalProposalBody, goalProposalList, goalProposalListQuery, myActions as myActionsSchema,
  noteInput, planDetail, planInput, planList, planPatch, planPeople as planPeopleSchema, planProgress as planProgressSchema, publishTemplateBody, templateList,
} from '../plans.contract.js';
import { planPdf } from './plans.pdf.js';
import { myActions, planProgress } from './plans.progress.js';
import { dismissGoalProposal, listGoalProposals, proposeGoal } from './plans.proposals.js';
import {
  addAction, addAttachment, addGoal, addNote, createPlan, deleteAction, deleteAttachment, deleteGoal, deleteNote, deletePlan, getGoal, getPlan, listPlans, planPeople, updateAction, updateGoal, updatePlan,
} from './plans.service.js';
import { deleteTemplate, listTemplates, publishTemplate } from './plans.templates.js';

const tags = ['plans'];
const withConflict = { ...authErrors, 409: errorBodySchema };
const ok = async () => ({ ok: true as const });

/**
 * Plans: an organisation's plans for a period, goals tied to framework elements and results,
 * actions with owners, notes, comments and attachments; templates; the roll-up across schools.
 */
export async function planRoutes(app: App, { db }: Deps): Promise<void> {
  app.post('/api/assessments/:id/goal-proposals', {
    schema: { tags, summary: 'Make a question of submitted results a proposed plan goal', params: idParam, body: goalProposalBody, response: { 201: goalProposal, ...withConflict } },
    handler: async (request, reply) => reply.code(201).send(await proposeGoal(db, request.actor, request.params.id, request.body.slotId)),
  });
  app.get('/api/orgs/:id/goal-proposals', {
    schema: { tags, summary: 'Goals proposed for the organisation\'s plan, waiting for one', params: idParam, querystring: goalProposalListQuery, response: { 200: goalProposalList, ...authErrors } },
    handler: async (request) => ({ items: await listGoalProposals(db, request.actor, request.params.id, request.query) }),
  });
  app.delete('/api/goal-proposals/:id', {
    schema: { tags, summary: 'Set a proposed goal aside', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => dismissGoalProposal(db, request.actor, request.params.id).then(ok),
  });

  app.get('/api/orgs/:id/plans', {
    schema: { tags, summary: 'The organisation\'s plans, current ones first', params: idParam, response: { 200: planList, ...authErrors } },
    handler: async (request) => listPlans(db, request.actor, request.params.id),
  });
  app.post('/api/orgs/:id/plans', {
    schema: { tags, summary: 'Create a plan (blank, from a template, or with its first goals)', params: idParam, body: planInput, response: { 201: planDetail, ...withConflict } },
    handler: async (request, reply) => reply.code(201).send(await createPlan(db, request.actor, request.params.id, request.body)),
  });
  app.get('/api/orgs/:id/plan-progress', {
    schema: { tags, summary: 'Progress of current plans at and below the organisation, by organisation and framework element', params: idParam, response: { 200: planProgressSchema, ...authErrors } },
    handler: async (request) => planProgress(db, request.actor, request.params.id),
  });
  app.get('/api/orgs/:id/plan-templates', {
    schema: { tags, summary: 'Templates offered to the organisation', params: idParam, querystring: z.object({ frameworkId: identifier.optional() }), response: { 200: templateList, ...authErrors } },
    handler: async (request) => listTemplates(db, request.actor, request.params.id, request.query.frameworkId),
  });
  app.get('/api/plans/:id', {
    schema: { tags, summary: 'A plan with its goals, each checked against the latest results', params: idParam, response: { 200: planDetail, ...authErrors } },
    handler: async (request) => getPlan(db, request.actor, request.params.id),
  });
  app.patch('/api/plans/:id', {
    schema: { tags, summary: 'Rename, re-date, archive or restore a plan', params: idParam, body: planPatch, response: { 200: planDetail, ...authErrors } },
    handler: async (request) => updatePlan(db, request.actor, request.params.id, request.body),
  });
  app.delete('/api/plans/:id', {
    schema: { tags, summary: 'Delete a plan and everything in it', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => deletePlan(db, request.actor, request.params.id).then(ok),
  });
  app.get('/api/plans/:id/people', {
    schema: { tags, summary: 'People who may own the plan\'s actions', params: idParam, response: { 200: planPeopleSchema, ...authErrors } },
    handler: async (request) => planPeople(db, request.actor, request.params.id),
  });
  app.get('/api/plans/:id/pdf', {
    schema: { tags, summary: 'The plan as a PDF for a board meeting', params: idParam, querystring: z.object({ lang: languageSchema.default('en') }), produces: ['application/pdf', 'application/json'], response: { 200: z.string().describe('A PDF file'), ...authErrors } },
    handler: async (request, reply) => {
      const file = await planPdf(db, request.actor, request.params.id, request.query.lang);
      return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${file.fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/"/g, '') || 'plan.pdf'}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`).header('cache-control', 'no-store').send(file.body as unknown as string);
    },
  });
  app.post('/api/plans/:id/template', {
    schema: { tags, summary: 'Publish the plan as a template for the organisations below', params: idParam, querystring: z.object({ lang: languageSchema.default('en') }), body: publishTemplateBody, response: { 201: z.object({ id: z.number() }), ...authErrors } },
    handler: async (request, reply) => reply.code(201).send(await publishTemplate(db, request.actor, request.params.id, request.body, request.query.lang)),
  });
  app.delete('/api/plan-templates/:id', {
    schema: { tags, summary: 'Withdraw an organisation\'s template', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => deleteTemplate(db, request.actor, request.params.id).then(ok),
  });

  app.post('/api/plans/:id/goals', {
    schema: { tags, summary: 'Add a goal, written or made from a result', params: idParam, body: goalInput, response: { 201: goalDetail, ...withConflict } },
    handler: async (request, reply) => reply.code(201).send(await addGoal(db, request.actor, request.params.id, request.body)),
  });
  app.get('/api/goals/:id', {
    schema: { tags, summary: 'A goal with its check, actions, notes and attachments', params: idParam, response: { 200: goalDetail, ...authErrors } },
    handler: async (request) => getGoal(db, request.actor, request.params.id),
  });
  app.patch('/api/goals/:id', {
    schema: { tags, summary: 'Change a goal', params: idParam, body: goalPatch, response: { 200: goalDetail, ...authErrors } },
    handler: async (request) => updateGoal(db, request.actor, request.params.id, request.body),
  });
  app.delete('/api/goals/:id', {
    schema: { tags, summary: 'Delete a goal and its actions', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => deleteGoal(db, request.actor, request.params.id).then(ok),
  });
  app.post('/api/goals/:id/actions', {
    schema: { tags, summary: 'Add an action to a goal', params: idParam, body: actionInput, response: { 201: actionView, ...authErrors } },
    handler: async (request, reply) => reply.code(201).send(await addAction(db, request.actor, request.params.id, request.body)),
  });
  app.patch('/api/actions/:id', {
    schema: { tags, summary: 'Change an action (status, owner, dates, priority)', params: idParam, body: actionPatch, response: { 200: actionView, ...authErrors } },
    handler: async (request) => updateAction(db, request.actor, request.params.id, request.body),
  });
  app.delete('/api/actions/:id', {
    schema: { tags, summary: 'Delete an action', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => deleteAction(db, request.actor, request.params.id).then(ok),
  });
  app.post('/api/goals/:id/notes', {
    schema: { tags, summary: 'Add a progress note or a comment', params: idParam, body: noteInput, response: { 201: goalDetail, ...authErrors } },
    handler: async (request, reply) => reply.code(201).send(await addNote(db, request.actor, request.params.id, request.body)),
  });
  app.delete('/api/plan-notes/:id', {
    schema: { tags, summary: 'Delete a note (its author, or a coordinator)', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => deleteNote(db, request.actor, request.params.id).then(ok),
  });
  app.post('/api/goals/:id/attachments', {
    schema: { tags, summary: 'Attach a library resource or a link', params: idParam, body: attachmentInput, response: { 201: goalDetail, ...withConflict } },
    handler: async (request, reply) => reply.code(201).send(await addAttachment(db, request.actor, request.params.id, request.body)),
  });
  app.delete('/api/plan-attachments/:id', {
    schema: { tags, summary: 'Remove an attachment', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => deleteAttachment(db, request.actor, request.params.id).then(ok),
  });
  app.get('/api/me/actions', {
    schema: { tags, summary: 'Actions I own, open ones by due date first', response: { 200: myActionsSchema, 401: errorBodySchema } },
    handler: async (request) => myActions(db, request.actor),
  });
}
