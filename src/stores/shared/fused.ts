import type { IdentityStore, SessionWrite, SessionWriteResult } from '../contract.js';

/** A reservation id no caller ever holds: commits with it count a discovered session only. */
const DISCOVERED = 'discovered';

/**
 * `writeSession` as the required methods do it, one after the other: what a fused store does in one round
 * trip, for a store (or a write, such as one whose subjects live apart) that cannot fuse it.
 */
export async function writeSessionInSteps(
  store: IdentityStore,
  write: SessionWrite,
): Promise<SessionWriteResult> {
  const record =
    write.kind === 'update'
      ? await store.updateSession(write.record)
      : await store.insertSession(write.record);
  if (!record) return { record: null, submissionCounted: false, claim: null, sessions: null };
  if (write.kind === 'insert' && write.countFor !== null) {
    await store.commitSessionSlot(write.countFor, DISCOVERED, write.record);
  }
  const submissionCounted = write.submission
    ? await store.recordSubmission(write.submission.subject, write.submission)
    : false;
  const claim = write.claim ? await store.claimEvent(write.claim.eventId, write.claim) : null;
  const sessions = write.kind === 'insert' && write.list ? await store.listSessions(record.owner) : null;
  if (write.complete) await store.completeEvent(write.complete.eventId, write.complete);
  return { record, submissionCounted, claim, sessions, completed: write.complete != null };
}
