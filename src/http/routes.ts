import type { VerificationService } from '../service.js';
import type { AuthAdapter } from './auth.js';
import { createRouteDispatcher, type RouteName, type RouteOptions } from './dispatch.js';

/** Web-standard route handlers for the calls a frontend makes. */
export interface VerificationRoutes {
  /** `POST`: start or resume; answers the `StartResult` (a single-use link or an outcome). */
  start(request: Request): Promise<Response>;
  /** `GET`: the user's status, from the store. */
  status(request: Request): Promise<Response>;
  /**
   * `GET`/`POST`: the user came back from Stripe; reconciles once and answers the status, or with the
   * `returnTo` option a `GET` answers 303 to that page. Takes an optional `session_id` query.
   */
  return(request: Request): Promise<Response>;
  /** `POST`: cancel the user's open session (its links stop working); answers the status. */
  cancel(request: Request): Promise<Response>;
  /** `POST`: the user deletes their own verification data; answers the `RedactionReport`. */
  redact(request: Request): Promise<Response>;
  /** Dispatch on the last path segment (`/start`, `/status`, …) for frameworks without a router. */
  fetch(request: Request): Promise<Response>;
}

/**
 * Build route handlers on an {@link AuthAdapter}. The user id always comes from authentication, never
 * from the request. A state-changing request from another site (`Sec-Fetch-Site: cross-site`, `Origin:
 * null`, or an `Origin` that is neither the request's own, taken from the `Host` header, nor in
 * `allowedOrigins`) answers 403 `cross_site_request` before authentication; no user answers 401 before any Stripe call. Error bodies
 * are `{ error, message }` with a fixed message per code; details go to `service.logger`.
 *
 * @throws ConfigError when `allowedOrigins` holds something that is not an origin, or `returnTo` is
 * neither a path, an absolute URL nor a function.
 */
export function createVerificationRoutes(
  service: VerificationService,
  auth: AuthAdapter,
  options: RouteOptions = {},
): VerificationRoutes {
  const dispatch = createRouteDispatcher<Request>(service, (request) => auth.authenticate(request), options);
  const route = (name: RouteName) => (request: Request) => dispatch(request, request, name);
  return {
    start: route('start'),
    status: route('status'),
    return: route('return'),
    cancel: route('cancel'),
    redact: route('redact'),
    fetch: (request) => dispatch(request, request),
  };
}

export type { RouteOptions } from './dispatch.js';
export type { ReturnTo } from './return-to.js';
