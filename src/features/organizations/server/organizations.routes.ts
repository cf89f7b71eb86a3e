import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam } from '../../../shared/schemas.js';
import {
  createOrgBody,
  moveOrgBody,
  orgDetail,
  orgListQuery,
  orgListResponse,
  partnerLinkBody,
  partnerLinkParams,
  updateOrgBody,
} from '../organizations.contract.js';
import { createOrg, getOrgDetail, linkPartner, listOrgs, listPartnerLinks, moveOrg, setOrgArchived, updateOrg } from './organizations.service.js';

const tags = ['organizations'];

/** The organisation tree: browse, search, create, edit, move, archive; partner links. */
export async function organizationRoutes(app: App, { db }: Deps): Promise<void> {
  app.get('/api/orgs', {
    schema: { tags, summary: 'List children of an organisation, or search by name or code', querystring: orgListQuery, response: { 200: orgListResponse, ...authErrors } },
    handler: (request) => listOrgs(db, request.actor, request.query),
  });

  app.post('/api/orgs', {
    schema: { tags, summary: 'Create an organisation', body: createOrgBody, response: { 201: orgDetail, ...authErrors, 409: errorBodySchema } },
    handler: async (request, reply) => {
      const org = await createOrg(db, { actor: request.actor, ip: request.ip }, request.body);
      return reply.code(201).send(org);
    },
  });

  app.get('/api/orgs/:id', {
    schema: { tags, summary: 'One organisation with breadcrumb and abilities', params: idParam, response: { 200: orgDetail, ...authErrors } },
    handler: (request) => getOrgDetail(db, request.actor, request.params.id),
  });

  app.patch('/api/orgs/:id', {
    schema: { tags, summary: 'Rename or edit an organisation', params: idParam, body: updateOrgBody, response: { 200: orgDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => updateOrg(db, { actor: request.actor, ip: request.ip }, request.params.id, request.body),
  });

  app.post('/api/orgs/:id/move', {
    schema: { tags, summary: 'Move an organisation and its sub-organisations', params: idParam, body: moveOrgBody, response: { 200: orgDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => moveOrg(db, { actor: request.actor, ip: request.ip }, request.params.id, request.body.parentId),
  });

  app.post('/api/orgs/:id/archive', {
    schema: { tags, summary: 'Archive an organisation and its sub-organisations', params: idParam, response: { 200: orgDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => setOrgArchived(db, { actor: request.actor, ip: request.ip }, request.params.id, true),
  });

  app.post('/api/orgs/:id/restore', {
    schema: { tags, summary: 'Restore an archived organisation', params: idParam, response: { 200: orgDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => setOrgArchived(db, { actor: request.actor, ip: request.ip }, request.params.id, false),
  });

  app.get('/api/orgs/:id/partners', {
    schema: { tags, summary: 'Partner links of a school or district, or the organisations a partner serves', params: idParam, response: { 200: orgListResponse, ...authErrors } },
    handler: (request) => listPartnerLinks(db, request.actor, request.params.id),
  });

  app.post('/api/orgs/:id/partners', {
    schema: { tags, summary: 'Link a partner organisation', params: idParam, body: partnerLinkBody, response: { 200: orgListResponse, ...authErrors } },
    handler: (request) => linkPartner(db, { actor: request.actor, ip: request.ip }, request.params.id, request.body.partnerId, true),
  });

  app.delete('/api/orgs/:id/partners/:partnerId', {
    schema: { tags, summary: 'Remove a partner link', params: partnerLinkParams, response: { 200: orgListResponse, ...authErrors } },
    handler: (request) => linkPartner(db, { actor: request.actor, ip: request.ip }, request.params.id, request.params.partnerId, false),
  });
}

