/** `IdentitySimulator`: a stateful, in-memory Stripe Identity that the real stripe-node talks to unchanged. */
import type Stripe from 'stripe';
import { InvalidInputError } from '../../errors.js';
import { StripeApiFailure } from './api-error.js';
import { type AssemblyHooks, assemble, type SimulatorParts } from './assemble.js';
import { ControlApi } from './control/control-api.js';
import { Expansions } from './expand.js';
import { type RunningServer, startHttpServer } from './http-server.js';
import { createInProcessFetch, type FetchFunction, stripeClientFetch } from './in-process-fetch.js';
import type { SessionState } from './model.js';
import { NockInterception, PAGES_ORIGIN } from './nock-interception.js';
import { describeOutcome } from './outcomes.js';
import { renderReport } from './render-report.js';
import { RequestReporter } from './request-reporter.js';
import { SimulatorRouter } from './router.js';
import type {
  DeepPartial,
  FaultSpec,
  HostedPageVisit,
  IdentitySimulatorOptions,
  LinkStatus,
  SimulatorListenTarget,
  SimulatorRequest,
  WebhookDelivery,
  WebhookEndpointInput,
} from './types.js';
import { WallClockFollower } from './wall-clock.js';
import { stripeSignatureHeader } from './webhooks/signing.js';

/**
 * A stateful Stripe Identity for tests. Serve it over HTTP with {@link listen} or in-process with
 * {@link intercept}; drive users with {@link submit}; move time with {@link advance}; inject faults; receive
 * signed webhooks. Deterministic for a given `seed` and sequence of calls.
 */
export class IdentitySimulator {
  /** Every API call, in arrival order (no keys, bodies, links or personal data). */
  readonly requests: SimulatorRequest[] = [];
  /** Every event created, in creation order. */
  readonly events: Stripe.Event[] = [];
  /** Every webhook delivery attempt, in order. */
  readonly deliveries: WebhookDelivery[] = [];
  /** Every hosted-page visit, in order. */
  readonly pageVisits: HostedPageVisit[] = [];

  /**
   * A WHATWG `fetch` answered in-process by this simulator (API, hosted pages and `/_simulator/` control),
   * with no socket: what `createTestStripe(sim)` wires into stripe-node. Any origin reaches the simulator.
   */
  readonly fetch: FetchFunction;

  private parts: SimulatorParts;
  private readonly options: IdentitySimulatorOptions;
  private readonly hooks: AssemblyHooks;
  private readonly router: SimulatorRouter;
  private readonly interception = new NockInterception();
  private server: RunningServer | null = null;
  private listenBase: string | null = null;
  private listenHost = '127.0.0.1';
  private wall: WallClockFollower | null = null;
  private readonly reporter: RequestReporter;

  constructor(options: IdentitySimulatorOptions = {}) {
    this.options = options.wallClock ? { ...options, startTime: options.startTime ?? Date.now() } : options;
    this.hooks = {
      pageBase: () => (this.listenBase ? `${this.listenBase}/verify` : `${PAGES_ORIGIN}/start`),
      submit: (sessionId, outcome) => this.submit(sessionId, outcome),
      requests: this.requests,
      events: this.events,
      deliveries: this.deliveries,
      pageVisits: this.pageVisits,
    };
    this.parts = assemble(this.options, this.hooks);
    this.reporter = new RequestReporter(this.requests, options.onRequest);
    this.router = new SimulatorRouter({
      api: () => this.parts.dispatcher,
      pages: () => this.parts.pages,
      control: new ControlApi(this),
      beforeEach: () => this.followWallClock(),
      afterApi: () => this.reporter.flush(),
    });
    this.fetch = createInProcessFetch(this.router);
    stripeClientFetch.set(this, createInProcessFetch(this.router, true));
    if (options.wallClock) this.wall = new WallClockFollower((ms) => this.advance(ms));
  }

