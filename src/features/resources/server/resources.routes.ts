import { z } from 'zod';
import { storageFor } from '../../../server/files/storage.js';
import type { App, Deps } from '../../../server/http/types.js';
import { authErrors, errorBodySchema, idParam, okSchema } from '../../../shared/schemas.js';
import {
  collectionList, createResourceBody, fileQuery, recommendations, recommendQuery, resourceDetail, resourcePatch, reviewBody, searchQuery, searchResult, suggestionList, suggestionsQuery, suggestResourceBody,
} from '../resources.contract.js';
import { recommendResources, searchResources } from './resources.search.js';
import {
  createResource, deleteResource, getResource, getResourceFile, listCollections, listSuggestions, MAX_RESOURCE_FILE, putResourceFile, reviewSuggestion, suggestResource, updateResource,
} from './resources.service.js';

const tags = ['resources'];
const ok = async () => ({ ok: true as const });

/** The resource library: search, recommendations, curation, suggestions, files and collections. */
export async function resourceRoutes(app: App, { db, config }: Deps): Promise<void> {
  const storage = storageFor(config);
  app.get('/api/resources', {
    schema: { tags, summary: 'Search the library (full text in three languages, typo-tolerant) with tag facets', querystring: searchQuery, response: { 200: searchResult, ...authErrors } },
    handler: async (request) => searchResources(db, request.actor, request.query),
  });
  app.get('/api/resources/recommended', {
    schema: { tags, summary: 'Resources tagged with the same framework elements, best matches first', querystring: recommendQuery, response: { 200: recommendations, ...authErrors } },
    handler: async (request) => recommendResources(db, request.actor, request.query),
  });
  app.get('/api/resource-collections', {
    schema: { tags, summary: 'Curated collections of the library', response: { 200: collectionList, ...authErrors } },
    handler: async (request) => listCollections(db, request.actor),
  });
  app.get('/api/resources/suggestions', {
    schema: { tags, summary: 'Suggestions waiting for a network\'s curators', querystring: suggestionsQuery, response: { 200: suggestionList, ...authErrors } },
    handler: async (request) => ({ items: await listSuggestions(db, request.actor, request.query.networkId) }),
  });
  app.get('/api/resources/:id', {
    schema: { tags, summary: 'A resource', params: idParam, response: { 200: resourceDetail, ...authErrors } },
    handler: async (request) => getResource(db, request.actor, request.params.id),
  });
  app.post('/api/resources', {
    schema: { tags, summary: 'Add a resource to a network\'s library (its curators)', body: createResourceBody, response: { 201: resourceDetail, ...authErrors } },
    handler: async (request, reply) => reply.code(201).send(await createResource(db, request.actor, request.body)),
  });
  app.post('/api/resources/suggestions', {
    schema: { tags, summary: 'Suggest a resource for the library', body: suggestResourceBody, response: { 201: resourceDetail, ...authErrors } },
    handler: async (request, reply) => reply.code(201).send(await suggestResource(db, request.actor, request.body)),
  });
  app.post('/api/resources/:id/review', {
    schema: { tags, summary: 'Publish or decline a suggestion', params: idParam, body: reviewBody, response: { 200: resourceDetail, ...authErrors, 409: errorBodySchema } },
    handler: async (request) => reviewSuggestion(db, request.actor, request.params.id, request.body.decision, request.body.note),
  });
  app.patch('/api/resources/:id', {
    schema: { tags, summary: 'Change a resource', params: idParam, body: resourcePatch, response: { 200: resourceDetail, ...authErrors } },
    handler: async (request) => updateResource(db, request.actor, request.params.id, request.body),
  });
  app.delete('/api/resources/:id', {
    schema: { tags, summary: 'Remove a resource and its file', params: idParam, response: { 200: okSchema, ...authErrors } },
    handler: async (request) => deleteResource(db, request.actor, storage, request.params.id).then(ok),
  });
  app.put('/api/resources/:id/file', {
    bodyLimit: MAX_RESOURCE_FILE,
    schema: {
      tags,
      summary: 'Upload the resource\'s file (the bytes as application/octet-stream; name and type in the query)',
      params: idParam,
      querystring: fileQuery.extend({ type: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'Give a media type such as application/pdf.').default('application/octet-stream') }),
      consumes: ['application/octet-stream'],
      response: { 200: resourceDetail, ...authErrors, 413: errorBodySchema },
    },
    handler: async (request) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return putResourceFile(db, request.actor, storage, request.params.id, { body, name: request.query.name, type: request.query.type });
    },
  });
  app.get('/api/resources/:id/file', {
    schema: { tags, summary: 'Download the resource\'s file', params: idParam, produces: ['application/octet-stream', 'application/json'], response: { 200: z.string().describe('The file'), ...authErrors } },
    handler: async (request, reply) => {
      const file = await getResourceFile(db, request.actor, storage, request.params.id);
      // Served as a download with its own type, never rendered inline as this site's page.
      return reply
        .type(file.type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(file.body as unknown as string);
    },
  });
}
