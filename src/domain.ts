/**
 * The library's own vocabulary: what it knows about a user's verification, by reference only.
 * Nothing here can hold a link, a client secret or personal data.
 */

/** The four statuses of a Stripe VerificationSession. */
export type SessionStatus = 'requires_input' | 'processing' | 'verified' | 'canceled';

/** Where a redaction of one session stands, as far as this library knows. */
export type RedactionState =
  /** Asked for while the session was processing; redacted when processing ends. */
  | 'waiting_for_processing'
  /** Stripe accepted the redaction and is erasing (`redaction.status: processing`). */
  | 'redaction_pending'
  /** Stripe confirmed (`redaction.status: redacted`, or the `redacted` event). */
  | 'redacted';

/**
 * What the store keeps about one session: references, never personal data or links.
 * Times are milliseconds since the epoch unless the name says otherwise.
 */
export interface SessionRecord {
  /** Stripe's `vs_…` id. */
  sessionId: string;
  /**
   * Whose session this is, as the user's pseudonym: a keyed hash of your user id (`k1:…`, or `h1:…` without
   * a `redaction.hashSecret`), or `redacted:<pseudonym>` once the user asked for deletion. The raw user id is
   * never stored: it lives in your app and at Stripe (`client_reference_id`), so no store file, backup or
   * dead tuple can name the user.
   */
  owner: string;
  status: SessionStatus;
  /** `last_error.code` (never the free-text `reason`). */
  lastErrorCode: string | null;
  /** `last_verification_report` id: each new report is a new, billed submission. */
  reportId: string | null;
  /** Unix seconds of the Stripe fact that set this state (event `created`, or the retrieve time). */
  observedAt: number;
  /** When Stripe created the session (ms). */
  createdAt: number;
  /** When this record last changed (ms, local clock). */
  updatedAt: number;
  livemode: boolean;
  redaction: RedactionState | null;
  /** Optimistic-concurrency counter, owned by the store: every successful write increments it. */
  version: number;
}

/** A session record before the store has assigned its version. */
export type NewSessionRecord = Omit<SessionRecord, 'version'>;
