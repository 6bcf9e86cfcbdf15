import { type StripeErrorCode, StripeRequestError } from '../errors.js';
import { headerOf } from './headers.js';

interface StripeLikeError {
  type?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  requestId?: string;
  raw?: { code?: string };
  headers?: unknown;
}

const byType: Record<
  string,
  { code: StripeErrorCode; retryable: boolean; indeterminate: boolean; hint: string }
> = {
  StripeInvalidRequestError: {
    code: 'stripe_invalid_request',
    retryable: false,
    indeterminate: false,
    hint: 'Stripe refused the request as invalid; check the session options and the session state.',
  },
  StripeAuthenticationError: {
    code: 'stripe_authentication',
    retryable: false,
    indeterminate: false,
    hint: 'Stripe refused the API key; check STRIPE_SECRET_KEY (rolled or deleted keys fail here).',
  },
  StripePermissionError: {
    code: 'stripe_permission',
    retryable: false,
    indeterminate: false,
    hint: 'the key lacks a permission; a restricted key needs the Identity permissions for this call.',
  },
  StripeRateLimitError: {
    code: 'stripe_rate_limited',
    retryable: true,
    indeterminate: false,
    hint: 'Stripe rate-limited the request; retry with backoff.',
  },
  StripeIdempotencyError: {
    code: 'stripe_idempotency',
    retryable: false,
    indeterminate: false,
    hint: 'an idempotency key was reused with other parameters; the session configuration changed mid-attempt.',
  },
  StripeAPIError: {
    code: 'stripe_api',
    retryable: true,
    indeterminate: true,
    hint: 'Stripe had an internal error; the request may or may not have taken effect.',
  },
  StripeConnectionError: {
    code: 'stripe_connection',
    retryable: true,
    indeterminate: true,
    hint: 'the connection to Stripe failed; the request may or may not have taken effect.',
  },
};

/** Map anything stripe-node threw into a {@link StripeRequestError} users can switch on. */
export function toStripeRequestError(error: unknown, operation: string): StripeRequestError {
  if (error instanceof StripeRequestError) return error;
  const stripeError = (typeof error === 'object' && error !== null ? error : {}) as StripeLikeError;
  const known = stripeError.type ? byType[stripeError.type] : undefined;
  const statusCode = typeof stripeError.statusCode === 'number' ? stripeError.statusCode : null;
  const serverSide = statusCode !== null && statusCode >= 500;
  const mapping = known ?? {
    code: 'stripe_unknown' as const,
    retryable: serverSide,
    indeterminate: serverSide || statusCode === null,
    hint: 'an unexpected error came from the Stripe client.',
  };
  // 409: the first request with this idempotency key is still running at Stripe (stripe-node calls it a
  // StripeAPIError). Its outcome is unknown until that request ends.
  const keyInUse = statusCode === 409;
  const detail = stripeError.message ? ` Stripe said: ${stripeError.message}` : '';
  return new StripeRequestError(mapping.code, `Stripe ${operation} failed: ${mapping.hint}${detail}`, {
    requestId: stripeError.requestId ?? null,
    statusCode,
    stripeCode: stripeError.code ?? stripeError.raw?.code ?? null,
    retryable: mapping.retryable || keyInUse,
    indeterminate: mapping.indeterminate || keyInUse,
    idempotentReplayed: headerOf(stripeError.headers, 'idempotent-replayed') === 'true',
    cause: error,
  });
}
