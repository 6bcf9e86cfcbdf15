/**
 * The bytes a Stripe webhook signature covers. The HMAC itself lives in `../crypto.ts`, shared with the
 * rest of the core.
 */
export {
  builtinCryptoHmac,
  constantTimeEqual,
  type HmacSha256,
  hmacSha256,
  webCryptoHmac,
} from '../crypto.js';

const encoder = new TextEncoder();

/**
 * The bytes Stripe signs: `${t}.` followed by the body. A byte body is appended as is, never decoded and
 * re-encoded, so bodies that are not valid UTF-8 still verify against exactly what was sent.
 */
export function signedPayload(timestamp: number, body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return encoder.encode(`${timestamp}.${body}`);
  const prefix = encoder.encode(`${timestamp}.`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix, 0);
  message.set(body, prefix.length);
  return message;
}
