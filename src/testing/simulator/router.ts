/**
 * One entry point for every transport (HTTP server, in-process fetch): hosted pages, the control API and
 * the Stripe API, by path. Parts are looked up on each request, so `reset()` swaps them under a running server.
 */
import type { ApiDispatcher, ApiOutcome, RawApiRequest } from './dispatch.js';
import type { HostedPages } from './hosted-page.js';

/** Answers `/_simulator/…` requests. */
export interface ControlHandler {
  handle: (req: RawApiRequest) => Promise<ApiOutcome>;
}

/** What the router dispatches to. */
export interface RouterDeps {
  api: () => Pick<ApiDispatcher, 'handle'>;
  pages: () => Pick<HostedPages, 'handle'>;
  control: ControlHandler;
  /** Runs before every request (the wall clock catches up here). */
  beforeEach: () => void;
  /** Runs after each API answer (the simulator reports finished calls here). */
  afterApi: () => void;
}

/**
 * Where a request was sent: `local` is the simulator's own origin (pages under `/verify/`), `pages` is
 * Stripe's hosted-page origin as the in-process transports see it (pages under `/start/`).
 */
export type RequestOrigin = 'local' | 'pages';

/** Routes requests to the parts of one simulator. */
export class SimulatorRouter {
  constructor(private readonly deps: RouterDeps) {}

  /** Answers one request. */
  async handle(req: RawApiRequest, origin: RequestOrigin): Promise<ApiOutcome> {
    this.deps.beforeEach();
    if (origin === 'pages' || req.path.startsWith('/verify/')) {
      const answer = await this.deps.pages().handle({ method: req.method, path: req.path, body: req.body });
      return { kind: 'response', ...answer };
    }
    if (req.path.startsWith('/_simulator/')) return this.deps.control.handle(req);
    try {
      return await this.deps.api().handle(req);
    } finally {
      this.deps.afterApi();
    }
  }
}