  /**
   * Serve HTTP on `host` (default 127.0.0.1; port 0 = ephemeral): the API, the hosted pages under `/verify/`
   * and the control API under `/_simulator/`. Returns what `new Stripe(key, {...})` needs.
   */
  async listen(port = 0, host = '127.0.0.1'): Promise<SimulatorListenTarget> {
    if (!this.server) {
      this.server = await startHttpServer(this.router, port, host);
      // A wildcard address is not somewhere a browser can go: links use the loopback address instead.
      const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      this.listenHost = reachable;
      this.listenBase = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${this.server.port}`;
    }
    const target = { host: this.listenHost, port: this.server.port, protocol: 'http' as const };
    // Not enumerable: `new Stripe(key, { ...target })` must not see a config key stripe-node refuses.
    return Object.defineProperty(target, 'baseUrl', {
      value: this.listenBase ?? '',
      enumerable: false,
    }) as SimulatorListenTarget;
  }

  /** Same API in-process via nock on https://api.stripe.com (and the hosted page on https://verify.stripe.com). */
  intercept(): void {
    this.interception.start(
      {
        handle: async (req) => {
          try {
            return await this.parts.dispatcher.handle(req);
          } finally {
            this.reporter.flush();
          }
        },
      },
      { handle: (req) => this.parts.pages.handle(req) },
      () => this.followWallClock(),
    );
  }

  /** Undo {@link intercept} (removes only this simulator's interceptors). */
  restore(): void {
    this.interception.stop();
  }

  /** Stop the server, restore nock, cancel pending deliveries, timers and slow answers. */
  async close(): Promise<void> {
    this.restore();
    this.wall?.stop();
    this.wall = null;
    this.stopParts();
    const server = this.server;
    this.server = null;
    if (server) await server.close();
  }

  /**
   * Start over: sessions, reports, links, events, idempotency keys, faults, account changes, endpoints created
   * through the API and every log are forgotten; endpoints added with {@link addWebhookEndpoint}, the options
   * and the clock (which never goes back) are kept. Ids restart from the seed.
   */
  reset(): void {
    const configured = this.parts.endpoints.all().filter((ep) => ep.configured);
    const now = this.parts.clock.now();
    this.stopParts();
    for (const log of [this.requests, this.events, this.deliveries, this.pageVisits]) log.length = 0;
    this.reporter.restart();
    this.parts = assemble({ ...this.options, startTime: now }, this.hooks);
    // Re-drawn ids keep them unique among the ids the fresh factory will hand out.
    for (const endpoint of configured)
      this.parts.endpoints.insert({ ...endpoint, id: this.parts.ids.object('we') });
  }

  /** Deep-merges `patch` into the account `GET /v1/account` answers (branding, country, business profile…). */
  setAccount(patch: DeepPartial<Stripe.Account>): void {
    this.parts.patchAccount(patch);
  }

  /** Resolves once the webhook deliveries due now (after {@link advance}) have run. */
  settle(): Promise<void> {
    return this.parts.queue.drainDue();
  }

  /** Simulator clock, ms. */
  now(): number {
    return this.parts.clock.now();
  }

  /** Move the clock forward: links expire, pending redactions finish, delayed webhooks become due. */
  advance(ms: number): void {
    this.parts.clock.advance(ms);
    this.parts.queue.kick();
  }

  /** The user submits: `processing`, then `verified` or `requires_input` with `last_error.code = outcome`. */
  async submit(sessionId: string, outcome: 'verified' | (string & {})): Promise<void> {
    if (outcome !== 'verified') describeOutcome(outcome);
    this.run(() => this.parts.lifecycle.beginSubmission(this.find(sessionId)));
    this.run(() => this.parts.lifecycle.completeSubmission(this.find(sessionId), outcome));
    await this.parts.queue.drainDue();
  }

  /** First half of {@link submit}: the session stays `processing` until {@link completeSubmission}. */
  async beginSubmission(sessionId: string): Promise<void> {
    this.run(() => this.parts.lifecycle.beginSubmission(this.find(sessionId)));
    await this.parts.queue.drainDue();
  }

  /** Second half of {@link submit}. */
  async completeSubmission(sessionId: string, outcome: 'verified' | (string & {})): Promise<void> {
    if (outcome !== 'verified') describeOutcome(outcome);
    this.run(() => this.parts.lifecycle.completeSubmission(this.find(sessionId), outcome));
    await this.parts.queue.drainDue();
  }

  /** Finish every pending redaction now instead of waiting for the clock. */
  async completeRedactions(): Promise<void> {
    this.parts.lifecycle.completeAllRedactions();
    await this.parts.queue.drainDue();
  }

  /** A session as `retrieve` would show it (without minting a new link), or undefined. */
  session(sessionId: string): Stripe.Identity.VerificationSession | undefined {
    const session = this.parts.state.sessions.get(sessionId);
    return session ? this.view(session) : undefined;
  }

  /** Every session of both modes, oldest first. */
  sessions(): Stripe.Identity.VerificationSession[] {
    return [...this.parts.state.sessions.values()].map((s) => this.view(s));
  }

  /** Every report of both modes, oldest first. */
  reports(): Stripe.Identity.VerificationReport[] {
    return [...this.parts.state.reports.values()].map((r) => renderReport(r, new Expansions()));
  }

  /** Whether a `url` or `client_secret` handed out by the simulator can still be used, and if not why. */
  linkStatus(urlOrClientSecret: string): LinkStatus {
    return this.parts.links.status(urlOrClientSecret, this.parts.clock.now());
  }

  /** What Stripe.js does with a `client_secret`: uses it up. Returns the status it had before. */
  useClientSecret(clientSecret: string): LinkStatus {
    const before = this.linkStatus(clientSecret);
    if (before === 'active') this.parts.links.open(clientSecret, this.parts.clock.now());
    return before;
  }

  /** Queue a fault for the next `count` (default 1) matching requests. */
  failNext(fault: FaultSpec): void {
    this.parts.faults.failNext(fault);
  }

  /** Apply `fault` to a seeded random fraction `rate` of matching requests. */
  setFaultRate(rate: number, fault: Omit<FaultSpec, 'count'>): void {
    this.parts.faults.setRate(rate, fault);
  }

  /** Remove every queued fault and fault rate. */
  clearFaults(): void {
    this.parts.faults.clear();
  }

  /** Register a webhook endpoint (a URL or an in-process handler). */
  addWebhookEndpoint(ep: WebhookEndpointInput): { id: string; secret: string } {
    const endpoint = this.parts.endpoints.add(ep, this.parts.ids, this.parts.secrets, this.parts.clock.now());
    return { id: endpoint.id, secret: endpoint.secret };
  }

  /** Resolves when every queued delivery (including retries and delays) has finished. */
  flushWebhooks(): Promise<void> {
    return this.parts.queue.flush();
  }

  /** A `Stripe-Signature` header for `payload` (real v1 scheme, plus test-mode v0); `timestamp` in seconds. */
  signPayload(payload: string, secret: string, timestamp?: number): string {
    return stripeSignatureHeader(payload, secret, timestamp ?? this.parts.clock.nowSeconds());
  }

  private stopParts(): void {
    this.parts.queue.close();
    this.parts.lifecycle.clear();
    this.parts.clock.clear();
    this.parts.sleeper.cancelAll();
  }

  private followWallClock(): void {
    this.wall?.sync();
  }

  private view(session: SessionState): Stripe.Identity.VerificationSession {
    return this.parts.view(session);
  }

  private find(sessionId: string): SessionState {
    const session = this.parts.state.sessions.get(sessionId);
    if (!session) throw new InvalidInputError(`Unknown verification session: ${sessionId}`);
    return session;
  }

  /** Runs a state change, reporting Stripe-side refusals as programmer errors of the test. */
  private run(change: () => void): void {
    try {
      change();
    } catch (error) {
      if (error instanceof StripeApiFailure) throw new InvalidInputError(error.message);
      throw error;
    }
  }
}
