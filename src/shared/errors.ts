/**
 * Stable error codes shared by the server and the UI. The UI translates by code; the server's
 * English message is the fallback.
 */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'csrf_failed',
  'invalid_credentials',
  'invalid_token',
  'not_a_directory',
  'bad_file',
  'payload_too_large',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}
