import { z } from 'zod';
import { assertCan } from '../../../server/authz/scope.js';
import type { App, Deps } from '../../../server/http/types.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import { authErrors, errorBodySchema, okSchema } from '../../../shared/schemas.js';
import { cloneBody, exportQuery, importQuery, importResponse, instrumentDetail, instrumentIdParam, instrumentList, instrumentListQuery, saveDraftBody, versionDetail, versionParams } from '../instruments.contract.js';
import { instrumentDefinition } from '../model/instrument.schema.js';
import { convertInstrumentFile, exportInstrument, importInstrument } from './instruments.import.js';
import { cloneVersion, deleteDraft, getInstrument, getVersion, listInstruments, publishVersion, saveDraft } from './instruments.service.js';

const tags = ['instruments'];
// Generated once: the definition format as JSON Schema, for authoring outside the product.
const definitionJsonSchema = z.toJSONSchema(instrumentDefinition, { io: 'input' });

async function assertCanImport(db: Deps['db'], actor: Parameters<typeof assertCan>[0], ownerOrgId: number): Promise<void> {
  assertCan(actor, 'instrument.manage', await findOrg(db, ownerOrgId), 'Organisation');
}

/** The instrument library: list, read versions, copy into drafts, edit, publish, import, export. */
export async function instrumentRoutes(app: App, { db }: Deps): Promise<void> {
  app.get('/api/instruments/schema.json', {
    config: { public: true },
    schema: { tags, summary: 'JSON Schema of the instrument definition format', response: { 200: z.record(z.string(), z.unknown()).describe('A JSON Schema (draft 2020-12)') } },
    handler: async () => definitionJsonSchema,
  });

  app.get('/api/instruments', {
    schema: { tags, summary: 'Instruments you can use, filtered by kind, audience, framework element or words', querystring: instrumentListQuery, response: { 200: instrumentList, ...authErrors } },
    handler: async (request) => ({ items: await listInstruments(db, request.actor, request.query) }),
  });

  app.get('/api/instruments/:id', {
    schema: { tags, summary: 'One instrument and its versions', params: instrumentIdParam, response: { 200: instrumentDetail, ...authErrors } },
    handler: (request) => getInstrument(db, request.actor, request.params.id),
  });

  app.get('/api/instruments/:id/versions/:version', {
    schema: { tags, summary: 'A version: definition and publish checks', params: versionParams, response: { 200: versionDetail, ...authErrors } },
    handler: (request) => getVersion(db, request.actor, request.params.id, request.params.version),
  });

  app.post('/api/instruments/:id/versions/:version/clone', {
    schema: { tags, summary: 'Copy a version into a new draft', params: versionParams, body: cloneBody, response: { 201: versionDetail, ...authErrors, 409: errorBodySchema } },
    handler: async (request, reply) => reply.code(201).send(await cloneVersion(db, request.actor, request.params.id, request.params.version, request.body)),
  });

  app.put('/api/instruments/:id/versions/:version', {
    bodyLimit: 5 * 1024 * 1024,
    schema: { tags, summary: 'Save a draft', params: versionParams, body: saveDraftBody, response: { 200: versionDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => saveDraft(db, request.actor, request.params.id, request.params.version, request.body.definition),
  });

  app.post('/api/instruments/:id/versions/:version/publish', {
    schema: { tags, summary: 'Publish a draft (it never changes afterwards)', params: versionParams, response: { 200: versionDetail, ...authErrors, 409: errorBodySchema } },
    handler: (request) => publishVersion(db, request.actor, request.params.id, request.params.version),
  });

  app.post('/api/instruments/import', {
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Import a REDCap data dictionary, SurveyJS JSON or XLSForm (body): preview, or store as a draft',
      consumes: ['text/csv', 'application/json', 'application/octet-stream'],
      querystring: importQuery,
      response: { 200: importResponse, 201: importResponse, ...authErrors, 409: errorBodySchema },
    },
    handler: async (request, reply) => {
      const q = request.query;
      const data = Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? ''));
      const opts = { id: q.id, kind: q.kind, audience: q.audience, title: q.title, format: q.format, fileName: q.fileName };
      if (q.preview) {
        // A preview still needs the right to import somewhere, checked on the chosen owner.
        await assertCanImport(db, request.actor, q.ownerOrgId);
        return { ...(await convertInstrumentFile(data, opts)), stored: false };
      }
      const result = await importInstrument(db, request.actor, data, { ...opts, ownerOrgId: q.ownerOrgId });
      return reply.code(201).send({ ...result, stored: true });
    },
  });

  app.get('/api/instruments/:id/versions/:version/export', {
    schema: {
      tags,
      summary: 'A version as a REDCap data dictionary (CSV) or SurveyJS JSON',
      params: versionParams,
      querystring: exportQuery,
      produces: ['text/csv', 'application/json'],
      response: { 200: z.string().describe('The file: CSV text or JSON text'), ...authErrors },
    },
    handler: async (request, reply) => {
      const v = await getVersion(db, request.actor, request.params.id, request.params.version);
      const file = exportInstrument(v.definition, request.query.format, request.query.lang);
      return reply.type(file.type).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    },
  });

  app.delete('/api/instruments/:id/versions/:version', {
    schema: { tags, summary: 'Delete a draft', params: versionParams, response: { 200: okSchema, ...authErrors, 409: errorBodySchema } },
    handler: async (request) => {
      await deleteDraft(db, request.actor, request.params.id, request.params.version);
      return { ok: true as const };
    },
  });
}
