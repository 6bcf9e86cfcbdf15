import { type IdentityKitErrorCode, isIdentityKitError } from '../errors.js';
import type { SafeLogger } from '../policies/privacy.js';

/**
 * What each error code answers over HTTP. The message is fixed per code: an error's own message can name
 * a database host, a role or a table (store drivers put them there), so it never reaches a response body.
 */
const ANSWERS: Partial<Record<IdentityKitErrorCode, { status: number; message: string }>> = {
  invalid_input: { status: 400, message: 'The request is not valid.' },
  session_not_owned: { status: 403, message: 'This verification session belongs to another user.' },
  session_not_found: { status: 404, message: 'No such verification session for this user.' },
  no_open_session: { status: 404, message: 'There is no open verification session to act on.' },
  attempt_in_progress: {
    status: 409,
    message: 'Another request is starting verification for this user; retry in a moment.',
  },
  rate_limited: { status: 429, message: 'Too many verification requests; retry shortly.' },
  store_unavailable: { status: 503, message: 'Verification is unavailable right now; retry in a moment.' },
  stripe_rate_limited: { status: 503, message: 'Verification is busy right now; retry in a moment.' },
  stripe_connection: { status: 503, message: 'Verification is unavailable right now; retry in a moment.' },
  stripe_api: { status: 503, message: 'Verification is unavailable right now; retry in a moment.' },
  stripe_idempotency: {
    status: 409,
    message: 'Another request is starting verification for this user; retry in a moment.',
  },
};

const INTERNAL = { status: 500, message: 'Unexpected error; see the server logs.' };

/** Seconds a client should wait before repeating a retryable request. */
const RETRY_AFTER_SECONDS = '1';

/** JSON answer of a route handler. Links are secrets: nothing here may be cached. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** An error answer in the routes' one shape: `{ error, message }`, plus `retryable` when it is. */
export function problem(
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error, message }, headers);
}

/**
 * Map an error to an HTTP answer: typed errors by their code with the fixed message of that code,
 * anything else as an opaque 500. What went wrong goes to the service's safe logger (allow-listed fields
 * only), never into the body.
 */
export function errorResponse(error: unknown, log: SafeLogger, now: () => number = Date.now): Response {
  const code = isIdentityKitError(error) ? error.code : 'internal_error';
  const known = isIdentityKitError(error) ? ANSWERS[error.code] : undefined;
  const { status, message } = known ?? INTERNAL;
  const retryable = isIdentityKitError(error) && error.retryable;
  const fields: Record<string, unknown> = {
    code,
    statusCode: status,
    reason: error instanceof Error ? error.name : typeof error,
  };
  const stripeRequestId = (error as { requestId?: unknown } | null)?.requestId;
  if (typeof stripeRequestId === 'string') fields.requestId = stripeRequestId;
  if (status >= 500) log.error('verification route failed', fields);
  else log.debug('verification route refused', fields);
  return json(
    status,
    retryable ? { error: code, message, retryable } : { error: code, message },
    retryable ? { 'retry-after': retryAfter(error, now) } : {},
  );
}

/**
 * Seconds until `retryAt` for errors that know it (the link cap), else the default pause. Counted on the
 * service's clock (`now` option), the one `retryAt` was set on.
 */
function retryAfter(error: unknown, now: () => number): string {
  const at = (error as { retryAt?: unknown } | null)?.retryAt;
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) return RETRY_AFTER_SECONDS;
  return String(Math.max(1, Math.ceil((at.getTime() - now()) / 1000)));
}
