/**
 * Stripe's error answers. Handlers throw {@link StripeApiFailure}; the dispatcher turns it into Stripe's
 * JSON body (`{ error: { type, code, message, param, doc_url, request_log_url } }`) and status.
 */

/** The `error.type` values Stripe's v1 API uses. */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

/** Everything needed to render one Stripe error answer. */
export interface StripeErrorDetails {
  status: number;
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
}

/** A request failed the way Stripe would fail it. Internal to the simulator. */
export class StripeApiFailure extends Error {
  readonly details: StripeErrorDetails;
  /** Whether Stripe would keep this answer for idempotent replay (only once the endpoint has started work). */
  readonly storable: boolean;

  constructor(details: StripeErrorDetails, options: { storable?: boolean } = {}) {
    super(details.message);
    this.name = 'StripeApiFailure';
    this.details = details;
    this.storable = options.storable ?? false;
  }
}

/** The JSON body of an error answer, as Stripe shapes it. */
export function errorBody(details: StripeErrorDetails, requestId: string, livemode: boolean): object {
  const error: Record<string, string> = {};
  if (details.code !== undefined) {
    error.code = details.code;
    error.doc_url = `https://stripe.com/docs/error-codes/${details.code.replace(/_/g, '-')}`;
  }
  error.message = details.message;
  if (details.param !== undefined) error.param = details.param;
  error.request_log_url = `https://dashboard.stripe.com/${livemode ? '' : 'test/'}logs/${requestId}`;
  error.type = details.type;
  return { error };
}

/** 400 `invalid_request_error` raised while validating parameters (never stored for idempotency). */
export function invalidParam(message: string, param?: string, code?: string): StripeApiFailure {
  return new StripeApiFailure({
    status: 400,
    type: 'invalid_request_error',
    message,
    ...(param === undefined ? {} : { param }),
    ...(code === undefined ? {} : { code }),
  });
}

/** 404 `resource_missing` for an id this key's mode does not know. */
export function resourceMissing(noun: string, id: string, param = 'id'): StripeApiFailure {
  return new StripeApiFailure(
    {
      status: 404,
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${noun}: '${id}'`,
      param,
    },
    { storable: true },
  );
}

/** 400 for an operation the object's current state forbids (stored for idempotency: the endpoint ran). */
export function wrongState(message: string): StripeApiFailure {
  return new StripeApiFailure({ status: 400, type: 'invalid_request_error', message }, { storable: true });
}
