/**
 * One API request, start to finish, independent of transport: authentication, injected faults,
 * idempotency, the endpoint itself, Stripe's error bodies and headers, and the request log.
 */
import type { ApiCall, ApiHandler, ApiServices } from './api/context.js';
import { findRoute } from './api/routes.js';
import { errorBody, StripeApiFailure, type StripeErrorDetails } from './api-error.js';
import { authenticate } from './auth.js';
import type { SimulatorClock } from './clock.js';
import type { FaultInjector } from './faults.js';
import { parseForm, toPlain } from './form.js';
import type { IdempotencyStore, StoredAnswer } from './idempotency.js';
import { checkPermission, type SimulatorResource } from './permissions.js';
import type { IdFactory } from './random.js';
import type { FaultSpec, SimulatorRequest } from './types.js';

/** A request as a transport adapter hands it over. Header names are lower-case. */
export interface RawApiRequest {
  method: string;
  path: string;
  /** Query string without `?`. */
  query: string;
  headers: Record<string, string | undefined>;
  body: string;
}

/** What the adapter must do: answer, or drop the connection. */
export type ApiOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'reset' };

/** What the dispatcher needs from the simulator. */
export interface DispatcherDeps {
  services: ApiServices;
  ids: IdFactory;
  clock: SimulatorClock;
  faults: FaultInjector;
  idempotency: IdempotencyStore;
  apiKeys: readonly string[] | undefined;
  /** Restricted keys limited to some resources (others have every permission). */
  permissions: Readonly<Record<string, readonly SimulatorResource[]>> | undefined;
  /** Waits `ms` of wall-clock time (rejects when the simulator closes). */
  sleep: (ms: number) => Promise<void>;
  log: (entry: SimulatorRequest) => void;
}

const JSON_OPTIONS_SPACES = 2;

function serialize(body: object): string {
  return `${JSON.stringify(body, null, JSON_OPTIONS_SPACES)}\n`;
}

const FAULT_ERRORS: Record<'http_500' | 'http_429', StripeErrorDetails> = {
  http_500: {
    status: 500,
    type: 'api_error',
    message: 'An unknown error occurred while processing the request.',
  },
  http_429: {
    status: 429,
    type: 'invalid_request_error',
    code: 'rate_limit',
    message:
      'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
  },
};

