/**
 * In-process mode: nock answers requests to https://api.stripe.com (and the hosted pages on
 * https://verify.stripe.com) from the simulator, so `new Stripe(key)` works unchanged. nock is loaded
 * only when interception starts, so the HTTP mode never needs it installed.
 */
import { createRequire } from 'node:module';
import type { Interceptor, ReplyFnContext } from 'nock';
import type { ApiDispatcher } from './dispatch.js';
import type { HostedPages } from './hosted-page.js';

type ApiHandler = Pick<ApiDispatcher, 'handle'>;
type PageHandler = Pick<HostedPages, 'handle'>;

type Nock = typeof import('nock');

/** Origin of Stripe's API, as stripe-node calls it by default. */
export const API_ORIGIN = 'https://api.stripe.com';
/** Origin of Stripe's hosted verification pages. */
export const PAGES_ORIGIN = 'https://verify.stripe.com';

function loadNock(): Nock {
  // CJS build: __filename; ESM build: import.meta.url. Either way nock resolves from where this package is.
  const base = typeof __filename === 'string' ? __filename : import.meta.url;
  return createRequire(base)('nock') as Nock;
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  return JSON.stringify(body);
}

function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** The nock interceptors installed by one simulator. */
export class NockInterception {
  private interceptors: Interceptor[] = [];

  /** Whether interception is on. */
  get active(): boolean {
    return this.interceptors.length > 0;
  }

  /** Installs persistent interceptors (idempotent). */
  start(api: ApiHandler, pages: PageHandler, beforeEach: () => void = () => undefined): void {
    if (this.active) return;
    const nock = loadNock();
    if (!nock.isActive()) nock.activate();
    const apiScope = nock(API_ORIGIN).persist();
    for (const method of ['GET', 'POST', 'DELETE']) {
      const interceptor = apiScope.intercept(/.*/, method);
      interceptor.reply(async function (this: ReplyFnContext, uri: string, body: unknown) {
        beforeEach();
        const url = new URL(uri, API_ORIGIN);
        const outcome = await api.handle({
          method,
          path: url.pathname,
          query: url.search.slice(1),
          headers: lowerCaseHeaders(this.req.headers),
          body: bodyText(body),
        });
        if (outcome.kind === 'reset') throw connectionReset();
        return [outcome.status, outcome.body, outcome.headers];
      });
      this.interceptors.push(interceptor);
    }
    const pageScope = nock(PAGES_ORIGIN).persist();
    for (const method of ['GET', 'POST']) {
      const interceptor = pageScope.intercept(/^\/start\/[^/?]+/, method);
      interceptor.reply(async (uri: string, body: unknown) => {
        beforeEach();
        const url = new URL(uri, PAGES_ORIGIN);
        const answer = await pages.handle({ method, path: url.pathname, body: bodyText(body) });
        return [answer.status, answer.body, answer.headers];
      });
      this.interceptors.push(interceptor);
    }
  }

  /** Removes this simulator's interceptors only (other nock users are left alone). */
  stop(): void {
    if (!this.active) return;
    const nock = loadNock();
    for (const interceptor of this.interceptors) nock.removeInterceptor(interceptor);
    this.interceptors = [];
  }
}

function lowerCaseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
