import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { readEventSource } from '../../webhooks/raw-body.js';

/** A Node request as frameworks hand it over: a body parser that ran first leaves its result on `body`. */
export type ParsedIncomingMessage = IncomingMessage & { body?: unknown };

/** How turning a Node request into a Web `Request` ended. */
export type WebRequestRead =
  | { kind: 'request'; request: Request }
  | { kind: 'too_large' }
  | { kind: 'timed_out' }
  | { kind: 'failed' };

/** Limits and the address used to build the Web request. */
export interface WebRequestOptions {
  /** Largest body read from the stream, in bytes. */
  maxBodyBytes: number;
  /** Milliseconds the body may take to arrive. */
  timeoutMs: number;
  /** The absolute URL of the request (frameworks know it better: `req.protocol`, `req.originalUrl`). */
  url: string;
}

/**
 * A Web `Request` for a Node request, whether or not a body parser ran before: a `Buffer` or string on
 * `req.body` is the body; a parsed object is sent on as JSON; a stream that was read already is never
 * waited on (its `end` happened; waiting would hang the request); only an untouched stream is read, with a
 * size and a time limit.
 */
export async function toWebRequest(
  req: ParsedIncomingMessage,
  options: WebRequestOptions,
): Promise<WebRequestRead> {
  const method = req.method ?? 'GET';
  const headers = webHeaders(req.headers);
  let body: Uint8Array<ArrayBuffer> | string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const streamUnread = !req.readableEnded && !req.readableDidRead && !req.destroyed;
    const given = req.body;
    if (typeof given === 'string') body = given;
    else if (ArrayBuffer.isView(given))
      body = new Uint8Array(given.buffer, given.byteOffset, given.byteLength).slice();
    else if (given !== undefined && given !== null && !(isEmptyPlaceholder(given) && streamUnread)) {
      body = JSON.stringify(given);
      headers.set('content-type', 'application/json');
      headers.delete('content-length');
    } else if (streamUnread) {
      const read = await readEventSource(req, options.maxBodyBytes, options.timeoutMs);
      if (read.kind !== 'complete') return read;
      body = read.bytes.slice();
    }
  }
  if (body !== undefined) headers.delete('transfer-encoding');
  const request = new Request(options.url, { method, headers, ...(body === undefined ? {} : { body }) });
  return { kind: 'request', request };
}

/** Node's header record as Web `Headers` (HTTP/2 pseudo-headers left out). */
export function webHeaders(record: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(record)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const item of [value].flat()) headers.append(name, item);
  }
  return headers;
}

/** body-parser sets `req.body = {}` even on requests it skipped: then the stream is still unread. */
function isEmptyPlaceholder(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    Object.getPrototypeOf(body) === Object.prototype &&
    Object.keys(body).length === 0
  );
}

/** Write a Web `Response` to a Node response, each `Set-Cookie` as its own header. */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(new Uint8Array(await response.arrayBuffer()));
}

/** A JSON error answer written straight to Node (before any Web request exists). */
export function sendNodeProblem(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify({ error, message }));
}

/** The answer for a body that could not become a request: 413, 408 or 400; the connection is released. */
export function sendUnreadBody(
  req: IncomingMessage,
  res: ServerResponse,
  kind: 'too_large' | 'timed_out' | 'failed',
  maxBodyBytes: number,
): void {
  if (kind === 'failed' && req.socket?.destroyed) return;
  res.once('finish', () => req.destroy());
  if (kind === 'too_large') {
    sendNodeProblem(res, 413, 'body_too_large', `Request bodies are limited to ${maxBodyBytes} bytes.`, {
      connection: 'close',
    });
  } else if (kind === 'timed_out') {
    sendNodeProblem(res, 408, 'body_timeout', 'The request body did not arrive in time.', {
      connection: 'close',
    });
  } else {
    sendNodeProblem(res, 400, 'body_unreadable', 'The request body could not be read to its end.', {
      connection: 'close',
    });
  }
}
