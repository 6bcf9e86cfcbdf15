/**
 * `stripe-identity-kit/next`: App Router route handlers for the verification routes and the webhook.
 * Web-standard (`Request` → `Response`), so this file needs nothing from `next` itself.
 *
 * ```ts
 * // app/api/identity/[action]/route.ts
 * export const { GET, POST, PUT, PATCH, DELETE } = createNextRouteHandlers(identity, { authenticate });
 * export const runtime = 'nodejs';
 * // app/api/webhooks/stripe/route.ts
 * export const { POST } = createNextWebhookHandlers(identity);
 * export const runtime = 'nodejs';
 * ```
 */
import { type Authenticate, createRouteDispatcher, type RouteOptions } from './http/dispatch.js';
import type { VerificationService } from './service.js';

/** Options of {@link createNextRouteHandlers}. */
export interface NextRouteOptions<R extends Request = Request> extends RouteOptions {
  /** The signed-in user from the request (Auth.js `auth()`, Clerk, your session cookie), or `null`. */
  authenticate: Authenticate<R>;
}

/** A route handler as the App Router calls it; the second argument (route params) is not needed. */
export type NextRouteHandler<R extends Request = Request> = (request: R) => Promise<Response>;

/** The exports of a `route.ts`: every method answers, so a wrong one gets 405 with `Allow`. */
export type NextRouteHandlers<R extends Request = Request> = {
  GET: NextRouteHandler<R>;
  POST: NextRouteHandler<R>;
  PUT: NextRouteHandler<R>;
  PATCH: NextRouteHandler<R>;
  DELETE: NextRouteHandler<R>;
};

/**
 * Handlers for a dynamic segment route (`app/api/identity/[action]/route.ts`): each dispatches on the last
 * path segment (`start`, `status`, `return`, `cancel`, `redact`). Keep `export const runtime = 'nodejs'`
 * in the route file when your store needs Node drivers (Next.js reads that line statically).
 *
 * @throws ConfigError when `allowedOrigins` or `returnTo` is invalid.
 */
export function createNextRouteHandlers<R extends Request = Request>(
  service: VerificationService,
  options: NextRouteOptions<R>,
): NextRouteHandlers<R> {
  const dispatch = createRouteDispatcher<R>(service, options.authenticate, options);
  const handle: NextRouteHandler<R> = (request) => dispatch(request, request);
  return { GET: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle };
}

/** The webhook route's exports (`app/api/webhooks/stripe/route.ts`): `POST` reads the untouched body. */
export function createNextWebhookHandlers(service: VerificationService): { POST: NextRouteHandler } {
  return { POST: (request) => service.webhooks.fetch(request) };
}

export type { ReturnTo, RouteOptions } from './http/routes.js';
