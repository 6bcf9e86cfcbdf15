import { ConfigError } from '../errors.js';
import type { WebhookAnswer } from './types.js';

/*
 * Bounded readers for the raw request body, shared by the fetch and Node adapters. Both stop at the limit
 * instead of buffering a huge body whole, and both report a broken stream as a value rather than throwing.
 */

/** How reading the body ended. */
export type BodyRead =
  | { kind: 'complete'; bytes: Uint8Array }
  | { kind: 'too_large' }
  | { kind: 'timed_out' }
  | { kind: 'failed' };

const encoder = new TextEncoder();

/** Validates the adapters' `maxBodyBytes` option once, when the handler is built. */
export function checkedBodyLimit(maxBodyBytes: unknown): number {
  if (typeof maxBodyBytes !== 'number' || !Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new ConfigError(
      'webhooks.maxBodyBytes',
      'must be a positive whole number of bytes (Stripe events are small; 1048576 is plenty)',
    );
  }
  return maxBodyBytes;
}

/** Validates the adapters' `bodyTimeoutSeconds` option once; absent means the default of 10 seconds. */
export function checkedBodyTimeout(bodyTimeoutSeconds: unknown): number {
  if (bodyTimeoutSeconds === undefined) return 10;
  if (typeof bodyTimeoutSeconds !== 'number' || !(bodyTimeoutSeconds > 0) || bodyTimeoutSeconds > 300) {
    throw new ConfigError(
      'webhooks.bodyTimeoutSeconds',
      'must be a number of seconds above 0 and at most 300 (Stripe sends small bodies at once; 10 is plenty)',
    );
  }
  return bodyTimeoutSeconds;
}

/**
 * True when a `Content-Length` header already announces more than the limit, so the body need not be read at
 * all. An unparsable value proves nothing; the count while reading still applies.
 */
export function declaredLengthExceeds(contentLength: string | null | undefined, maxBytes: number): boolean {
  if (typeof contentLength !== 'string' || !/^\s*\d+\s*$/.test(contentLength)) return false;
  return Number(contentLength) > maxBytes;
}

/** The 413 answer, naming the limit so that whoever reads Stripe's delivery log knows what to raise. */
export function bodyTooLargeAnswer(maxBytes: number): WebhookAnswer {
  return {
    status: 413,
    body: {
      error: 'body_too_large',
      message: `The request body is larger than the ${maxBytes}-byte limit (webhooks.maxBodyBytes).`,
    },
  };
}

/**
 * The 408 answer for a body still arriving after the time limit (a client trickling bytes to hold a
 * handler), naming the option so that whoever reads Stripe's delivery log knows what to raise.
 */
export function bodyTimeoutAnswer(timeoutMs: number): WebhookAnswer {
  return {
    status: 408,
    body: {
      error: 'body_timeout',
      message: `The request body did not arrive within ${timeoutMs / 1000} s (webhooks.bodyTimeoutSeconds).`,
    },
  };
}

/** The answer when the body could not be read to its end (the client went away, the stream broke). */
export function bodyUnreadableAnswer(): WebhookAnswer {
  return {
    status: 400,
    body: { error: 'body_unreadable', message: 'The request body could not be read to its end.' },
  };
}

/**
 * Reads a Web `ReadableStream` (a fetch `Request.body`) up to `maxBytes`, cancelling it past the limit, or
 * once `timeoutMs` has passed without the end (an endless or trickling stream), so the request is released.
 */
export async function readWebStream(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<BodyRead> {
  if (stream === null) return { kind: 'complete', bytes: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = stream.getReader();
  } catch {
    return { kind: 'failed' }; // locked: someone else is reading it
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timed_out'>((resolve) => {
    if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve('timed_out'), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === 'timed_out') {
        reader.cancel().catch(() => {});
        return { kind: 'timed_out' };
      }
      const { done, value } = next;
      if (done) break;
      const bytes = asBytes(value);
      if (bytes === null) return { kind: 'failed' };
      total += bytes.byteLength;
      if (total > maxBytes) {
        reader.cancel().catch(() => {});
        return { kind: 'too_large' };
      }
      chunks.push(bytes);
    }
  } catch {
    return { kind: 'failed' };
  } finally {
    clearTimeout(timer);
  }
  return { kind: 'complete', bytes: concatenate(chunks, total) };
}

/**
 * The part of a Node readable (an `IncomingMessage`) that reading needs. Structural, so this file carries no Node
 * types into the Web-standard core.
 */
export interface ByteEventSource {
  on(event: string, listener: (chunk: unknown) => void): unknown;
  removeListener(event: string, listener: (chunk: unknown) => void): unknown;
  resume?(): unknown;
}

/**
 * Reads a Node readable up to `maxBytes`. Past the limit it stops collecting and resolves at once; the rest of the
 * stream is left to drain unbuffered. A stream that errors, aborts or closes before its end resolves `failed`.
 * A body still arriving after `timeoutMs` resolves `timed_out`; the caller answers and closes the connection.
 * The caller must check first that the stream has not already ended, or this would wait for an `end` that
 * already happened.
 */
export function readEventSource(
  source: ByteEventSource,
  maxBytes: number,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let settled = false;
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => finish({ kind: 'timed_out' }), timeoutMs)
      : undefined;
    const finish = (result: BodyRead): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      source.removeListener('data', onData);
      source.removeListener('end', onEnd);
      source.removeListener('aborted', onFailure);
      source.removeListener('close', onFailure);
      // The error listener stays: a late error on a stream nobody listens to would crash the process.
      resolve(result);
    };
    const onData = (chunk: unknown): void => {
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : asBytes(chunk);
      if (bytes === null) {
        finish({ kind: 'failed' });
        return;
      }
      total += bytes.byteLength;
      if (total > maxBytes) finish({ kind: 'too_large' });
      else chunks.push(bytes);
    };
    const onEnd = (): void => finish({ kind: 'complete', bytes: concatenate(chunks, total) });
    const onFailure = (): void => finish({ kind: 'failed' });
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onFailure);
    source.on('aborted', onFailure);
    source.on('close', onFailure);
    source.resume?.();
  });
}

function asBytes(chunk: unknown): Uint8Array | null {
  if (!ArrayBuffer.isView(chunk)) return null;
  return chunk instanceof Uint8Array
    ? chunk
    : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function concatenate(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
