/** Builds and wires the simulator's parts from its options. */
import Stripe from 'stripe';
import type { ApiServices } from './api/context.js';
import { SimulatorClock } from './clock.js';
import { buildAccount, deepMerge } from './default-account.js';
import { ApiDispatcher } from './dispatch.js';
import { buildEvent } from './events.js';
import { Expansions } from './expand.js';
import { FaultInjector } from './faults.js';
import { HostedPages } from './hosted-page.js';
import { IdempotencyStore } from './idempotency.js';
import { SessionLifecycle } from './lifecycle.js';
import { LinkRegistry } from './links.js';
import type { SessionState } from './model.js';
import { IdFactory, SeededRandom } from './random.js';
import { renderSession } from './render-session.js';
import { WallClockSleeper } from './sleeper.js';
import { SimulatorState } from './state.js';
import type {
  DeepPartial,
  HostedPageVisit,
  IdentitySimulatorOptions,
  SimulatorRequest,
  WebhookDelivery,
} from './types.js';
import { DeliveryQueue } from './webhooks/delivery.js';
import { EndpointRegistry } from './webhooks/endpoints.js';

/** Default start of the simulated clock: a fixed date, so runs are reproducible. */
export const DEFAULT_START_TIME = Date.UTC(2026, 0, 1);

/** Where the parts report to, and what they need from the simulator around them. */
export interface AssemblyHooks {
  /** URL prefix of hosted pages (depends on whether the simulator listens). */
  pageBase: () => string;
  /** The hosted page's way to submit (the simulator's `submit`). */
  submit: (sessionId: string, outcome: string) => Promise<void>;
  requests: SimulatorRequest[];
  events: Stripe.Event[];
  deliveries: WebhookDelivery[];
  pageVisits: HostedPageVisit[];
}

/** Every part of one simulator. */
export interface SimulatorParts {
  clock: SimulatorClock;
  ids: IdFactory;
  secrets: SeededRandom;
  state: SimulatorState;
  links: LinkRegistry;
  lifecycle: SessionLifecycle;
  endpoints: EndpointRegistry;
  queue: DeliveryQueue;
  faults: FaultInjector;
  idempotency: IdempotencyStore;
  dispatcher: ApiDispatcher;
  pages: HostedPages;
  sleeper: WallClockSleeper;
  /** The session as `retrieve` shows it, without minting links. */
  view: (session: SessionState) => Stripe.Identity.VerificationSession;
  /** Deep-merges `patch` into what `GET /v1/account` answers from now on. */
  patchAccount: (patch: DeepPartial<Stripe.Account>) => void;
}

/** Creates the parts; each random concern gets its own seeded stream. */
export function assemble(options: IdentitySimulatorOptions, hooks: AssemblyHooks): SimulatorParts {
  const seed = options.seed ?? 1;
  const apiVersion = options.apiVersion ?? Stripe.API_VERSION;
  const clock = new SimulatorClock(options.startTime ?? DEFAULT_START_TIME);
  const ids = new IdFactory(seed);
  const secrets = new SeededRandom(seed, 'secrets');
  const state = new SimulatorState();
  const links = new LinkRegistry(secrets, hooks.pageBase);
  const endpoints = new EndpointRegistry();
  const sleeper = new WallClockSleeper();
  const web = options.webhooks ?? {};
  const queue = new DeliveryQueue(
    {
      autoDeliver: web.autoDeliver ?? true,
      duplicateRate: web.duplicateRate ?? 0,
      delayMs: web.delayMs ?? [0, 0],
      reorder: web.reorder ?? false,
      maxAttempts: web.maxAttempts ?? 3,
      retryDelayMs: web.retryDelayMs ?? 60_000,
      timeoutMs: web.timeoutMs ?? 10_000,
    },
    clock,
    new SeededRandom(seed, 'webhooks'),
    (delivery) => {
      hooks.deliveries.push(delivery);
      options.onDelivery?.(delivery);
    },
  );
  const view = (session: SessionState) =>
    renderSession(session, { expand: new Expansions(), report: (id) => state.reports.get(id) });
  const lifecycle = new SessionLifecycle({
    state,
    ids,
    clock,
    links,
    redactionDelayMs: options.redactionDelayMs ?? 60_000,
    emit(type, session, origin) {
      const subscribers = endpoints.subscribers(type, session.livemode);
      const event = buildEvent({
        id: ids.object('evt'),
        type,
        object: view(session),
        createdSeconds: clock.nowSeconds(),
        apiVersion,
        pendingWebhooks: subscribers.length,
        origin,
      });
      hooks.events.push(event);
      queue.enqueue(event, subscribers);
    },
  });
  const faults = new FaultInjector(new SeededRandom(seed, 'faults'));
  const idempotency = new IdempotencyStore();
  const accountId = `acct_1${new SeededRandom(seed, 'account').base62(15)}`;
  const accountCreated = clock.nowSeconds();
  let accountOverrides = (options.account ?? {}) as Record<string, unknown>;
  const services: ApiServices = {
    state,
    lifecycle,
    links,
    clock,
    endpoints,
    ids,
    secrets,
    account: (livemode) =>
      buildAccount(accountId, accountCreated, livemode, accountOverrides as DeepPartial<Stripe.Account>),
    apiVersion,
  };
  const dispatcher = new ApiDispatcher({
    services,
    ids,
    clock,
    faults,
    idempotency,
    apiKeys: options.apiKeys,
    permissions: options.restrictedKeyPermissions,
    sleep: (ms) => sleeper.sleep(ms),
    log: (entry) => hooks.requests.push(entry),
  });
  const pages = new HostedPages({
    links,
    state,
    now: () => clock.now(),
    submit: hooks.submit,
    record: (visit) => hooks.pageVisits.push(visit),
  });
  return {
    clock,
    ids,
    secrets,
    state,
    links,
    lifecycle,
    endpoints,
    queue,
    faults,
    idempotency,
    dispatcher,
    pages,
    sleeper,
    view,
    patchAccount(patch) {
      accountOverrides = deepMerge(accountOverrides, patch as Record<string, unknown>);
    },
  };
}
