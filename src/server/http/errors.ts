import type { ErrorCode } from '../../shared/errors.js';

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  not_a_directory: 400,
  bad_file: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  invalid_token: 410,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** The one error family of the server: a stable code, a message for people, the field at fault. */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = statusByCode[code];
  }
}

/** Missing and out-of-scope answer alike, so existence never leaks. */
export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found.`);
export const forbidden = (message = 'Your role does not allow this action.') => new AppError('forbidden', message);
export const badRequest = (message: string, field?: string) => new AppError('validation_failed', message, field);
export const conflict = (message: string, field?: string) => new AppError('conflict', message, field);
