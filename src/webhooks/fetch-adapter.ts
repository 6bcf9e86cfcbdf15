import {
  bodyTimeoutAnswer,
  bodyTooLargeAnswer,
  bodyUnreadableAnswer,
  checkedBodyLimit,
  checkedBodyTimeout,
  declaredLengthExceeds,
  readWebStream,
} from './raw-body.js';
import {
  failureAnswer,
  methodNotAllowedAnswer,
  signatureErrorAnswer,
  wireAnswer,
} from './signature-answer.js';
import { bodyStreamConsumed } from './signature-messages.js';
import type { WebhookAnswer, WebhookHandler } from './types.js';

/** Options of {@link toFetchHandler}. */
export interface FetchAdapterOptions {
  /** Largest request body accepted, in bytes; larger ones get 413 without being buffered whole. */
  maxBodyBytes: number;
  /**
   * Seconds the whole body may take to arrive (`webhooks.bodyTimeoutSeconds`); past it the stream is
   * cancelled and the answer is 408, so an endless or trickling body cannot hold the handler. Default 10.
   */
  bodyTimeoutSeconds?: number;
}

/**
 * Wraps a {@link WebhookHandler} as a Web-standard `(request) => Response` handler, for Next.js route handlers,
 * Hono, Bun, Deno and Cloudflare Workers.
 *
 * Accepts only POST (405 with `Allow: POST` otherwise), reads the body as bytes and refuses a body over
 * `maxBodyBytes` with 413, first from `Content-Length`, then by counting while reading. Always answers JSON; a
 * handler that throws yields 500 `{ error: 'internal_error' }`, never a rejected promise.
 *
 * @throws ConfigError when `maxBodyBytes` is not a positive whole number.
 */
export function toFetchHandler(
  handle: WebhookHandler,
  opts: FetchAdapterOptions,
): (request: Request) => Promise<Response> {
  const maxBodyBytes = checkedBodyLimit(opts?.maxBodyBytes);
  const timeoutMs = checkedBodyTimeout(opts?.bodyTimeoutSeconds) * 1000;
  return async (request) => {
    if (request.method !== 'POST') return jsonResponse(methodNotAllowedAnswer(), { allow: 'POST' });
    try {
      return jsonResponse(await answer(handle, request, maxBodyBytes, timeoutMs));
    } catch (error) {
      return jsonResponse(failureAnswer(error));
    }
  };
}

async function answer(
  handle: WebhookHandler,
  request: Request,
  maxBodyBytes: number,
  timeoutMs: number,
): Promise<WebhookAnswer> {
  if (request.bodyUsed) return signatureErrorAnswer(bodyStreamConsumed());
  if (declaredLengthExceeds(request.headers.get('content-length'), maxBodyBytes)) {
    request.body?.cancel().catch(() => {});
    return bodyTooLargeAnswer(maxBodyBytes);
  }
  const read = await readWebStream(request.body, maxBodyBytes, timeoutMs);
  if (read.kind === 'too_large') return bodyTooLargeAnswer(maxBodyBytes);
  if (read.kind === 'timed_out') return bodyTimeoutAnswer(timeoutMs);
  if (read.kind === 'failed') return bodyUnreadableAnswer();
  return handle({ rawBody: read.bytes, signature: request.headers.get('stripe-signature') });
}

function jsonResponse(answer: WebhookAnswer, extraHeaders: Record<string, string> = {}): Response {
  const { status, text } = wireAnswer(answer);
  return new Response(text, { status, headers: { ...extraHeaders, 'content-type': 'application/json' } });
}
