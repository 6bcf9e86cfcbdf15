/**
 * `stripe-identity-kit/express`: the verification routes as an Express 5 `Router`. `authenticate`
 * receives Express's own `req`, so `req.user` (Passport), `req.session` (express-session) and anything
 * your middleware set are there. Works mounted before or after `express.json()`.
 */
import express, { type ErrorRequestHandler, type Request as ExpressRequest, type Router } from 'express';
import {
  sendNodeProblem,
  sendUnreadBody,
  sendWebResponse,
  toWebRequest,
} from './http/adapters/node-request.js';
import { requestUrl } from './http/adapters/request-url.js';
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
 * `POST /redact` where it is mounted (`app.use('/identity', createExpressRouter(identity, { … }))`), and
 * a JSON 404 for any other path under that prefix (not when mounted at the root: your app's other routes
 * stay reachable). A body parser that runs before the router refuses with Express's HTML error page:
 * mount the router before `express.json()`, or add {@link identityErrorHandler}. The webhook is not part
 * of it: mount
 * `identity.webhooks.node` before any body parser (see docs/http.md).
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
        // req.protocol and req.host follow Express's `trust proxy` setting (req.host keeps the port), so
        // the own origin is what the browser sees; the path never contributes to it.
        const own = `${req.protocol}://${req.host ?? 'localhost'}`;
        const url = requestUrl(own, req.originalUrl);
        if (url === null) {
          return sendNodeProblem(res, 400, 'invalid_input', 'The request URL or Host header is not valid.');
        }
        const read = await toWebRequest(req, { maxBodyBytes, timeoutMs, url });
        if (read.kind !== 'request') return sendUnreadBody(req, res, read.kind, maxBodyBytes);
        await sendWebResponse(res, await dispatch(read.request, req, name, new URL(url).origin));
      } catch (error) {
        service.logger.error('verification route failed', {
          code: 'internal_error',
          statusCode: 500,
          reason: error instanceof Error ? error.name : typeof error,
        });
        if (!res.headersSent)
          sendNodeProblem(res, 500, 'internal_error', 'Unexpected error; see the server logs.');
        else res.destroy();
      }
    });
  }
  router.use((req, res, next) => {
    // Mounted at the root, a catch-all would hide every route the app defines after it.
    if (req.baseUrl === '') return next();
    sendNodeProblem(res, 404, 'not_found', `Use ${ROUTE_NAMES.map((each) => `/${each}`).join(', ')}.`);
  });
  return router;
}

/**
 * Express error middleware answering body-parser's refusals in the routes' JSON shape: 400
 * `invalid_input` for a malformed body, 413 `body_too_large` past the parser's limit. Other errors go on
 * to your own handlers. Express skips a router while an error is pending, so add it after the router,
 * on the same prefix: `app.use('/identity', createExpressRouter(…), identityErrorHandler())`.
 */
export function identityErrorHandler(): ErrorRequestHandler {
  return (error, _req, res, next) => {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') {
      return sendNodeProblem(res, 413, 'body_too_large', 'The request body is too large.');
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (type === 'entity.parse.failed' || (typeof type === 'string' && status === 400)) {
      return sendNodeProblem(res, 400, 'invalid_input', 'The request body is not valid JSON.');
    }
    next(error);
  };
}

export type { ReturnTo, RouteOptions } from './http/routes.js';
