import type Stripe from 'stripe';

/** `T` with every property optional, at every depth (arrays are replaced whole). */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** How the simulator behaves; every field is optional and every default is deterministic. */
export interface IdentitySimulatorOptions {
  /** Ids, secrets, fault dice and delivery shuffles all derive from it (default 1). */
  seed?: number;
  /**
   * Initial clock in ms (default `Date.UTC(2026, 0, 1)`, or now with `wallClock`); without `wallClock` the
   * simulator never reads the wall clock for state.
   */
  startTime?: number;
  /**
   * The clock follows real time (what `stripe-identity-kit simulate` uses): it starts at `Date.now()` unless
   * `startTime` is given, and each request, plus a timer every 250 ms, moves it on by the real time elapsed.
   * `advance()` still jumps ahead. Default false: simulated time moves only with `advance()`.
   */
  wallClock?: boolean;
  /**
   * Accepted API keys. Default: any `sk_test_`, `rk_test_`, `sk_live_` or `rk_live_` key with a body of
   * at least one character. Live keys see live objects only, test keys test objects only.
   */
  apiKeys?: string[];
  /**
   * Restricted keys (`rk_…`) limited to some resources; a request outside them gets Stripe's 403 permission
   * error. Keys not listed have every permission. Example: `{ rk_test_ops: ['account', 'webhook_endpoints'] }`.
   */
  restrictedKeyPermissions?: Record<string, Array<'identity' | 'account' | 'webhook_endpoints'>>;
  /** Merged (deeply) into the response of `GET /v1/account`: any part of it may be given. */
  account?: DeepPartial<Stripe.Account>;
  /** Webhook delivery behaviour. */
  webhooks?: SimulatorWebhookOptions;
  /** Simulated time a redaction takes before `redaction.status` becomes `redacted` (default 60 000 ms). */
  redactionDelayMs?: number;
  /** API version stamped on events and responses when the caller sends none (default stripe-node's). */
  apiVersion?: string;
  /** Called once per API call when its answer is known (what `sim.requests` then holds for it). */
  onRequest?: (request: SimulatorRequest) => void;
  /** Called after each webhook delivery attempt (what `sim.deliveries` then holds for it). */
  onDelivery?: (delivery: WebhookDelivery) => void;
}

/** Webhook delivery options. Delays are simulated time: they elapse with `advance()` or `flushWebhooks()`. */
export interface SimulatorWebhookOptions {
  /** Deliver due events on their own, right after they are created (default true). */
  autoDeliver?: boolean;
  /** Fraction (0..1, seeded) of deliveries that are sent a second time, as Stripe occasionally does. */
  duplicateRate?: number;
  /** Each delivery waits a seeded random time in this range (ms, simulated) before it is due. */
  delayMs?: [number, number];
  /** Deliver pending events in a seeded random order instead of creation order. */
  reorder?: boolean;
  /** Attempts per event and endpoint, the first included (default 3). */
  maxAttempts?: number;
  /** Simulated wait before the first retry; it doubles on each further retry (default 60 000 ms). */
  retryDelayMs?: number;
  /** Wall-clock timeout of one delivery, response body included (default 10 000 ms); a timeout is an error attempt. */
  timeoutMs?: number;
}

/** A fault to inject into API requests (never into the hosted page or webhook deliveries). */
export type FaultSpec = {
  /** `http_500` answers Stripe's `api_error`; `http_429` a `rate_limit`; `reset` drops the connection; `slow` delays. */
  kind: 'http_500' | 'http_429' | 'reset' | 'slow';
  /** Which requests: `method` (case-insensitive) and `path` (exact pathname, or a RegExp tested on it). */
  match?: { method?: string; path?: string | RegExp };
  /** How many matching requests the fault applies to (default 1). */
  count?: number;
  /**
   * 'before' (default): nothing happens at "Stripe". 'after': the operation IS applied, then the response
   * fails (indeterminate). 'inside' (`http_500` only): the endpoint fails while running, nothing is
   * applied, and Stripe keeps the 500 for the request's idempotency key: a retry with the same key gets
   * it replayed (`Idempotent-Replayed: true`), as Stripe documents.
   */
  phase?: 'before' | 'after' | 'inside';
  /** Wall-clock delay for `slow` (default 1000 ms). */
  delayMs?: number;
};

/** One API call as the simulator saw it. Holds no key, body, link or personal data. */
export interface SimulatorRequest {
  method: string;
  /** Pathname, without the query string. */
  path: string;
  /** Decoded query parameters (nested like Stripe's bracket notation). */
  query: Record<string, unknown>;
  idempotencyKey: string | null;
  /** HTTP status answered, `'reset'` when the connection was dropped, 0 while the answer is still pending. */
  status: number | 'reset';
  /** `Request-Id` of the answer (also set for a dropped connection, though the client never saw it). */
  requestId: string;
  /** Simulated time of the call (ms). */
  at: number;
  /** True when the answer was an idempotent replay of an earlier one. */
  replayed: boolean;
  /** The injected fault that shaped this answer, if any. */
  fault: FaultSpec['kind'] | null;
}

/** One attempt to deliver one event to one endpoint. */
export interface WebhookDelivery {
  eventId: string;
  endpointId: string;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  /** HTTP status the endpoint answered, or `'error'` when it could not be reached or threw. */
  status: number | 'error';
  /** Simulated time of the attempt (ms). */
  at: number;
  /** True for the extra copy sent because of `duplicateRate`. */
  duplicate: boolean;
}

/** What {@link IdentitySimulator.addWebhookEndpoint} accepts. */
export interface WebhookEndpointInput {
  /** Delivery by real HTTP POST (for example a server on 127.0.0.1). */
  url?: string;
  /** Delivery in-process: the simulator calls it with a Web `Request` and reads its `Response`. */
  handler?: (req: Request) => Promise<Response>;
  /** Event types; default `['*']`, which (as at Stripe) excludes `identity.verification_session.redacted`. */
  enabledEvents?: string[];
  /** Signing secret; default a seeded `whsec_…`. */
  secret?: string;
  /** `api_version` stamped on events sent to this endpoint. */
  apiVersion?: string;
  /** Mode of the endpoint (default false): it receives events of that mode only. */
  livemode?: boolean;
}

/** Where {@link IdentitySimulator.listen} serves; spread into `new Stripe(key, { host, port, protocol })`. */
export interface SimulatorListenTarget {
  host: string;
  port: number;
  protocol: 'http';
  /**
   * `http://127.0.0.1:<port>`; hosted verification pages live under `${baseUrl}/verify/`. Not enumerable, so
   * `new Stripe(key, { ...target })` works (stripe-node refuses unknown config keys).
   */
  baseUrl: string;
}

/**
 * State of a hosted-page `url` or a `client_secret`. Both are single-use: opening the page (or using the
 * secret) consumes it. `revoked` means a newer link replaced it or the session stopped accepting input.
 */
export type LinkStatus = 'active' | 'used' | 'expired' | 'revoked' | 'unknown';

/** One visit to a hosted verification page (the link itself is never recorded). */
export interface HostedPageVisit {
  method: 'GET' | 'POST';
  /** The session the link belonged to, when the link was known. */
  sessionId: string | null;
  /** Link status found on arrival. */
  linkStatus: LinkStatus;
  /** HTTP status answered. */
  status: number;
  /** The outcome chosen on a POST, if any. */
  outcome: string | null;
  at: number;
}
