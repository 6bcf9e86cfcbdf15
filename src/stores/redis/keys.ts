/**
 * The Redis key layout of one store. Every key starts with the prefix, then a kind segment that no other
 * kind starts with, so that no user id, subject or event id can make two kinds collide.
 */
export interface RedisKeys {
  /** Hash of one session: `u` owner, `v` version, `d` the rest as JSON. */
  session(sessionId: string): string;
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
   * Full prefix of session keys, for scripts that find a session from an index. Keys a script builds
   * itself do not pass through the client, so this one includes the client's own `keyPrefix`.
   */
  readonly sessionPrefix: string;
  /** Full prefix of user-index keys, for scripts that find the index from a session's owner. */
  readonly userPrefix: string;
}

/**
 * The key layout under `prefix`. `clientKeyPrefix` is ioredis's `keyPrefix` option, which the client adds
 * to KEYS by itself but not to the keys a script builds from its arguments.
 */
export function redisKeys(prefix: string, clientKeyPrefix = ''): RedisKeys {
  return {
    session: (sessionId) => `${prefix}session:${sessionId}`,
    owner: (owner) => `${prefix}owner:${owner}`,
    ledger: (subject) => `${prefix}ledger:${subject}`,
    ledgerSessions: (subject) => `${prefix}ledger-sessions:${subject}`,
    submissions: (subject) => `${prefix}ledger-submissions:${subject}`,
    event: (eventId) => `${prefix}event:${eventId}`,
    links: (subject) => `${prefix}links:${subject}`,
    sessionPrefix: `${clientKeyPrefix}${prefix}session:`,
    userPrefix: `${clientKeyPrefix}${prefix}owner:`,
  };
}
