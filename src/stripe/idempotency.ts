import { sha256Hex } from '../crypto.js';

/**
 * One idempotency key per logical attempt: the user's pseudonym, the attempt ordinal and the request
 * parameters. A retried request for the same attempt replays Stripe's first answer (no second session);
 * a changed configuration gets a new key instead of Stripe's `idempotency_error`.
 */
export async function createSessionKey(subject: string, ordinal: number, params: unknown): Promise<string> {
  const digest = await sha256Hex(JSON.stringify([subject, ordinal, params]));
  return `sik-create-${digest.slice(0, 48)}`;
}
