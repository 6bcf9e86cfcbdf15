/** Stripe's webhook signature scheme: `t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">` (+ a fake `v0` in test mode). */
import { createHmac } from 'node:crypto';

function hmacHex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/**
 * The `Stripe-Signature` header for `payload` signed with `secret` at `timestampSeconds`. With `testMode`
 * a `v0` signature is appended, as Stripe does for test events (verifiers must ignore it).
 */
export function stripeSignatureHeader(
  payload: string,
  secret: string,
  timestampSeconds: number,
  testMode = true,
): string {
  const signed = `${timestampSeconds}.${payload}`;
  const parts = [`t=${timestampSeconds}`, `v1=${hmacHex(secret, signed)}`];
  // Stripe's v0 is not verifiable with the endpoint secret; derive it from another key so nobody relies on it.
  if (testMode) parts.push(`v0=${hmacHex(`v0:${secret}`, signed)}`);
  return parts.join(',');
}
