/**
 * `stripe-identity-kit/node`: adapters from the Web-standard handlers to Node's `http` module
 * (`IncomingMessage` / `ServerResponse`), for Express, Fastify (raw), Koa and plain `node:http`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ParsedIncomingMessage,
  sendNodeProblem,
  sendUnreadBody,
  sendWebResponse,
  toWebRequest,
} from './http/adapters/node-request.js';
import { requestUrl } from './http/adapters/request-url.js';
import type { Logger } from './types.js';

/** A Web-standard handler, such as `createVerificationRoutes(...).fetch`. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /** Largest request body read, in bytes (route calls carry little or nothing). Default 64 KiB. */
  maxBodyBytes?: number;
  /** Seconds the body may take to arrive before the answer is 408. Default 10. */
  bodyTimeoutSeconds?: number;
  /** Origin used to build the request URL when the Host header is missing. Default `http://localhost`. */
  origin?: string;
  /**
   * Where a failure that answers 500 is reported (safe fields only: `code`, `statusCode`, `reason`).
   * Pass `service.logger`; default `console.error`.
   */
  logger?: Pick<Logger, 'error'>;
}

/**
 * Serve a Web-standard handler from `node:http`, Express, Koa or Connect. Works whether or not a body
 * parser ran first: a body it left on `req.body` is used, a stream it consumed is never waited on. A body
 * read from the stream is limited in size (413) and time (408); a handler failure becomes a 500 without
 * details (logged to `logger`), never a crash. The URL is the `Host` header's origin plus the path; a
 * request-target that is not a path starting with a single `/` answers 400, so that the client can
 * never choose the origin the cross-site check compares with.
 */
export function toNodeListener(
  handler: FetchHandler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  const timeoutMs = (options.bodyTimeoutSeconds ?? 10) * 1000;
  const logger = options.logger ?? { error: (message, fields) => console.error(message, fields) };
  return async (req, res) => {
    try {
      // The URL is the Host's origin plus the path; a request-target that is not a path (`//evil.example/…`,
      // `http://evil.example/…`) would otherwise become the request's own origin and pass the CSRF check.
      const url = requestUrl(
        req.headers.host ? `http://${req.headers.host}` : (options.origin ?? 'http://localhost'),
        req.url,
      );
      if (url === null) {
        return sendNodeProblem(res, 400, 'invalid_input', 'The request URL or Host header is not valid.');
      }
      const read = await toWebRequest(req as ParsedIncomingMessage, { maxBodyBytes, timeoutMs, url });
      if (read.kind !== 'request') return sendUnreadBody(req, res, read.kind, maxBodyBytes);
      await sendWebResponse(res, await handler(read.request));
    } catch (error) {
      logger.error('verification route failed', {
        code: 'internal_error',
        statusCode: 500,
        reason: error instanceof Error ? error.name : typeof error,
      });
      if (!res.headersSent)
        sendNodeProblem(res, 500, 'internal_error', 'Unexpected error; see the server logs.');
      else res.destroy();
    }
  };
}

export { toNodeHandler } from './webhooks/node-adapter.js';
