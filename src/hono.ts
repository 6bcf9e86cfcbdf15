/**
 * `stripe-identity-kit/hono`: the verification routes and the webhook as a Hono 4 sub-app, for Node
 * (`@hono/node-server`), Bun, Deno and Workers alike. `authenticate` receives Hono's own context `c`.
 */
import { type Context, type Env, Hono } from 'hono';
import { type Authenticate, createRouteDispatcher, ROUTE_NAMES, type RouteOptions } from './http/dispatch.js';
import type { VerificationService } from './service.js';

/** Options of {@link createHonoApp}. */
export interface HonoAppOptions<E extends Env = Env> extends RouteOptions {
  /** The signed-in user from Hono's context (`c.get('user')`, a cookie, …), or `null`. */
  authenticate: Authenticate<Context<E>>;
  /** Path of the webhook route inside the sub-app; `false` leaves it out. Default `/webhooks/stripe`. */
  webhookPath?: string | false;
}

/**
 * A Hono app to mount with `app.route('/identity', createHonoApp(identity, { authenticate }))`: `POST
 * /start`, `GET /status`, `GET|POST /return`, `POST /cancel`, `POST /redact`, and the webhook route,
 * which hands the untouched request to `identity.webhooks.fetch` (do not read `c.req.json()` before it).
 *
 * @throws ConfigError when `allowedOrigins` or `returnTo` is invalid.
 */
export function createHonoApp<E extends Env = Env>(
  service: VerificationService,
  options: HonoAppOptions<E>,
): Hono<E> {
  const dispatch = createRouteDispatcher<Context<E>>(service, options.authenticate, options);
  const webhookPath = options.webhookPath ?? '/webhooks/stripe';
  const app = new Hono<E>();
  if (webhookPath !== false) app.all(webhookPath, (c) => service.webhooks.fetch(c.req.raw));
  for (const name of ROUTE_NAMES) app.all(`/${name}`, (c) => dispatch(c.req.raw, c, name));
  return app;
}

export type { ReturnTo, RouteOptions } from './http/routes.js';
