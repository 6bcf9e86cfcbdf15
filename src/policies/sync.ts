import type { ServiceContext } from '../context.js';
import type { SessionRecord } from '../domain.js';
import { SessionOwnershipError } from '../errors.js';
import type { StripeSession } from '../stripe/gateway.js';
import { readAttempts } from './attempts.js';
import { type Applied, applyObservation, newRecord, observe } from './observations.js';
import type { SessionObservation } from './ordering.js';

/** Throw unless Stripe's session is bound to `userId` (by `client_reference_id`, else `metadata.user_id`). */
export function assertOwner(session: StripeSession, userId: string): void {
  const owner = session.client_reference_id ?? session.metadata?.user_id ?? null;
  if (owner !== userId) throw new SessionOwnershipError(session.id);
}

/** Throw unless the stored record belongs to `userId`. */
export function assertRecordOwner(record: SessionRecord, userId: string): void {
  if (record.userId !== userId) throw new SessionOwnershipError(record.sessionId);
}

/**
 * Record what a Stripe session object says (from a retrieve, a create or an event), count its
 * submission, and insert the record if the store had none. Returns the stored record and whether the
 * observation was newer than, the same as, or older than what the store knew.
 */
export async function recordObservation(
  ctx: ServiceContext,
  userId: string,
  session: StripeSession,
  observation: SessionObservation,
  known?: SessionRecord | null,
): Promise<Applied> {
  const now = ctx.now();
  let applied = await applyObservation(ctx.store, observation, now, known);
  if (!applied) {
    const details = { createdAt: session.created * 1000, livemode: session.livemode, now };
    const inserted = await ctx.store.insertSession(newRecord(userId, observation, details));
    applied = inserted
      ? { record: inserted, outcome: 'newer' }
      : await applyObservation(ctx.store, observation, now);
    if (!applied) throw new Error(`Session ${session.id} vanished from the store while being recorded`);
  }
  assertRecordOwner(applied.record, userId);
  if (observation.reportId !== null) {
    const subject = await ctx.subjectOf(userId);
    if (await ctx.store.recordSubmission(subject, { reportId: observation.reportId, at: now })) {
      ctx.log.info('submission counted', { sessionId: session.id, subject });
    }
  }
  return applied;
}

/** Retrieve a session, check that it is the user's, and record what it says. */
export async function syncSession(
  ctx: ServiceContext,
  userId: string,
  sessionId: string,
): Promise<{ session: StripeSession; record: SessionRecord }> {
  const session = await ctx.gateway.retrieveSession(sessionId);
  assertOwner(session, userId);
  const { record } = await recordObservation(
    ctx,
    userId,
    session,
    observe(session, Math.floor(ctx.now() / 1000)),
  );
  return { session, record: await enforceSubmissionCap(ctx, record) };
}

/**
 * When the last allowed submission has failed, cancel the open session at Stripe, so that no link still
 * in the user's hands can start another billed submission. Best effort: `start()` refuses either way.
 */
export async function enforceSubmissionCap(
  ctx: ServiceContext,
  record: SessionRecord,
): Promise<SessionRecord> {
  if (record.status !== 'requires_input' || record.reportId === null) return record;
  const attempts = await readAttempts(ctx, await ctx.subjectOf(record.userId));
  if (attempts.submissions.left > 0) return record;
  try {
    const canceled = await ctx.gateway.cancelSession(record.sessionId);
    ctx.log.info('submission limit reached: open session canceled', { sessionId: record.sessionId });
    const applied = await applyObservation(
      ctx.store,
      observe(canceled, Math.floor(ctx.now() / 1000)),
      ctx.now(),
    );
    return applied?.record ?? record;
  } catch (error) {
    ctx.log.warn('could not cancel the session at the submission limit', {
      sessionId: record.sessionId,
      code: (error as { code?: string }).code ?? 'unknown',
    });
    return record;
  }
}
