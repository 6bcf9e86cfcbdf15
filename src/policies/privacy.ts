import type { Logger } from '../types.js';
import { sha256Hex } from '../stripe/idempotency.js';

const encoder = new TextEncoder();

/**
 * A keyed pseudonym of a user id (HMAC-SHA256 with `redaction.hashSecret`). The attempt ledger is kept
 * under it, so that limits survive the deletion of the user's records without keeping the id itself.
 * Without a secret an unkeyed hash is used: it hides the id from casual reading only (documented).
 */
export function createPseudonymizer(hashSecret: string | undefined): (userId: string) => Promise<string> {
  const cache = new Map<string, string>();
  let key: Promise<CryptoKey> | null = null;
  const digest = async (userId: string): Promise<string> => {
    if (!hashSecret) return `h1:${(await sha256Hex(`stripe-identity-kit:${userId}`)).slice(0, 40)}`;
    key ??= crypto.subtle.importKey('raw', encoder.encode(hashSecret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(userId)));
    return `k1:${[...mac.slice(0, 20)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  };
  return async (userId) => {
    const known = cache.get(userId);
    if (known) return known;
    const subject = await digest(userId);
    if (cache.size >= 10_000) cache.clear();
    cache.set(userId, subject);
    return subject;
  };
}

/** Fields the library may log; everything else is dropped before it reaches the logger option. */
const LOGGABLE = new Set([
  'sessionId',
  'status',
  'code',
  'errorCode',
  'eventId',
  'eventType',
  'requestId',
  'outcome',
  'reason',
  'count',
  'left',
  'subject',
  'statusCode',
  'attempt',
  'store',
]);

const SAFE_VALUE = /^[\w.:-]{0,120}$/;

/** A logger that can only carry allow-listed reference fields. */
export interface SafeLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Keep allow-listed fields whose values are plain identifiers or numbers; drop the rest. */
export function safeFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!LOGGABLE.has(name)) continue;
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) kept[name] = value;
    else if (typeof value === 'string' && SAFE_VALUE.test(value)) kept[name] = value;
  }
  return kept;
}

/** Wrap the `logger` option so that the library's own logs can never carry links, secrets or PII. */
export function createSafeLogger(logger: Logger | undefined): SafeLogger {
  const emit =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (!logger) return;
      try {
        logger[level](message, safeFields(fields));
      } catch {
        // A failing logger must not break verification.
      }
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
