import type { ErrorBody, ErrorCode } from '../shared/errors.js';

/** An error answered by the API, with its stable code and the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
/** The session's CSRF token, sent with every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Calls the JSON API; throws ApiError for any non-2xx answer. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, init?: { rawBody?: Blob; contentType?: string }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (init?.rawBody) {
    payload = init.rawBody;
    headers['content-type'] = init.contentType ?? 'application/octet-stream';
  } else if (body !== undefined || method !== 'GET') {
    payload = JSON.stringify(body ?? {});
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's error page or a cut-off answer: report it as a server problem, not a crash.
    throw new ApiError(res.status || 0, res.status >= 500 || !res.ok ? 'internal' : 'network', 'The server sent an answer that could not be read.');
  }
  if (!res.ok) {
    const err = (json as ErrorBody | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'internal', err?.message ?? res.statusText, err?.field);
  }
  return json as T;
}

/**
 * Sends a request whose answer is a file (a PDF of survey codes): the same CSRF header and
 * session as `api`, the body as a Blob, and the file name the server suggests.
 */
export async function apiDownload(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ blob: Blob; fileName: string | null }> {
  const headers: Record<string, string> = { accept: 'application/pdf, application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
  if (!res.ok) {
    const err = ((await res.json().catch(() => undefined)) as ErrorBody | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'internal', err?.message ?? res.statusText, err?.field);
  }
  const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? null;
  return { blob: await res.blob(), fileName };
}
