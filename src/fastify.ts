/**
 * `stripe-identity-kit/fastify`: a Fastify 5 plugin registering the verification routes and the webhook
 * route. `authenticate` receives Fastify's own `request` (`request.user`, `request.session`, …).
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { webHeaders } from './http/adapters/node-request.js';
import { requestUrl } from './http/adapters/request-url.js';
import { type Authenticate, createRouteDispatcher, ROUTE_NAMES, type RouteOptions } from './http/dispatch.js';
import { json } from './http/errors.js';
import type { VerificationService } from './service.js';
import { readEventSource } from './webhooks/raw-body.js';

/** Options of {@link createFastifyPlugin}. */
export interface FastifyPluginOptions extends RouteOptions {
  /** The signed-in user from Fastify's `request`, or `null`. */
  authenticate: Authenticate<FastifyRequest>;
  /** Path of the webhook route, under the plugin's prefix; `false` leaves it out. Default `/webhooks/stripe`. */
  webhookPath?: string | false;
  /** Largest route body, in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
}

/** Every method reaches the dispatcher, so a wrong one answers the routes' 405 with `Allow`. */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A plugin to `app.register(createFastifyPlugin(identity, { authenticate }), { prefix: '/identity' })`.
 * The routes read their bodies with a parser of their own, and the webhook route gets a scope whose
 * parser leaves the stream unread for `identity.webhooks.node` (Stripe signs the exact bytes): your app's
 * JSON parser is untouched outside these scopes.
 *
 * @throws ConfigError when `allowedOrigins` or `returnTo` is invalid.
 */
export function createFastifyPlugin(
  service: VerificationService,
  options: FastifyPluginOptions,
): FastifyPluginAsync {
  const dispatch = createRouteDispatcher<FastifyRequest>(service, options.authenticate, options);
  const maxBodyBytes = options.maxBodyBytes ?? 16_384;
  const timeoutMs = service.options.webhooks.bodyTimeoutSeconds * 1000;
  const webhookPath = options.webhookPath ?? '/webhooks/stripe';
  return async (app) => {
    await app.register(async (routes) => {
      routes.removeAllContentTypeParsers();
      // The parser runs before the handler (so before authentication): it reads with a size and a time
      // limit, or a body trickling in would hold the request until Node's own timeout.
      routes.addContentTypeParser('*', (_request, payload, done) => {
        readEventSource(payload, maxBodyBytes, timeoutMs).then((read) => {
          if (read.kind === 'complete') return done(null, read.bytes);
          const statusCode = read.kind === 'too_large' ? 413 : read.kind === 'timed_out' ? 408 : 400;
          done(Object.assign(new Error(`route body ${read.kind}`), { statusCode }), undefined);
        }, done);
      });
      routes.setErrorHandler((error: FastifyError, _request, reply) =>
        sendFastifyError(error, reply, service),
      );
      for (const name of ROUTE_NAMES) {
        routes.route({
          method: METHODS,
          url: `/${name}`,
          handler: async (request, reply) => {
            const body = request.body;
            // request.host follows `trustProxy`; the request-target never names the origin.
            const own = `${request.protocol}://${request.host}`;
            const url = requestUrl(own, request.url);
            if (url === null) {
              return sendResponse(
                reply,
                json(400, {
                  error: 'invalid_input',
                  message: 'The request URL or Host header is not valid.',
                }),
              );
            }
            const web = new Request(url, {
              method: request.method,
              headers: webHeaders(request.headers),
              ...(body instanceof Uint8Array && body.byteLength > 0 ? { body: new Uint8Array(body) } : {}),
            });
            return sendResponse(reply, await dispatch(web, request, name, new URL(url).origin));
          },
        });
      }
    });
    if (webhookPath === false) return;
    await app.register(async (webhooks) => {
      webhooks.removeAllContentTypeParsers();
      // Leave the stream unread: the webhook adapter reads the exact bytes itself, with its limits.
      webhooks.addContentTypeParser('*', (_request, _payload, done) => done(null));
      webhooks.post(webhookPath, async (request, reply) => {
        reply.hijack();
        await service.webhooks.node(request.raw, reply.raw);
      });
    });
  };
}

async function sendResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  return reply.send(Buffer.from(await response.arrayBuffer()));
}

/** Fastify's own refusals (body too large, slow or unreadable) in the routes' error shape. */
function sendFastifyError(
  error: FastifyError,
  reply: FastifyReply,
  service: VerificationService,
): Promise<FastifyReply> {
  const status = error.statusCode ?? 500;
  if (status === 413 || status === 408) {
    // The rest of the body was never read: the connection cannot carry another request.
    reply.header('connection', 'close');
    return sendResponse(
      reply,
      status === 413
        ? json(413, { error: 'body_too_large', message: 'The request body is too large.' })
        : json(408, { error: 'body_timeout', message: 'The request body did not arrive in time.' }),
    );
  }
  if (status >= 400 && status < 500) {
    return sendResponse(
      reply,
      json(status, { error: 'invalid_input', message: 'The request is not valid.' }),
    );
  }
  service.logger.error('verification route failed', {
    code: 'internal_error',
    statusCode: 500,
    reason: error instanceof Error ? error.name : typeof error,
  });
  return sendResponse(
    reply,
    json(500, { error: 'internal_error', message: 'Unexpected error; see the server logs.' }),
  );
}

export type { ReturnTo, RouteOptions } from './http/routes.js';
