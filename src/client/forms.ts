import { ApiError } from './api.js';

/** The server's message for one field, to show under that input. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.message : undefined;
}

/** True when the error belongs to a field the form shows, so no general alert is needed. */
export function isFieldError(error: unknown, fields: string[]): boolean {
  return error instanceof ApiError && !!error.field && fields.includes(error.field);
}
