import type { NewSessionRecord, RedactionState, SessionRecord, SessionStatus } from '../domain.js';
import type { IdentityStore } from '../stores/contract.js';
import type { StripeSession } from '../stripe/gateway.js';
import { compareObservation, laterRedaction, type SessionObservation, type Verdict } from './ordering.js';

const STATUSES: readonly SessionStatus[] = ['requires_input', 'processing', 'verified', 'canceled'];

/**
 * Reduce a Stripe session to the references the library keeps: nothing else leaves this function.
 * `authoritative` (the default) marks an object read from the API just now; pass `false` for an event's
 * `data.object`, a snapshot that may be older than what the store knows.
 */
export function observe(
  session: StripeSession,
  observedAt: number,
  authoritative = true,
): SessionObservation {
  const status = STATUSES.includes(session.status as SessionStatus)
    ? (session.status as SessionStatus)
    : 'requires_input';
  const report = session.last_verification_report;
  const redactionStatus = session.redaction?.status;
  const redaction: RedactionState | null =
    redactionStatus === 'redacted' ? 'redacted' : redactionStatus ? 'redaction_pending' : null;
  return {
    sessionId: session.id,
    status,
    lastErrorCode: session.last_error?.code ?? null,
    reportId: typeof report === 'string' ? report : (report?.id ?? null),
    observedAt,
    redaction,
    authoritative,
  };
}

/** A new record for a session first seen through `observation`. */
export function newRecord(
  owner: string,
  observation: SessionObservation,
  details: { createdAt: number; livemode: boolean; now: number },
): NewSessionRecord {
  return {
    sessionId: observation.sessionId,
    owner,
    status: observation.status,
    lastErrorCode: observation.lastErrorCode,
    reportId: observation.reportId,
    observedAt: observation.observedAt,
    createdAt: details.createdAt,
    updatedAt: details.now,
    livemode: details.livemode,
    redaction: observation.redaction,
  };
}

/** How an observation related to the record it was applied to (`ambiguous`: nothing was written). */
export type ApplyOutcome = Verdict;

/** Result of {@link applyObservation}. */
export interface Applied {
  record: SessionRecord;
  outcome: ApplyOutcome;
}

const MAX_CAS_ROUNDS = 20;

/**
 * Apply one observation to a stored record with compare-and-set, so that concurrent writers (webhooks
 * on several instances, a return reconcile) never move a session backwards. Returns `null` when the
 * store has no record of the session. `known` is the record as the caller just read it, if it did.
 */
export async function applyObservation(
  store: IdentityStore,
  observation: SessionObservation,
  now: number,
  known?: SessionRecord | null,
): Promise<Applied | null> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round += 1) {
    // A record the caller just read saves one store round trip; after a conflict, read again.
    const current =
      round === 0 && known !== undefined ? known : await store.getSession(observation.sessionId);
    if (!current) return null;
    const outcome = compareObservation(current, observation);
    const newer = outcome === 'newer';
    const redaction = laterRedaction(current.redaction, observation.redaction);
    if (!newer && redaction === current.redaction) return { record: current, outcome };
    const source = newer ? observation : current;
    const next: SessionRecord = {
      sessionId: current.sessionId,
      owner: current.owner,
      status: source.status,
      lastErrorCode: source.lastErrorCode,
      reportId: source.reportId,
      observedAt: source.observedAt,
      createdAt: current.createdAt,
      updatedAt: now,
      livemode: current.livemode,
      redaction,
      version: current.version,
    };
    const stored = await store.updateSession(next);
    if (stored) return { record: stored, outcome };
  }
  throw new Error(
    `Session ${observation.sessionId} kept changing under ${MAX_CAS_ROUNDS} concurrent updates`,
  );
}
