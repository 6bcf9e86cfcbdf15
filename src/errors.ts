/**
 * Errors thrown by stripe-identity-kit.
 *
 * Expected outcomes (a limit reached, an alternative needed) are values in `StartResult`; what throws is a
 * programmer error (bad options, a session that belongs to someone else) or an infrastructure fault (the
 * store or Stripe cannot answer). Every error carries a stable `code` to switch on.
 */

/** Every `code` an {@link IdentityKitError} can carry. Stable across minor versions. */
export type IdentityKitErrorCode =
  | 'config_invalid'
  | 'invalid_input'
  | 'session_not_owned'
  | 'session_not_found'
  | 'no_open_session'
  | 'store_unavailable'
  | 'store_unsupported'
  | 'attempt_in_progress'
  | 'rate_limited'
  | 'webhook_signature_invalid'
  | 'stripe_invalid_request'
  | 'stripe_authentication'
  | 'stripe_permission'
  | 'stripe_rate_limited'
  | 'stripe_idempotency'
  | 'stripe_api'
  | 'stripe_connection'
  | 'stripe_unknown';

/** Base class of every error the library throws on purpose. */
export class IdentityKitError extends Error {
  /** Stable, machine-readable identifier of the failure. */
  readonly code: IdentityKitErrorCode;
  /** Whether repeating the same call later can succeed without changing anything. */
  readonly retryable: boolean;

  constructor(
    code: IdentityKitErrorCode,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** True when `error` is any error thrown by this library (works across duplicated module copies). */
export function isIdentityKitError(error: unknown): error is IdentityKitError {
  return (
    error instanceof IdentityKitError ||
    (error instanceof Error &&
      typeof (error as { code?: unknown }).code === 'string' &&
      (error as { isIdentityKitError?: unknown }).isIdentityKitError === true)
  );
}
Object.defineProperty(IdentityKitError.prototype, 'isIdentityKitError', { value: true });

/** The options given to a constructor are invalid or unsafe; the message names the path and the fix. */
export class ConfigError extends IdentityKitError {
  /** Dotted path of the offending option, such as `limits.maxSubmissions`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super('config_invalid', path ? `${path}: ${message}` : message);
    this.path = path;
  }
}

/** An argument to a method is malformed (for example an empty user id). */
export class InvalidInputError extends IdentityKitError {
  constructor(message: string) {
    super('invalid_input', message);
  }
}

/** The session belongs to another user; nothing was read or changed. */
export class SessionOwnershipError extends IdentityKitError {
  readonly sessionId: string;
  constructor(sessionId: string) {
    super(
      'session_not_owned',
      `Verification session ${sessionId} does not belong to this user; nothing was read or changed. ` +
        'Check that the user id comes from your authenticated session, not from the request body.',
    );
    this.sessionId = sessionId;
  }
}

/** There is no session to act on (for example `cancel()` for a user with no open session). */
export class NoSessionError extends IdentityKitError {
  constructor(code: 'session_not_found' | 'no_open_session', message: string) {
    super(code, message);
  }
}

/** The store could not answer. The library fails closed: nothing was created at Stripe. */
export class StoreUnavailableError extends IdentityKitError {
  constructor(message: string, cause?: unknown) {
    super('store_unavailable', message, { retryable: true, cause });
  }
}

/** The store cannot be used correctly against this server (for example Redis without Lua scripting). */
export class StoreUnsupportedError extends IdentityKitError {
  constructor(message: string) {
    super('store_unsupported', message);
  }
}

/** Another request is creating this user's session right now and did not finish in time. */
export class AttemptInProgressError extends IdentityKitError {
  /** @param _userId kept for source compatibility; the message never names the user (apps log messages). */
  constructor(_userId?: string) {
    super(
      'attempt_in_progress',
      'Another request is creating a verification session for this user; retry in a moment.',
      { retryable: true },
    );
  }
}

/**
 * The user asked for Stripe calls faster than `limits.linkRefreshesPerMinute` allows (for example a
 * cancel clicked in a loop). Nothing was sent to Stripe; retry at `retryAt`.
 */
export class RateLimitedError extends IdentityKitError {
  /** When the next call for this user will be allowed. */
  readonly retryAt: Date;
  constructor(retryAt: Date) {
    super(
      'rate_limited',
      `Too many verification requests for this user; nothing was sent to Stripe. Retry after ${retryAt.toISOString()}.`,
      { retryable: true },
    );
    this.retryAt = retryAt;
  }
}

/** Which Stripe error class a failed Stripe call maps to. */
export type StripeErrorCode = Extract<IdentityKitErrorCode, `stripe_${string}`>;

/**
 * A Stripe API call failed. `indeterminate` is true when Stripe may have acted anyway (connection errors
 * and 5xx): the library reconciles by listing the user's sessions before it creates again.
 */
export class StripeRequestError extends IdentityKitError {
  /** Stripe's request id (`req_…`), when Stripe answered. Quote it to Stripe support. */
  readonly requestId: string | null;
  /** HTTP status Stripe answered with, or `null` when no answer arrived. */
  readonly statusCode: number | null;
  /** Stripe's own error `code` (such as `resource_missing`), when given. */
  readonly stripeCode: string | null;
  /** True when the request may have taken effect at Stripe even though it failed here. */
  readonly indeterminate: boolean;
  /**
   * True when Stripe answered from its idempotency cache (`Idempotent-Replayed: true`): the failure is
   * the stored outcome of an earlier request with the same key, final for that key.
   */
  readonly idempotentReplayed: boolean;

  constructor(
    code: StripeErrorCode,
    message: string,
    details: {
      requestId?: string | null;
      statusCode?: number | null;
      stripeCode?: string | null;
      retryable: boolean;
      indeterminate: boolean;
      idempotentReplayed?: boolean;
      cause?: unknown;
    },
  ) {
    super(code, message, { retryable: details.retryable, cause: details.cause });
    this.idempotentReplayed = details.idempotentReplayed ?? false;
    this.requestId = details.requestId ?? null;
    this.statusCode = details.statusCode ?? null;
    this.stripeCode = details.stripeCode ?? null;
    this.indeterminate = details.indeterminate;
  }
}

/** Why a webhook signature check failed; each has its own message saying what to fix. */
export type WebhookSignatureReason =
  | 'missing_header'
  | 'malformed_header'
  | 'no_v1_signature'
  | 'no_matching_signature'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'missing_secret'
  | 'body_not_raw'
  | 'body_empty';

/** A webhook request failed signature verification; answer it with 400. */
export class WebhookSignatureError extends IdentityKitError {
  /** The specific failure, for logs and metrics. */
  readonly reason: WebhookSignatureReason;
  constructor(reason: WebhookSignatureReason, message: string) {
    super('webhook_signature_invalid', message);
    this.reason = reason;
  }
}
