import type { NewSessionRecord, SessionRecord } from '../domain.js';

/** What a store can promise; the service refuses configurations a store cannot serve safely. */
export interface StoreCapabilities {
  /** Every method is atomic against concurrent callers of this store. */
  readonly atomic: boolean;
  /** Several processes (app instances) sharing this store see one another's limits and claims. */
  readonly sharedAcrossProcesses: boolean;
  /** The state survives a restart of the process. */
  readonly durable: boolean;
}

/** Outcome of asking for the right to create one session for a user. */
export type SlotReservation =
  /**
   * Go ahead: call Stripe, then commit or release. `ordinal` numbers the subject's attempts (1, 2, …).
   * `reconcile` is true when the last attempt ended indeterminate (Stripe may hold a session the store
   * does not know): list the user's sessions at Stripe before creating.
   */
  | { outcome: 'reserved'; reservationId: string; ordinal: number; reconcile?: boolean }
  /** Another caller holds the user's slot until `until` (ms): wait for its result instead of creating. */
  | { outcome: 'busy'; until: number }
  /** `limit` sessions were created inside the window; the oldest leaves it at `retryAt` (ms). */
  | { outcome: 'limit'; retryAt: number };

/** Parameters of {@link IdentityStore.reserveSessionSlot}. */
export interface ReserveSlotInput {
  /** Sessions allowed per window. Committed sessions and the pending reservation both count. */
  limit: number;
  windowMs: number;
  /** Current time (ms); stores never read a clock of their own for decisions. */
  now: number;
  /** How long a reservation holds if its owner never commits or releases (a crash). */
  leaseMs: number;
}

/** Options of {@link IdentityStore.releaseSessionSlot}. */
export interface ReleaseSlotOptions {
  /** Stripe may have created a session: ask the next reservation to reconcile first. */
  indeterminate?: boolean;
  /** This attempt's idempotency key is spent: the next reservation gets the next ordinal. */
  retireKey?: boolean;
}

/** Parameters of {@link IdentityStore.takeLinkRefresh}. */
export interface LinkTakeInput {
  /** Current time (ms). */
  now: number;
  /** Takes allowed inside the window. */
  limit: number;
  /** Length of the sliding window (ms), a minute for `limits.linkRefreshesPerMinute`. */
  windowMs: number;
}

/** The attempts a user has used inside a window, for limits and for `status()`. */
export interface AttemptUsage {
  /** Creation times (ms) of sessions inside the window, oldest first. */
  sessions: number[];
  /** Submission times (ms) inside the window, oldest first: one per verification report. */
  submissions: number[];
}

/** Outcome of claiming a webhook event before running its effects. */
export type EventClaim =
  /** This caller owns the event now and must `completeEvent` or `releaseEvent`. */
  | 'claimed'
  /** Already processed: acknowledge and do nothing. */
  | 'done'
  /** Another caller holds a live claim: do not acknowledge yet, so that Stripe retries. */
  | 'in_flight';

/*
 * Optional fused operations (issue 13): a shared store answers a webhook event in three round trips
 * instead of about six. Each does exactly what the named required methods would do in sequence, in one
 * round trip; the webhook path falls back to the required methods for a store that lacks them.
 */

/** What {@link IdentityStore.writeSession} writes: a compare-and-set update or an insert. */
export type SessionWrite = (
  | { kind: 'update'; record: SessionRecord }
  /** Insert if missing; when inserted and `countFor` is set, count it as `commitSessionSlot(countFor, <not pending>, record)` would. */
  | { kind: 'insert'; record: NewSessionRecord; countFor: string | null }
) & {
  /** Only if the write took effect: `recordSubmission(subject, { reportId, at })`. */
  submission?: { subject: string; reportId: string; at: number } | null;
  /** Only if the write took effect: `claimEvent(eventId, { now, leaseMs })`. */
  claim?: { eventId: string; now: number; leaseMs: number } | null;
  /** Only for an insert that took effect: `listSessions(record.owner)` after it. */
  list?: boolean;
  /** Only if the write took effect: `completeEvent(eventId, { now, retainMs })`, its event's last step. */
  complete?: { eventId: string; now: number; retainMs: number } | null;
};

/** Result of {@link IdentityStore.writeSession}; the extras are `null`/`false` when the write did not take effect. */
export interface SessionWriteResult {
  /** What `updateSession` or `insertSession` would have answered. */
  record: SessionRecord | null;
  submissionCounted: boolean;
  claim: EventClaim | null;
  sessions: SessionRecord[] | null;
  /** True when `complete` was applied; a store that leaves it out makes the caller complete the event. */
  completed?: boolean;
}

/** Parameters of {@link IdentityStore.settleEvents}. */
export interface EventSettlement {
  /** `completeEvent` each of these. */
  complete: string[];
  /** `releaseEvent` each of these (ids disjoint from `complete`). */
  release: string[];
  now: number;
  retainMs: number;
}

/**
 * Storage contract. A store is correct when it passes `runStoreConformance` from
 * `stripe-identity-kit/testing`. Stores keep references only and know nothing of Stripe's API.
 * Infrastructure failures must surface as `StoreUnavailableError`.
 */
