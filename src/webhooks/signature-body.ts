import { bodyEmpty, bodyNotRaw } from './signature-messages.js';

/**
 * Accepts the raw body in the forms runtimes hand it over (text, `Uint8Array`/`Buffer`, any typed-array view,
 * `ArrayBuffer`) and refuses everything else: a parsed object has lost the bytes that were signed.
 *
 * @throws WebhookSignatureError `body_empty` or `body_not_raw`.
 */
export function toRawBody(body: unknown): string | Uint8Array {
  if (typeof body === 'string') {
    if (body.length === 0) throw bodyEmpty();
    return body;
  }
  if (body === null || body === undefined) throw bodyEmpty();
  let bytes: Uint8Array | undefined;
  // ArrayBuffer.isView and the tag check also recognize views and buffers made in another realm (vm, workers).
  if (ArrayBuffer.isView(body)) bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  else if (body instanceof ArrayBuffer || Object.prototype.toString.call(body) === '[object ArrayBuffer]') {
    bytes = new Uint8Array(body as ArrayBuffer);
  }
  if (bytes === undefined) throw bodyNotRaw();
  if (bytes.length === 0) throw bodyEmpty();
  return bytes;
}
