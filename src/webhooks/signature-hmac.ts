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
 * What Stripe signs: `${t}.` followed by the body. Text stays text (the HMAC hashes its UTF-8 bytes); a
 * byte body is appended as is, never decoded and re-encoded, so bodies that are not valid UTF-8 still
 * verify against exactly what was sent.
 */
export function signedPayload(
  timestamp: number,
  body: string | Uint8Array,
): string | Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return `${timestamp}.${body}`;
  const prefix = encoder.encode(`${timestamp}.`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix, 0);
  message.set(body, prefix.length);
  return message;
}
