import type { VerificationService } from '../service.js';
import type { VerificationUser } from '../types.js';
import { readRouteInput } from './body.js';
import { checkedOrigins, isCrossSite, ownOrigin } from './csrf.js';
import { errorResponse, json, problem } from './errors.js';
import { refusalOf } from './refusal.js';
import { isCrossSiteSubresource } from './return-fetch.js';
import { checkedReturnTo, type ReturnTo, returnLocation } from './return-to.js';

/** The routes a frontend calls, by the last segment of their path. */
export type RouteName = 'start' | 'status' | 'return' | 'cancel' | 'redact';

/** The methods each route answers; any other gets 405 with `Allow`. */
export const ROUTE_METHODS: Readonly<Record<RouteName, readonly string[]>> = {
  start: ['POST'],
  status: ['GET'],
  return: ['GET', 'POST'],
  cancel: ['POST'],
  redact: ['POST'],
};

/** Every route name, in the order the docs list them. */
export const ROUTE_NAMES = Object.keys(ROUTE_METHODS) as RouteName[];

/** Options shared by `createVerificationRoutes` and every framework adapter. */
export interface RouteOptions {
  /**
   * Origins besides the request's own allowed to send state-changing requests (`POST /start`, `/cancel`,
   * `/redact`, `/return`), such as `['https://app.example.com']` when the frontend is on another origin
   * or site (a listed `Origin` passes even with `Sec-Fetch-Site: cross-site`). The routes send no CORS
   * headers: add your framework's CORS middleware for the same origins (docs/http.md).
   */
  allowedOrigins?: string[];
  /**
   * Where `GET /return` redirects (303) after reconciling (percent-encoded); without it `/return`
   * answers JSON. Another site's subresource `GET /return` (an `<img>`) answers from the store alone.
   */
  returnTo?: ReturnTo;
}

/** Finds the signed-in user from a framework's own request (`req`, `request`, `c`); `null` when anonymous. */
export type Authenticate<Context> = (
  context: Context,
) => Promise<VerificationUser | null | undefined> | VerificationUser | null | undefined;

/**
 * Answers one Web request; `context` is what `authenticate` receives, `name` the route when known, `own`
 * the request's own origin when the adapter knows it better than the `Host` header (a framework's trusted
 * host behind a proxy).
 */
export type RouteDispatcher<Context> = (
  request: Request,
  context: Context,
  name?: string,
  own?: string,
) => Promise<Response>;

/**
 * The routes' one implementation, shared by the Web handlers and the framework adapters: 404 for an
 * unknown route, 405 for a wrong method, 403 for a cross-site state change (before authentication, so
 * before any Stripe call), 401 without a user (or 401/403 when `authenticate` throws an error with that
 * `status`/`statusCode`), then the service call. Bodies are read within `webhooks.bodyTimeoutSeconds`.
 */
export function createRouteDispatcher<Context>(
  service: VerificationService,
  authenticate: Authenticate<Context>,
  options: RouteOptions = {},
): RouteDispatcher<Context> {
  const allowed = checkedOrigins(options?.allowedOrigins);
  const returnTo = checkedReturnTo(options?.returnTo);
  const timeoutMs = service.options.webhooks.bodyTimeoutSeconds * 1000;
  const actions: Record<RouteName, (request: Request, user: VerificationUser) => Promise<Response>> = {
    start: async (_request, user) => json(200, await service.start(user)),
    status: async (_request, user) => json(200, await service.status(user.id)),
    return: async (request, user) => {
      const input = await readRouteInput(request, timeoutMs);
      if (input instanceof Response) return input;
      // Reconciling retrieves from Stripe, which mints a fresh link and revokes the user's current one:
      // another site's <img src=/return> must not do that, so such a request answers from the store.
      const status =
        request.method === 'GET' && isCrossSiteSubresource(request, allowed)
          ? await service.status(user.id)
          : await service.handleReturn(user.id, input.sessionId);
      if (request.method === 'GET' && returnTo !== undefined) {
        return new Response(null, {
          status: 303,
          headers: { location: returnLocation(returnTo, status), 'cache-control': 'no-store' },
        });
      }
      return json(200, status);
    },
    cancel: async (request, user) => {
      const input = await readRouteInput(request, timeoutMs);
      if (input instanceof Response) return input;
      return json(200, await service.cancel(user.id, input.sessionId));
    },
    redact: async (_request, user) => json(200, await service.redact(user.id)),
  };
  return async (request, context, name, own) => {
    const route = name ?? new URL(request.url).pathname.split('/').filter(Boolean).pop() ?? '';
    if (!Object.hasOwn(ROUTE_METHODS, route)) {
      return problem(404, 'not_found', `Use ${ROUTE_NAMES.map((each) => `/${each}`).join(', ')}.`);
    }
    const methods = ROUTE_METHODS[route as RouteName];
    if (!methods.includes(request.method)) {
      return problem(405, 'method_not_allowed', `Use ${methods.join(' or ')}.`, {
        allow: methods.join(', '),
      });
    }
    if (request.method !== 'GET' && isCrossSite(request, allowed, own ?? ownOrigin(request))) {
      return problem(403, 'cross_site_request', 'This request came from another site and was refused.');
    }
    let user: VerificationUser | null | undefined;
    try {
      user = await authenticate(context);
    } catch (error) {
      // A framework's own refusal (`@fastify/jwt`'s `jwtVerify()`, Hono's `HTTPException(401)`) is an
      // answer, not a failure.
      const refused = refusalOf(error);
      if (refused !== undefined) return refused;
      return errorResponse(error, service.logger, service.options.now);
    }
    if (!user) return problem(401, 'unauthenticated', 'Sign in before verifying your identity.');
    try {
      return await actions[route as RouteName](request, user);
    } catch (error) {
      return errorResponse(error, service.logger, service.options.now);
    }
  };
}
