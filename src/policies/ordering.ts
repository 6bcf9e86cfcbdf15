import type { RedactionState, SessionRecord, SessionStatus } from '../domain.js';

/** One fact about a session from Stripe: an event's `data.object` at `created`, or a retrieve. */
export interface SessionObservation {
  sessionId: string;
  status: SessionStatus;
  lastErrorCode: string | null;
  reportId: string | null;
  /** Unix seconds at which Stripe stated this (event `created`, or the time of the retrieve). */
  observedAt: number;
  redaction: RedactionState | null;
  /**
   * Read from Stripe's API just now (a retrieve, or the answer to a cancel or redact), rather than carried
   * by an event: Stripe's current state, which settles what event times cannot.
   */
  authoritative?: boolean;
}

/** How an observation relates to a record. `ambiguous`: only Stripe's current state can tell. */
export type Verdict = 'newer' | 'same' | 'stale' | 'ambiguous';

/**
 * Rank within one verification report: the initial state, then `processing`, then the report's outcome.
 * `canceled` is terminal and outranks everything.
 */
function phase(status: SessionStatus, reportId: string | null): number {
  if (status === 'canceled') return 3;
  if (status === 'processing') return 1;
  if (status === 'verified') return 2;
  return reportId === null ? 0 : 2;
}

/** Same status, report and error: the observation restates what the record already says. */
export function sameState(
  record: Pick<SessionRecord, 'status' | 'reportId' | 'lastErrorCode'>,
  next: SessionObservation,
) {
  return (
    record.status === next.status &&
    record.reportId === next.reportId &&
    record.lastErrorCode === next.lastErrorCode
  );
}

/**
 * How `next` relates to what `record` says. Stripe delivers events late, twice and out of order, so
 * state only moves forward: `canceled` is terminal; a new report (a new, billed submission) outranks the
 * previous report's states; within one report the outcome outranks `processing`; `observedAt` breaks the
 * rest (a Dashboard override of an outcome is a later statement about the same report). Two different
 * reports stated in the same second cannot be ordered from the events alone: `ambiguous`, unless `next`
 * is Stripe's current state.
 */
export function compareObservation(
  record: Pick<SessionRecord, 'status' | 'reportId' | 'lastErrorCode' | 'observedAt'>,
  next: SessionObservation,
): Verdict {
  if (sameState(record, next)) return 'same';
  if (record.status === 'canceled') return 'stale';
  if (next.status === 'canceled') return 'newer';
  const currentPhase = phase(record.status, record.reportId);
  const nextPhase = phase(next.status, next.reportId);
  if (next.reportId !== record.reportId) {
    if (next.reportId === null) return 'stale';
    if (record.reportId === null) return 'newer';
    if (next.observedAt !== record.observedAt) return next.observedAt > record.observedAt ? 'newer' : 'stale';
    return next.authoritative ? 'newer' : 'ambiguous';
  }
  if (nextPhase !== currentPhase) return nextPhase > currentPhase ? 'newer' : 'stale';
  if (next.observedAt !== record.observedAt) return next.observedAt > record.observedAt ? 'newer' : 'stale';
  return next.authoritative ? 'newer' : 'stale';
}

/** Whether `next` should replace what `record` says. */
export function isNewer(
  record: Pick<SessionRecord, 'status' | 'reportId' | 'lastErrorCode' | 'observedAt'>,
  next: SessionObservation,
): boolean {
  return compareObservation(record, next) === 'newer';
}

const redactionRank: Record<RedactionState, number> = {
  waiting_for_processing: 1,
  redaction_pending: 2,
  redacted: 3,
};

/** Redaction only moves forward, whatever the order its facts arrive in. */
export function laterRedaction(a: RedactionState | null, b: RedactionState | null): RedactionState | null {
  if (a === null) return b;
  if (b === null) return a;
  return redactionRank[b] > redactionRank[a] ? b : a;
}
