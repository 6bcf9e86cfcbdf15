/**
 * `stripe-identity-kit/node`: adapters from the Web-standard handlers to Node's `http` module
 * (`IncomingMessage` / `ServerResponse`), for Express, Fastify (raw), Koa and plain `node:http`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Web-standard handler, such as `createVerificationRoutes(...).fetch`. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /** Largest request body read, in bytes (route calls carry little or nothing). Default 64 KiB. */
  maxBodyBytes?: number;
  /** Origin used to build the request URL when the Host header is missing. Default `http://localhost`. */
  origin?: string;
}

/**
 * Serve a Web-standard handler from `node:http`. The body is read with a size limit (413 past it); a
 * handler failure becomes a 500 without details, never a crash.
 */
export function toNodeListener(
  handler: FetchHandler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  return async (req, res) => {
    try {
      const body =
        req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req, maxBodyBytes);
      if (body === null) return send(res, 413, { error: 'body_too_large' });
      const origin = req.headers.host ? `http://${req.headers.host}` : (options.origin ?? 'http://localhost');
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      }
      const request = new Request(new URL(req.url ?? '/', origin), {
        method: req.method ?? 'GET',
        headers,
        ...(body ? { body } : {}),
      });
      const response = await handler(request);
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      res.end(new Uint8Array(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) send(res, 500, { error: 'internal_error' });
      else res.destroy();
    }
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Read the whole body, or `null` once it passes `maxBytes`. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on('data', (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const out = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
      }
      resolve(out);
    });
    req.on('error', reject);
  });
}

export { toNodeHandler } from './webhooks/node-adapter.js';
