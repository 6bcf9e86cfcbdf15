/**
 * `stripe-identity-kit/express`: the verification routes as an Express 5 `Router`. `authenticate`
 * receives Express's own `req`, so `req.user` (Passport), `req.session` (express-session) and anything
 * your middleware set are there. Works mounted before or after `express.json()`.
 */
import express, { type Request as ExpressRequest, type Router } from 'express';
import {
  sendNodeProblem,
  sendUnreadBody,
  sendWebResponse,
  toWebRequest,
} from './http/adapters/node-request.js';
import { type Authenticate, createRouteDispatcher, ROUTE_NAMES, type RouteOptions } from './http/dispatch.js';
import type { VerificationService } from './service.js';

/** Options of {@link createExpressRouter}. */
export interface ExpressRouterOptions extends RouteOptions {
  /** The signed-in user from Express's `req` (`req.user`, `req.session.userId`, …), or `null`. */
  authenticate: Authenticate<ExpressRequest>;
  /** Largest body read when no parser ran first, in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
}

/**
 * An Express `Router` answering `POST /start`, `GET /status`, `GET|POST /return`, `POST /cancel` and
 * `POST /redact` where it is mounted (`app.use('/identity', createExpressRouter(identity, { … }))`).
 * The webhook is not part of it: mount `identity.webhooks.node` before any JSON parser, or behind
 * `express.raw({ type: 'application/json' })` (see docs/http.md).
 *
 * @throws ConfigError when `allowedOrigins` or `returnTo` is invalid.
 */
export function createExpressRouter(service: VerificationService, options: ExpressRouterOptions): Router {
  const dispatch = createRouteDispatcher<ExpressRequest>(service, options.authenticate, options);
  const maxBodyBytes = options.maxBodyBytes ?? 16_384;
  const timeoutMs = service.options.webhooks.bodyTimeoutSeconds * 1000;
  const router = express.Router();
  for (const name of ROUTE_NAMES) {
    router.all(`/${name}`, async (req, res) => {
      try {
        // req.protocol follows Express's `trust proxy` setting, so the own origin is what the browser sees.
        const url = `${req.protocol}://${req.headers.host ?? 'localhost'}${req.originalUrl}`;
        const read = await toWebRequest(req, { maxBodyBytes, timeoutMs, url });
        if (read.kind !== 'request') return sendUnreadBody(req, res, read.kind, maxBodyBytes);
        await sendWebResponse(res, await dispatch(read.request, req, name));
      } catch {
        if (!res.headersSent)
          sendNodeProblem(res, 500, 'internal_error', 'Unexpected error; see the server logs.');
        else res.destroy();
      }
    });
  }
  return router;
}

export type { ReturnTo, RouteOptions } from './http/routes.js';
