/**
 * In-process transport: a WHATWG `fetch` whose requests are answered by the simulator's router directly,
 * without a socket or nock. stripe-node's fetch-based client uses it unchanged, so errors, headers,
 * dropped connections and client timeouts behave as over HTTP.
 */
import type { ApiOutcome } from './dispatch.js';
import { PAGES_ORIGIN } from './nock-interception.js';
import type { SimulatorRouter } from './router.js';

/** A `fetch` function, as `Stripe.createFetchHttpClient(fetchFn)` takes it. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What fetch implementations reject with when the peer drops the connection (code read by stripe-node). */
function connectionReset(): Error {
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  return Object.assign(new TypeError('fetch failed', { cause }), { code: 'ECONNRESET' });
}

/** Lower-cased header names, from any `HeadersInit` (stripe-node passes `[name, value]` pairs). */
function headersOf(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [name, value] of entries) {
    if (name !== undefined && value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
}

interface PlainRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal | null | undefined;
}

/** Reads what was asked; a `Request` object is the slow path, a URL with a string body the fast one. */
async function readRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<PlainRequest> {
  const simpleBody = init?.body === undefined || init.body === null || typeof init.body === 'string';
  if (!(input instanceof Request) && simpleBody) {
    return {
      url: new URL(input),
      method: (init?.method ?? 'GET').toUpperCase(),
      headers: headersOf(init?.headers),
      body: typeof init?.body === 'string' ? init.body : '',
      signal: init?.signal,
    };
  }
  const request = input instanceof Request && init === undefined ? input : new Request(input, init);
  return {
    url: new URL(request.url),
    method: request.method,
    headers: headersOf(request.headers),
    body: request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text(),
    signal: request.signal,
  };
}

/** Rejects when `signal` aborts, with its reason (stripe-node's timeout error), as fetch does. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Lower-case header names mirrored as properties, as stripe-node reads `lastResponse.headers[name]` over HTTP. */
function mirrored(headers: Record<string, string>): Headers {
  const out = new Headers(headers);
  for (const [name, value] of Object.entries(headers)) {
    Object.defineProperty(out, name, { value, enumerable: true });
  }
  return out;
}

/** A full WHATWG Response (what `sim.fetch` gives a test). */
function toResponse(outcome: ApiOutcome): Response {
  if (outcome.kind === 'reset') throw connectionReset();
  // 204/304 and friends may not carry a body in a Response.
  const body = outcome.status === 204 || outcome.status === 304 ? null : outcome.body;
  const response = new Response(body, { status: outcome.status, headers: outcome.headers });
  Object.defineProperty(response, 'headers', { value: mirrored(outcome.headers) });
  return response;
}

/**
 * The answer handed to stripe-node's fetch client (it becomes `lastResponse`): the part of a Response that
 * client reads, holding the body as a string. A real Response builds a stream per answer, which costs more
 * than the simulator's own work; stripe-node only ever calls `text()`.
 */
class SimulatedResponse {
  readonly ok: boolean;
  readonly statusText = '';
  readonly body = null;
  readonly redirected = false;
  readonly type = 'basic';
  readonly headers: Headers;
  bodyUsed = false;

  constructor(
    readonly status: number,
    headers: Record<string, string>,
    private readonly content: string,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = mirrored(headers);
  }

  async text(): Promise<string> {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.bodyUsed = true;
    return this.content;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = new TextEncoder().encode(await this.text());
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): SimulatedResponse {
    return new SimulatedResponse(this.status, Object.fromEntries(this.headers), this.content, this.url);
  }
}

/**
 * A fetch answered by `router`: any host is the simulator, except Stripe's hosted-page origin. `light`
 * answers with {@link SimulatedResponse} (for stripe-node's client) instead of a full Response.
 */
export function createInProcessFetch(router: SimulatorRouter, light = false): FetchFunction {
  return async (input, init) => {
    const request = await readRequest(input, init);
    const { url } = request;
    const work = router.handle(
      {
        method: request.method,
        path: url.pathname,
        query: url.search.slice(1),
        headers: request.headers,
        body: request.body,
      },
      url.origin === PAGES_ORIGIN ? 'pages' : 'local',
    );
    const outcome = await abortable(work, request.signal);
    if (!light) return toResponse(outcome);
    if (outcome.kind === 'reset') throw connectionReset();
    return new SimulatedResponse(
      outcome.status,
      outcome.headers,
      outcome.body,
      url.href,
    ) as unknown as Response;
  };
}

/** The fetch `createTestStripe(sim)` gives stripe-node, per simulator (kept off the public surface). */
export const stripeClientFetch = new WeakMap<object, FetchFunction>();
