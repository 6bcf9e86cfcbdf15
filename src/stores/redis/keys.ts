import { createHash } from 'node:crypto';

/**
 * The Redis key layout of one store. Every key starts with the prefix, then a kind segment that no other
 * kind starts with, so that no user id, subject or event id can make two kinds collide.
 *
 * Redis Cluster runs a script only when all its keys hash to one slot. Everything the contract changes
 * atomically belongs to one subject (the pseudonym): its ledger, its link window, its session records
 * and its owner index. Those keys carry the hash tag `{<slot tag>}`, a hex digest of the subject, so they
 * share a slot whatever characters the subject holds. A tombstone owner (`redacted:<subject>`) keeps its
 * subject's tag, so a redaction rewrites a record inside the same slot.
 *
 * Two kinds live elsewhere: event claims (one key each, touched alone) and the session-id pointer, which
 * names the slot tag of a session id so that `getSession(id)` can find the record. The pointer is the
 * only thing that spans slots; see `RedisSessions` for why that stays safe.
 */
export interface RedisKeys {
  /** Hash of one session: `u` owner, `v` version, `d` the rest as JSON. */
  session(tag: string, sessionId: string): string;
  /** String: the slot tag of the subject that holds the session `sessionId`. */
  sessionPointer(sessionId: string): string;
  /** Sorted set of an owner's session ids, scored by `createdAt`. */
  owner(owner: string): string;
  /** Hash of a subject's ledger: ordinal counter, reconcile flag, pending reservation, TTL. */
  ledger(subject: string): string;
  /** Sorted set of a subject's counted sessions, scored by `createdAt`. */
  ledgerSessions(subject: string): string;
  /** Sorted set of a subject's report ids, scored by submission time. */
  submissions(subject: string): string;
  /** Sorted set of a subject's recent link takes, scored by time. */
  links(subject: string): string;
  /** Hash of one webhook event claim: `s` state, `until`. */
  event(eventId: string): string;
  /**
   * Full prefix of session keys (before `{tag}:id`), for scripts that build a session key themselves.
   * Keys a script builds do not pass through the client, so this one includes the client's `keyPrefix`.
   */
  readonly sessionPrefix: string;
  /** Full prefix of owner-index keys (before `{tag}:owner`), for scripts that build one from `u`. */
  readonly ownerPrefix: string;
}

/** Owners of redaction tombstones (see the service's owner policy) share their subject's slot. */
const TOMBSTONE_PREFIX = 'redacted:';

/**
 * The slot tag of a subject or an owner: 16 hex digits of SHA-1 of the subject. Hex never holds `{` or
 * `}`, so the tag Redis hashes is exactly this string.
 */
export function slotTag(subjectOrOwner: string): string {
  const subject = subjectOrOwner.startsWith(TOMBSTONE_PREFIX)
    ? subjectOrOwner.slice(TOMBSTONE_PREFIX.length)
    : subjectOrOwner;
  return createHash('sha1').update(subject).digest('hex').slice(0, 16);
}

/**
 * The key layout under `prefix`. `clientKeyPrefix` is ioredis's `keyPrefix` option, which the client adds
 * to KEYS by itself but not to the keys a script builds from its arguments.
 */
export function redisKeys(prefix: string, clientKeyPrefix = ''): RedisKeys {
  const tagged = (kind: string, subject: string) => `${prefix}${kind}:{${slotTag(subject)}}:${subject}`;
  return {
    session: (tag, sessionId) => `${prefix}session:{${tag}}:${sessionId}`,
    sessionPointer: (sessionId) => `${prefix}session-slot:${sessionId}`,
    owner: (owner) => tagged('owner', owner),
    ledger: (subject) => tagged('ledger', subject),
    ledgerSessions: (subject) => tagged('ledger-sessions', subject),
    submissions: (subject) => tagged('ledger-submissions', subject),
    links: (subject) => tagged('links', subject),
    event: (eventId) => `${prefix}event:${eventId}`,
    sessionPrefix: `${clientKeyPrefix}${prefix}session:`,
    ownerPrefix: `${clientKeyPrefix}${prefix}owner:`,
  };
}
