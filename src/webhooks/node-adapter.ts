import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BodyRead,
  bodyTimeoutAnswer,
  bodyTooLargeAnswer,
  bodyUnreadableAnswer,
  checkedBodyLimit,
  checkedBodyTimeout,
  declaredLengthExceeds,
  readEventSource,
} from './raw-body.js';
import {
  failureAnswer,
  methodNotAllowedAnswer,
  signatureErrorAnswer,
  wireAnswer,
} from './signature-answer.js';
import { bodyNotRaw, bodyStreamConsumed, duplicatedHeader } from './signature-messages.js';
import type { WebhookAnswer, WebhookHandler } from './types.js';

/** Options of {@link toNodeHandler}. */
export interface NodeAdapterOptions {
  /** Largest request body accepted, in bytes; larger ones get 413 and the rest is not read into memory. */
  maxBodyBytes: number;
  /**
   * Seconds the whole body may take to arrive (`webhooks.bodyTimeoutSeconds`); past it the answer is 408
   * and the connection is closed, so a client trickling bytes cannot hold a handler. Default 10.
   */
  bodyTimeoutSeconds?: number;
}

/** A request as frameworks hand it over: body parsers (Express, Next.js Pages) leave their result on `body`. */
type FrameworkRequest = IncomingMessage & { body?: unknown };

/** An answer, plus the response headers it needs (`Allow` on 405, `Connection: close` after an early 413). */
interface NodeAnswer {
  answer: WebhookAnswer;
  headers?: Record<string, string>;
  /** Destroy the request once answered: its body is still arriving. */
  release?: boolean;
}

/**
 * Wraps a {@link WebhookHandler} as a Node `(req, res)` handler, for `node:http`, Express, Fastify's raw
 * request and Next.js Pages API routes.
 *
 * Reads the raw body from the request stream itself, refusing one over `maxBodyBytes` with 413 (the connection
 * is closed after it instead of reading on). When a framework got to the body first: a `Buffer`/`Uint8Array` or
 * string `req.body` is used as the raw body; a parsed object, or a stream already read with nothing left on
 * `req.body`, gets 400 with reason `body_not_raw` and the fix. Always answers JSON; a handler that throws yields
 * 500; an aborted request is dropped quietly. The returned promise never rejects.
 *
 * @throws ConfigError when `maxBodyBytes` is not a positive whole number.
 */
export function toNodeHandler(
  handle: WebhookHandler,
  opts: NodeAdapterOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxBodyBytes = checkedBodyLimit(opts?.maxBodyBytes);
  const timeoutMs = checkedBodyTimeout(opts?.bodyTimeoutSeconds) * 1000;
  return async (req, res) => {
    let outcome: NodeAnswer | null;
    try {
      outcome = await answer(handle, req as FrameworkRequest, maxBodyBytes, timeoutMs);
    } catch (error) {
      outcome = { answer: failureAnswer(error) };
    }
    if (outcome === null) return;
    if (outcome.release) {
      // The client is still sending: once the answer is out, drop the connection instead of reading on.
      res.once('finish', () => req.destroy());
      res.once('close', () => req.destroy());
    }
    send(res, outcome);
  };
}

async function answer(
  handle: WebhookHandler,
  req: FrameworkRequest,
  maxBodyBytes: number,
  timeoutMs: number,
): Promise<NodeAnswer | null> {
  if (req.method !== 'POST') return { answer: methodNotAllowedAnswer(), headers: { allow: 'POST' } };
  const signature = req.headers['stripe-signature'];
  const given = frameworkBody(req.body);

  if (given.kind === 'raw') {
    if (byteLength(given.body) > maxBodyBytes) return { answer: bodyTooLargeAnswer(maxBodyBytes) };
    return { answer: await handleWith(handle, given.body, signature) };
  }
  const streamUnread = !req.readableEnded && !req.readableDidRead && !req.destroyed;
  // body-parser 1.x sets req.body = {} even when it skipped the request: the stream is then still unread.
  if (given.kind === 'parsed' && !(given.empty && streamUnread)) {
    return { answer: signatureErrorAnswer(bodyNotRaw()) };
  }
  if (!streamUnread) return { answer: signatureErrorAnswer(bodyStreamConsumed()) };

  if (declaredLengthExceeds(req.headers['content-length'], maxBodyBytes)) return tooLarge(maxBodyBytes);
  const read: BodyRead = await readEventSource(req, maxBodyBytes, timeoutMs);
  if (read.kind === 'too_large') return tooLarge(maxBodyBytes);
  if (read.kind === 'timed_out') {
    return { answer: bodyTimeoutAnswer(timeoutMs), headers: { connection: 'close' }, release: true };
  }
  if (read.kind === 'failed') return req.socket?.destroyed ? null : { answer: bodyUnreadableAnswer() };
  return { answer: await handleWith(handle, read.bytes, signature) };
}

/** Node joins repeated headers into one string; an array only comes from a framework's own header handling. */
function handleWith(
  handle: WebhookHandler,
  rawBody: string | Uint8Array,
  signature: string | string[] | undefined,
): Promise<WebhookAnswer> {
  if (Array.isArray(signature)) return Promise.resolve(signatureErrorAnswer(duplicatedHeader()));
  return handle({ rawBody, signature });
}

/** The client may still be sending: answer, then close rather than read the rest. */
function tooLarge(maxBodyBytes: number): NodeAnswer {
  return { answer: bodyTooLargeAnswer(maxBodyBytes), headers: { connection: 'close' } };
}

type GivenBody =
  | { kind: 'none' }
  | { kind: 'raw'; body: string | Uint8Array }
  | { kind: 'parsed'; empty: boolean };

function frameworkBody(body: unknown): GivenBody {
  if (body === undefined || body === null) return { kind: 'none' };
  if (typeof body === 'string') return { kind: 'raw', body };
  if (ArrayBuffer.isView(body)) {
    return { kind: 'raw', body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  }
  const empty =
    typeof body === 'object' &&
    Object.getPrototypeOf(body) === Object.prototype &&
    Object.keys(body).length === 0;
  return { kind: 'parsed', empty };
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? new TextEncoder().encode(body).byteLength : body.byteLength;
}

function send(res: ServerResponse, outcome: NodeAnswer): void {
  try {
    if (res.headersSent || res.writableEnded || res.destroyed || res.socket?.destroyed === true) return;
    const { status, text } = wireAnswer(outcome.answer);
    res.statusCode = status;
    for (const [name, value] of Object.entries(outcome.headers ?? {})) res.setHeader(name, value);
    res.setHeader('content-type', 'application/json');
    res.end(text);
  } catch {
    // The connection is gone or unusable; there is no one left to answer.
  }
}
