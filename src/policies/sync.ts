import type { ServiceContext } from '../context.js';
import type { SessionRecord } from '../domain.js';
import { SessionOwnershipError } from '../errors.js';
import type { StripeSession } from '../stripe/gateway.js';
import { readAttempts } from './attempts.js';
import { type Applied, applyObservation, newRecord, observe } from './observations.js';
import type { SessionObservation } from './ordering.js';
import { DISCOVERED, isTombstone, ledgerSubject } from './owners.js';

/** Throw unless Stripe's session is bound to `userId` (by `client_reference_id`, else `metadata.user_id`). */
export function assertOwner(session: StripeSession, userId: string): void {
  const owner = session.client_reference_id ?? session.metadata?.user_id ?? null;
  if (owner !== userId) throw new SessionOwnershipError(session.id);
}

/** Throw unless the stored record belongs to `owner` (the user's pseudonym). */
export function assertRecordOwner(record: SessionRecord, owner: string): void {
  if (record.owner !== owner) throw new SessionOwnershipError(record.sessionId);
}

/**
 * Record what a Stripe session object says (from a retrieve, a create or an event), count its
 * submission, and insert the record if the store had none. A session the store did not know is counted
 * toward the owner's `maxSessions` as it is inserted (Stripe created it, so it is spent), and if the owner
 * already has another open session it is canceled at Stripe: one user never keeps two open sessions.
 * Returns the stored record and whether the observation was newer than, the same as, or older than what
 * the store knew. `owner` is the user's pseudonym (or a tombstone owner).
 */
export async function recordObservation(
  ctx: ServiceContext,
  owner: string,
  session: StripeSession,
  observation: SessionObservation,
  known?: SessionRecord | null,
): Promise<Applied> {
  const now = ctx.now();
  let applied = await applyObservation(ctx.store, observation, now, known);
  let discovered = false;
  if (!applied) {
    const details = { createdAt: session.created * 1000, livemode: session.livemode, now };
    const record = newRecord(owner, observation, details);
    const inserted = await ctx.store.insertSession(record);
    if (inserted && !isTombstone(owner)) {
      // Stripe created it, so it is spent: counted once by its id, whoever recorded it first.
      discovered = true;
      await ctx.store.commitSessionSlot(owner, DISCOVERED, record);
    }
    applied = inserted
      ? { record: inserted, outcome: 'newer' }
      : await applyObservation(ctx.store, observation, now);
    if (!applied) throw new Error(`Session ${session.id} vanished from the store while being recorded`);
  }
  assertRecordOwner(applied.record, owner);
  if (observation.reportId !== null) {
    const subject = ledgerSubject(owner);
    if (await ctx.store.recordSubmission(subject, { reportId: observation.reportId, at: now })) {
      ctx.log.info('submission counted', { sessionId: session.id, subject });
    }
  }
  if (discovered) applied.record = await cancelIfExtra(ctx, applied.record);
  return applied;
}

/**
 * A session discovered after the fact (a lost create answer, a webhook that came first) may sit beside
 * another open session of the same user: settle them, so that no second link can start a second billed
 * submission. Best effort: a failure is logged, and `start()` only ever resumes one session.
 */
async function cancelIfExtra(ctx: ServiceContext, record: SessionRecord): Promise<SessionRecord> {
  if (record.status !== 'requires_input') return record;
  await settleOpenSessions(ctx, record.owner);
  return (await ctx.store.getSession(record.sessionId)) ?? record;
}

/**
 * Leave the owner at most one session that can still take a submission. A session being checked or
 * verified wins; otherwise the oldest open one stays (the user most likely holds its link) and every
 * other `requires_input` session is canceled at Stripe. Returns the ids it canceled.
 */
export async function settleOpenSessions(ctx: ServiceContext, owner: string): Promise<string[]> {
  const live = (await ctx.store.listSessions(owner)).filter((record) => record.redaction === null);
  const open = live.filter((record) => record.status === 'requires_input');
  const decided = live.some((record) => record.status === 'processing' || record.status === 'verified');
  if (open.length === 0 || (open.length === 1 && !decided)) return [];
  const keep = decided
    ? null
    : open.reduce((oldest, record) => (record.createdAt < oldest.createdAt ? record : oldest));
  const canceled: string[] = [];
  for (const record of open) {
    if (record === keep) continue;
    await cancelAtStripe(ctx, record, 'second open session canceled');
    canceled.push(record.sessionId);
  }
  return canceled;
}

/** Cancel a session at Stripe and record the answer; logs and keeps the record when Stripe refuses. */
export async function cancelAtStripe(
  ctx: ServiceContext,
  record: SessionRecord,
  why: string,
): Promise<SessionRecord> {
  try {
    const canceled = await ctx.gateway.cancelSession(record.sessionId);
    ctx.log.info(why, { sessionId: record.sessionId });
    const applied = await applyObservation(
      ctx.store,
      observe(canceled, Math.floor(ctx.now() / 1000)),
      ctx.now(),
    );
    return applied?.record ?? record;
  } catch (error) {
    ctx.log.warn(`could not cancel: ${why}`, {
      sessionId: record.sessionId,
      code: (error as { code?: string }).code ?? 'unknown',
    });
    return record;
  }
}

/** Retrieve a session, check that it is the user's, and record what it says. */
export async function syncSession(
  ctx: ServiceContext,
  userId: string,
  owner: string,
  sessionId: string,
): Promise<{ session: StripeSession; record: SessionRecord }> {
  const session = await ctx.gateway.retrieveSession(sessionId);
  assertOwner(session, userId);
  const { record } = await recordObservation(
    ctx,
    owner,
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
  const attempts = await readAttempts(ctx, ledgerSubject(record.owner));
  if (attempts.submissions.left > 0) return record;
  return cancelAtStripe(ctx, record, 'submission limit reached: open session canceled');
}
