import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyReply } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import authPlugin, { publicRoutes } from './http/auth-plugin.js';
import { installErrorHandler } from './http/error-handler.js';
import { installNulGuard } from './http/nul-guard.js';
import type { App } from './http/types.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { routeModules } from './routes.js';

export const clientDist = fileURLToPath(new URL('../../dist/client', import.meta.url));

/**
 * What a log line says about a request. The address is kept for the API that people sign in to
 * (security reviews need it), never for survey respondents: not on their API calls, their page or
 * its files, and their codes are cut (a single-use code with an address and a time would point
 * at a child's device).
 */
export function requestForLog(req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  const signedIn = (req.url.startsWith('/api/') && !req.url.startsWith('/api/public/')) || req.url.startsWith('/dev/');
  if (!signedIn) return { method: req.method, url: req.url.replace(/^(\/api\/public\/surveys\/|\/s\/)[^/?]+/, '$1…') };
  return { method: req.method, url: req.url, host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

/**
 * Builds the whole product as one Fastify instance: used by `main.ts` and by every API test, so
 * tests exercise exactly what runs in production.
 */
export async function buildApp(opts: { db: Db; config: Config; mailer?: Mailer; serveClient?: boolean }): Promise<App> {
  const { db, config } = opts;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, serializers: { req: requestForLog } },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installNulGuard(app);

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
    // The dev outbox and API docs are same-origin pages; nothing needs cross-origin embedding.
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Schoolwell API', version: '0.1.0', description: 'Every route of the Schoolwell server. Errors are `{"error":{"code","message","field?"}}`.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sw_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(async (docs) => {
    // The human API docs and the web app's files are the public areas registered by plugins.
    publicRoutes(docs);
    await docs.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' }, staticCSP: true });
  });
  await app.register(authPlugin, { db });

  // Uploaded files (directories, instrument definitions) arrive as the raw request body; each
  // upload route sets its own size limit.
  app.addContentTypeParser(['text/csv', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  const deps = { db, config, mailer: opts.mailer ?? createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom, onError: (err, m) => app.log.error({ err, to: m.to, subject: m.subject }, 'mail not delivered') }) };
  for (const register of routeModules) await register(app, deps);

  const serveClient = opts.serveClient ?? existsSync(`${clientDist}/index.html`);
  // Every page of the web app is index.html; the router in the browser takes it from there.
  const indexHtml = serveClient ? readFileSync(`${clientDist}/index.html`) : null;
  // The anonymous survey page is its own small entry point (Preact, no session): /s/<code>.
  const respondentHtml = serveClient && existsSync(`${clientDist}/respondent.html`) ? readFileSync(`${clientDist}/respondent.html`) : null;
  if (serveClient) {
    await app.register(async (files) => {
      publicRoutes(files);
      await files.register(fastifyStatic, { root: clientDist, wildcard: false, index: false });
      if (respondentHtml) {
        // Respondents have no account: these pages are public, like the files they load. no-cache,
        // so a respondent never runs a page whose hashed scripts a new release has removed.
        const page = { schema: { hide: true } } as const;
        const send = async (_request: unknown, reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(respondentHtml);
        for (const url of ['/s', '/s/', '/s/:code']) files.get(url, page, send);
      }
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/dev/');
    if (indexHtml && wantsPage) return reply.type('text/html; charset=utf-8').send(indexHtml);
    return reply.code(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` } });
  });
  return app;
}
