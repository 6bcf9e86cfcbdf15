import { hmacSha256, sha256Hex, toHex } from '../crypto.js';
import type { Logger } from '../types.js';

const encoder = new TextEncoder();

/**
 * A keyed pseudonym of a user id (HMAC-SHA256 with `redaction.hashSecret`). The attempt ledger is kept
 * under it, so that limits survive the deletion of the user's records without keeping the id itself.
 * Without a secret an unkeyed hash is used: it hides the id from casual reading only (documented).
 */
export function createPseudonymizer(hashSecret: string | undefined): (userId: string) => Promise<string> {
  const cache = new Map<string, string>();
  const digest = async (userId: string): Promise<string> => {
    if (!hashSecret) return `h1:${(await sha256Hex(`stripe-identity-kit:${userId}`)).slice(0, 40)}`;
    const mac = await hmacSha256(hashSecret, encoder.encode(userId));
    return `k1:${toHex(mac.slice(0, 20))}`;
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
  /** Detail for debugging; only allow-listed reference fields pass. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** A normal event (a session created, a submission counted). */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something the library worked around (a cancel Stripe refused, a throttled user). */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure answered 5xx or thrown; printed to `console.error` when no `logger` option is given. */
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

/**
 * Errors go to `console.error` when no `logger` option is given, so that a failure answered 5xx is never
 * silent; the other levels stay quiet. Fields pass the same allow-list.
 */
const consoleErrors: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message, fields) => console.error(`[stripe-identity-kit] ${message}`, fields ?? {}),
};

/**
 * Wrap the `logger` option so that the library's own logs can never carry links, secrets or PII.
 * `undefined` logs errors to `console.error`; `false` silences the library.
 */
export function createSafeLogger(logger: Logger | false | undefined): SafeLogger {
  const target = logger === undefined ? consoleErrors : logger;
  const emit =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (!target) return;
      try {
        target[level](message, safeFields(fields));
      } catch {
        // A failing logger must not break verification.
      }
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** The fields of a session that are safe to log or show support staff. */
export type SafeSession = {
  id: string;
  status: string;
  type: string | null;
  livemode: boolean;
  created: number;
  last_error: { code: string | null } | null;
  redaction: { status: string } | null;
};

/**
 * Reduce a Stripe session (or anything shaped like one) to an allow-list: `id`, `status`, `type`,
 * `livemode`, `created`, `last_error.code`, `redaction.status`. Links, secrets, verified outputs,
 * provided details, error reasons and metadata are dropped.
 */
export function toSafeSession(session: unknown): SafeSession {
  const source = (typeof session === 'object' && session !== null ? session : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const lastError = source.last_error as { code?: unknown } | null | undefined;
  const redaction = source.redaction as { status?: unknown } | null | undefined;
  return {
    id: text(source.id) ?? '',
    status: text(source.status) ?? 'unknown',
    type: text(source.type),
    livemode: source.livemode === true,
    created: typeof source.created === 'number' ? source.created : 0,
    last_error: lastError && typeof lastError === 'object' ? { code: text(lastError.code) } : null,
    redaction:
      redaction && typeof redaction === 'object' ? { status: text(redaction.status) ?? 'unknown' } : null,
  };
}
