import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode } from '../../shared/errors.js';
import { sqlState } from '../db/client.js';
import { AppError } from './errors.js';

/** Unique constraints whose violation is the fault of one request field. */
const uniqueFields: Record<string, string> = {
  organizations_state_code_key: 'code',
  organizations_top_code_key: 'code',
  users_email_key: 'email',
  goal_proposals_assessment_slot_key: 'slotId',
};

function constraintOf(err: unknown): string | undefined {
  let e = err as { constraint?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 3; i++) {
    if (typeof e.constraint === 'string') return e.constraint;
    e = e.cause as typeof e;
  }
  return undefined;
}

function body(code: ErrorCode, message: string, field?: string): ErrorBody {
  return { error: field ? { code, message, field } : { code, message } };
}

/**
 * The one place errors become responses: AppError keeps its code, schema failures name the field,
 * known PostgreSQL states map to 4xx, everything else is a 500 whose details stay in the log.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.code(err.statusCode).send(body(err.code, err.message, err.field));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0];
      const where = err.validationContext ?? 'body';
      const fieldPath = issue?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || undefined;
      const field = fieldPath ?? (issue?.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.');
      const message = `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid value'} (in ${where})`;
      return reply.code(400).send(body('validation_failed', message, field || undefined));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return reply.code(500).send(body('internal', 'Something went wrong on our side.'));
    }
    const state = sqlState(err);
    if (state === '23505') {
      const field = uniqueFields[constraintOf(err) ?? ''];
      return reply.code(409).send(body('conflict', field ? `That ${field} is already in use.` : 'That value is already in use.', field));
    }
    if (state === '23503') return reply.code(409).send(body('conflict', 'A linked record is missing or still in use.'));
    // Malformed or out-of-range values the schema let through (encodings, dates, numbers).
    if (state && ['22P02', '22003', '22021', '22P05', '22007', '22008'].includes(state)) return reply.code(400).send(body('validation_failed', 'A value has the wrong format or is out of range.'));
    if (err.statusCode === 429) {
      return reply.code(429).send(body('rate_limited', 'Too many attempts. Wait a moment and try again.'));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(body('payload_too_large', 'The upload is too large.'));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(body('bad_request', err.message));
    }
    // A failed query's message carries its parameters: for survey respondents that is their
    // answers. Their routes log the kind of failure only.
    if (request.routeOptions.config?.anonymous === true) request.log.error({ sqlState: state ?? null, name: err.name }, 'unhandled error on an anonymous route');
    else request.log.error({ err }, 'unhandled error');
    return reply.code(500).send(body('internal', 'Something went wrong on our side.'));
  });
}
