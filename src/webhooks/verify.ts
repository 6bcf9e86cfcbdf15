import { hmacSha256Sync } from '../crypto.js';
import { ConfigError } from '../errors.js';
import { toRawBody } from './signature-body.js';
import { parseSignatureHeader } from './signature-header.js';
import { constantTimeEqual, hmacSha256, signedPayload } from './signature-hmac.js';
import {
  missingSecret,
  noMatchingSignature,
  timestampTooNew,
  timestampTooOld,
} from './signature-messages.js';

/** Stripe's libraries default to five minutes; so do we. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** How to check a `Stripe-Signature` header. */
export interface VerifyOptions {
  /**
   * The endpoint's signing secrets (`whsec_…`). Several during a roll: Stripe signs with every active secret,
   * and a signature that matches any of them is accepted.
   */
  secrets: readonly string[];
  /**
   * Largest accepted distance, in seconds, between the signing time and now, in either direction. Default 300.
   * Must be positive: unlike stripe-node, 0 does not switch the replay check off.
   */
  toleranceSeconds?: number;
  /** Current time in epoch milliseconds; defaults to `Date.now`. Inject it to test, or to check queued events. */
  now?: () => number;
}

/** A verified request. */
export interface VerifiedPayload {
  /** The body as UTF-8 text, ready for `JSON.parse`. */
  payload: string;
  /** The signing time `t` from the header, in unix seconds. */
  timestamp: number;
  /** Index in `secrets` of the secret whose signature matched (shows when an old secret can be retired). */
  secretIndex: number;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Verifies a `Stripe-Signature` header over the raw request body and resolves to the body text on success.
 *
 * The HMAC covers the body's exact bytes, so pass what arrived on the wire: a `Uint8Array`/`Buffer`, an
 * `ArrayBuffer`, or text that was never parsed and re-serialized. Unlike stripe-node, timestamps too far in the
 * future are refused as well as stale ones. Imports nothing from Node: it signs with the runtime's built-in HMAC
 * where one is offered and with Web Crypto elsewhere, so it works on Node and edge runtimes alike.
 *
 * @param rawBody - The request body exactly as received.
 * @param header - The `Stripe-Signature` header value.
 * @param options - Secrets, tolerance and clock.
 * @returns The body text, the signing timestamp and which secret matched.
 * @throws WebhookSignatureError for anything wrong with the request (see its `reason`); ConfigError only for a
 *   non-positive `toleranceSeconds` or a clock that returns no number, which are programming errors.
 */
export async function verifyStripeSignature(
  rawBody: string | Uint8Array | unknown,
  header: string | string[] | null | undefined,
  options: VerifyOptions,
): Promise<VerifiedPayload> {
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds <= 0) {
    throw new ConfigError(
      'webhooks.toleranceSeconds',
      'must be a positive number of seconds; 0 or less would switch off replay protection',
    );
  }
  const secrets = usableSecrets(options.secrets);
  const body = toRawBody(rawBody);
  const signature = parseSignatureHeader(header);

  const message = signedPayload(signature.timestamp, body);
  let secretIndex = -1;
  for (let index = 0; index < secrets.length && secretIndex < 0; index += 1) {
    const secret = secrets[index] as string;
    const sync = hmacSha256Sync();
    const expected = sync ? sync(secret, message) : await hmacSha256(secret, message);
    let matched = false;
    // Every candidate is compared, so timing does not reveal which of several signatures matched.
    for (const candidate of signature.v1) matched = constantTimeEqual(expected, candidate) || matched;
    if (matched) secretIndex = index;
  }
  if (secretIndex < 0) {
    throw noMatchingSignature({
      count: secrets.length,
      anyWithWhitespace: secrets.some((secret) => /\s/.test(secret)),
      anyWithoutWhsecPrefix: secrets.some((secret) => !secret.startsWith('whsec_')),
    });
  }

  // Checked after the signature, so a timestamp reason always means "authentic, but at the wrong time".
  const nowMs = (options.now ?? Date.now)();
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) {
    throw new ConfigError('webhooks.now', 'must return the current time in epoch milliseconds');
  }
  const age = Math.floor(nowMs / 1000) - signature.timestamp;
  if (age > toleranceSeconds) throw timestampTooOld(age, toleranceSeconds);
  if (-age > toleranceSeconds) throw timestampTooNew(-age, toleranceSeconds);

  return {
    payload: typeof body === 'string' ? body : decoder.decode(body),
    timestamp: signature.timestamp,
    secretIndex,
  };
}

/** Refuses an empty list and blank entries: a blank usually means an unset environment variable. */
function usableSecrets(secrets: unknown): readonly string[] {
  if (!Array.isArray(secrets) || secrets.length === 0) throw missingSecret('no secrets were configured');
  for (const [index, secret] of secrets.entries()) {
    if (typeof secret !== 'string' || secret.trim() === '') {
      throw missingSecret(
        secrets.length === 1 ? 'the secret is empty' : `the secret at index ${index} is empty or blank`,
      );
    }
  }
  return secrets as readonly string[];
}
