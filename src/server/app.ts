import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import authPlugin from './http/auth-plugin.js';
import { installErrorHandler } from './http/error-handler.js';
import type { App } from './http/types.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { routeModules } from './routes.js';

export const clientDist = fileURLToPath(new URL('../../dist/client', import.meta.url));

/**
 * Builds the whole product as one Fastify instance: used by `main.ts` and by every API test, so
 * tests exercise exactly what runs in production.
 */
export async function buildApp(opts: { db: Db; config: Config; mailer?: Mailer; serveClient?: boolean }): Promise<App> {
  const { db, config } = opts;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

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
    // The human API docs are the one public area registered by a plugin rather than by us.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), public: true };
    });
    await docs.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' }, staticCSP: true });
  });
  await app.register(authPlugin, { db });

  const deps = { db, config, mailer: opts.mailer ?? createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom }) };
  for (const register of routeModules) await register(app, deps);

  const serveClient = opts.serveClient ?? existsSync(`${clientDist}/index.html`);
  if (serveClient) await app.register(fastifyStatic, { root: clientDist, wildcard: false, index: false });
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/dev/');
    if (serveClient && wantsPage) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply.code(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` } });
  });
  return app;
}
