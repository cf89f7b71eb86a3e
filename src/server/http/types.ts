import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Mailer } from '../mail/mailer.js';

/** The Fastify instance routes are registered on, typed by Zod schemas. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What route modules get: the database, settings and outgoing mail. */
export interface Deps {
  db: Db;
  config: Config;
  mailer: Mailer;
}
