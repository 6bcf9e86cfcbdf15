import { isIdentityKitError } from '../errors.js';

const STATUS_OF_CODE: Record<string, number> = {
  invalid_input: 400,
  session_not_owned: 403,
  session_not_found: 404,
  no_open_session: 404,
  attempt_in_progress: 409,
  store_unavailable: 503,
  stripe_rate_limited: 503,
};

/** JSON answer of a route handler. Links are secrets: nothing here may be cached. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** Map an error to an HTTP answer: typed errors by their code, anything else as an opaque 500. */
export function errorResponse(error: unknown): Response {
  if (isIdentityKitError(error)) {
    const status = STATUS_OF_CODE[error.code] ?? (error.code.startsWith('stripe_') ? 502 : 500);
    const headers: Record<string, string> = error.retryable ? { 'retry-after': '1' } : {};
    return json(status, { error: error.code, message: error.message, retryable: error.retryable }, headers);
  }
  return json(500, { error: 'internal_error', message: 'Unexpected error; see the server logs.' });
}
