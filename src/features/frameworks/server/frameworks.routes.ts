import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam } from '../../../shared/schemas.js';
import { createFrameworkBody, frameworkIdParam, frameworkList, frameworkSummary, networkFrameworksBody, networkFrameworksResponse, saveFrameworkBody } from '../frameworks.contract.js';
import { createFramework, getFramework, getNetworkFrameworks, listFrameworks, saveFramework, setNetworkFrameworks } from './frameworks.service.js';

const tags = ['frameworks'];

/** Frameworks: list, read, edit, create a network's own, and choose which a network uses. */
export async function frameworkRoutes(app: App, { db }: Deps): Promise<void> {
  app.get('/api/frameworks', {
    schema: { tags, summary: 'Shipped frameworks and those of your networks', response: { 200: frameworkList, ...authErrors } },
    handler: async (request) => ({ items: await listFrameworks(db, request.actor) }),
  });
  app.post('/api/frameworks', {
    schema: { tags, summary: "Create a network's own framework", body: createFrameworkBody, response: { 201: frameworkSummary, ...authErrors, 409: errorBodySchema } },
    handler: async (request, reply) => reply.code(201).send(await createFramework(db, request.actor, request.body.ownerOrgId, request.body.definition)),
  });
  app.get('/api/frameworks/:id', {
    schema: { tags, summary: 'One framework', params: frameworkIdParam, response: { 200: frameworkSummary, ...authErrors } },
    handler: (request) => getFramework(db, request.actor, request.params.id),
  });
  app.put('/api/frameworks/:id', {
    schema: { tags, summary: 'Edit a framework', params: frameworkIdParam, body: saveFrameworkBody, response: { 200: frameworkSummary, ...authErrors } },
    handler: (request) => saveFramework(db, request.actor, request.params.id, request.body.definition),
  });
  app.get('/api/orgs/:id/frameworks', {
    schema: { tags, summary: "The frameworks of an organisation's network", params: idParam, response: { 200: networkFrameworksResponse, ...authErrors } },
    handler: (request) => getNetworkFrameworks(db, request.actor, request.params.id),
  });
  app.put('/api/orgs/:id/frameworks', {
    schema: { tags, summary: 'Choose the frameworks a network uses', params: idParam, body: networkFrameworksBody, response: { 200: networkFrameworksResponse, ...authErrors } },
    handler: (request) => setNetworkFrameworks(db, request.actor, request.params.id, request.body.frameworkIds),
  });
}