/** Runs API requests against the simulator's state. */
export class ApiDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** Handles one request; it is logged on arrival and the log entry completed with the answer. */
  async handle(req: RawApiRequest): Promise<ApiOutcome> {
    const { deps } = this;
    const requestId = deps.ids.request();
    const at = deps.clock.now();
    const method = req.method.toUpperCase();
    const idempotencyKey = req.headers['idempotency-key'] ?? null;
    const entry: SimulatorRequest = {
      method,
      path: req.path,
      query: {},
      idempotencyKey,
      status: 0,
      requestId,
      at,
      replayed: false,
      fault: null,
    };
    deps.log(entry);
    let livemode = false;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'request-id': requestId,
      'stripe-version': req.headers['stripe-version'] ?? deps.services.apiVersion,
    };
    if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
    const answer = (status: number, body: string): ApiOutcome => {
      entry.status = status;
      return { kind: 'response', status, headers, body };
    };
    const fail = (details: StripeErrorDetails): ApiOutcome =>
      answer(details.status, serialize(errorBody(details, requestId, livemode)));
    const injected = (fault: FaultSpec): ApiOutcome => {
      entry.fault = fault.kind;
      if (fault.kind === 'reset') {
        entry.status = 'reset';
        return { kind: 'reset' };
      }
      return fail(FAULT_ERRORS[fault.kind as 'http_500' | 'http_429']);
    };
    try {
      const query = parseForm(req.query);
      entry.query = toPlain(query) as Record<string, unknown>;
      const key = authenticate(req.headers.authorization, deps.apiKeys);
      livemode = key.livemode;
      checkPermission(key, deps.permissions, method, req.path);
      const route = findRoute(method, req.path);
      if (!route) {
        throw new StripeApiFailure({
          status: 404,
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        });
      }
      const params = method === 'GET' || method === 'DELETE' ? query : parseForm(req.body);
      const useKey = method === 'POST' && idempotencyKey !== null;
      if (useKey && idempotencyKey.length > 255) {
        throw new StripeApiFailure({
          status: 400,
          type: 'invalid_request_error',
          message: 'Idempotency-Key must be at most 255 characters long.',
        });
      }
      // Faults model the network and Stripe's front door, so they hit replays too.
      const fault = deps.faults.pick(method, req.path);
      const before = fault !== null && (fault.phase ?? 'before') === 'before';
      if (fault && before && fault.kind !== 'slow') return injected(fault);
      let outcome: ApiOutcome | null = null;
      if (useKey) {
        const fingerprint = `${method} ${req.path} ${JSON.stringify(toPlain(params))}`;
        const verdict = deps.idempotency.begin(key.key, idempotencyKey, fingerprint, at);
        if (verdict.kind === 'mismatch') {
          return fail({
            status: 400,
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          });
        }
        if (verdict.kind === 'in_flight') {
          return fail({
            status: 409,
            type: 'idempotency_error',
            message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`,
          });
        }
        if (verdict.kind === 'replay') outcome = this.replay(verdict.answer, headers, entry);
      }
      if (fault?.kind === 'slow') {
        entry.fault = 'slow';
        if (before) await deps.sleep(fault.delayMs ?? 1000);
      }
      if (outcome === null && fault?.phase === 'inside') {
        // The endpoint started and failed: nothing applied, and the 500 is what the key now answers.
        entry.fault = fault.kind;
        const details = FAULT_ERRORS.http_500;
        const body = serialize(errorBody(details, requestId, livemode));
        if (useKey)
          deps.idempotency.finish(key.key, idempotencyKey, { status: details.status, body, requestId });
        outcome = answer(details.status, body);
      }
      if (outcome === null) {
        const result = this.execute(route.handler, {
          params,
          pathParams: route.pathParams,
          livemode: key.livemode,
          restrictedKey: key.restricted,
          origin: { requestId, idempotencyKey },
        });
        const body = serialize(result.body);
        if (useKey) {
          const stored = result.store ? { status: result.status, body, requestId } : null;
          deps.idempotency.finish(key.key, idempotencyKey, stored);
        }
        outcome = answer(result.status, body);
      }
      if (fault && !before && fault.phase !== 'inside') {
        if (fault.kind === 'slow') await deps.sleep(fault.delayMs ?? 1000);
        else return injected(fault);
      }
      return outcome;
    } catch (error) {
      if (error instanceof StripeApiFailure) return fail(error.details);
      const message = error instanceof Error ? error.message : String(error);
      return fail({ status: 500, type: 'api_error', message: `The simulator failed: ${message}` });
    }
  }

  /** Runs the endpoint; Stripe keeps for replay what the endpoint produced once it started working. */
  private execute(handler: ApiHandler, call: ApiCall): { status: number; body: object; store: boolean } {
    try {
      const result = handler(this.deps.services, call);
      return { status: result.status, body: result.body, store: true };
    } catch (error) {
      if (!(error instanceof StripeApiFailure)) throw error;
      const body = errorBody(error.details, call.origin.requestId ?? '', call.livemode);
      return { status: error.details.status, body, store: error.storable };
    }
  }

  private replay(answer: StoredAnswer, headers: Record<string, string>, entry: SimulatorRequest): ApiOutcome {
    entry.replayed = true;
    entry.status = answer.status;
    return {
      kind: 'response',
      status: answer.status,
      headers: { ...headers, 'idempotent-replayed': 'true', 'original-request': answer.requestId },
      body: answer.body,
    };
  }
}