export interface IdentityStore {
  /** Short name for logs and errors, such as `memory` or `redis`. */
  readonly name: string;
  readonly capabilities: StoreCapabilities;

  /** The record of one session, or `null`. */
  getSession(sessionId: string): Promise<SessionRecord | null>;
  /** Every record of a user, newest `createdAt` first. */
  listSessions(owner: string): Promise<SessionRecord[]>;
  /**
   * Insert a record with version 1. Returns `null` (and changes nothing) when the id exists already,
   * so a session found twice (webhook and reconcile) is recorded once.
   */
  insertSession(record: NewSessionRecord): Promise<SessionRecord | null>;
  /**
   * Compare-and-set: write `record` only if the stored version equals `record.version`; the stored
   * version becomes `record.version + 1`. Returns the stored record, or `null` on a version conflict
   * or a missing record. `owner` and `sessionId` of a stored record never change.
   */
  updateSession(record: SessionRecord): Promise<SessionRecord | null>;
  /** Delete one record; true when it existed. */
  deleteSession(sessionId: string): Promise<boolean>;

  /*
   * The attempt ledger is keyed by `subject`: an opaque pseudonym of the user (a keyed hash computed by
   * the service), never the raw user id, so that counters can outlive a user's deletion request.
   */

  /**
   * Atomically reserve the right to create one session for `subject`: at most one reservation is pending
   * per subject, and committed sessions in the window plus the pending one never exceed `limit`.
   * `ordinal` is the number of sessions ever committed for the subject plus one.
   */
  reserveSessionSlot(subject: string, input: ReserveSlotInput): Promise<SlotReservation>;
  /**
   * Turn the reservation into a counted session and insert its record, in one atomic step.
   * Counting follows the session id: a session is counted (and uses an ordinal) exactly once per subject,
   * even when its record already exists (a webhook recorded it first) or the lease expired. The record is
   * inserted only if missing. Returns `false` when the reservation was not the pending one. The service
   * also calls it with a reservation id that is not pending to count a session it discovered (a `created`
   * webhook, a listing at Stripe): the pending reservation, if any, is left alone.
   */
  commitSessionSlot(subject: string, reservationId: string, record: NewSessionRecord): Promise<boolean>;
  /**
   * Give the reservation back without counting a session. The ordinal (and so the idempotency key of the
   * attempt) stays, so that the next attempt repeats the same request and Stripe answers it with the
   * session it created, if it created one. With `indeterminate` (Stripe may have created a session) the next
   * reservation also says `reconcile: true` until a commit. With `retireKey` (Stripe answered this
   * attempt's key with a final failure that it will replay forever) the ordinal is used up and `reconcile`
   * cleared. Unknown or stale reservation ids are ignored.
   */
  releaseSessionSlot(subject: string, reservationId: string, options?: ReleaseSlotOptions): Promise<void>;
  /**
   * Count one billed submission, once per `reportId` whatever the number of calls.
   * Returns true when this call counted it.
   */
  recordSubmission(subject: string, submission: { reportId: string; at: number }): Promise<boolean>;
  /** Sessions and submissions of the subject with times after `now - windowMs`. */
  attemptUsage(subject: string, window: { now: number; windowMs: number }): Promise<AttemptUsage>;

  /**
   * Take one fresh link for `subject` from a sliding window of `windowMs`: at most `limit` takes inside
   * any window, counted across every process that shares the store. Returns `null` when taken, else the
   * time (ms) at which the next take will be allowed. Takes with a time after `now` (a clock stepped
   * back) do not count. Refused takes are not recorded.
   */
  takeLinkRefresh(subject: string, take: LinkTakeInput): Promise<number | null>;

  /** Claim a webhook event before running its effects; a claim older than `leaseMs` is stale. */
  claimEvent(eventId: string, claim: { now: number; leaseMs: number }): Promise<EventClaim>;
  /** Mark a claimed event processed; remembered for `retainMs`, then it may be forgotten. */
  completeEvent(eventId: string, done: { now: number; retainMs: number }): Promise<void>;
  /** Drop a claim after a failed effect so that a redelivery runs it again. */
  releaseEvent(eventId: string): Promise<void>;

  /** Optional, fused: `claimEvent(eventId, claim)` and `getSession(sessionId)` in one round trip. */
  claimEventWithSession?(
    eventId: string,
    claim: { now: number; leaseMs: number },
    sessionId: string,
  ): Promise<{ claim: EventClaim; session: SessionRecord | null }>;
  /**
   * Optional, fused: one session write and, only if it took effect, the submission count, the event claim
   * and the owner's listing that follow it on the webhook path. Atomic where the store can (one slot, one
   * statement); each part is idempotent on its own, so a store may run them in order instead.
   */
  writeSession?(write: SessionWrite): Promise<SessionWriteResult>;
  /** Optional, fused: `completeEvent` and `releaseEvent` of several ids in one round trip. */
  settleEvents?(settlement: EventSettlement): Promise<void>;

  /** Release connections the store opened itself (never the caller's client). */
  close?(): Promise<void>;
}
