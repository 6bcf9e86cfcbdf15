import type { ServiceContext } from '../context.js';
import type { SessionRecord } from '../domain.js';
import { AttemptInProgressError, StripeRequestError } from '../errors.js';
import type { CreateSessionParams, StripeSession } from '../stripe/gateway.js';
import { createSessionKey } from '../stripe/idempotency.js';
import type { AlternativeReason, StartResult, VerificationUser } from '../types.js';
import { alternativePath, alternativeReason, classifyErrorCode } from './alternatives.js';
import { type AttemptsView, pause, readAttempts, reserveSlot } from './attempts.js';
import { newRecord, observe } from './observations.js';
import { assertOwner, recordObservation, syncSession } from './sync.js';

/** A step of the start loop: a final result, or `again` after the state moved under us. */
type Step = StartResult | 'again';

const MAX_ROUNDS = 200;

/**
 * Start or resume a user's verification without creating blindly: reuse the open session (retrieving
 * it for a fresh single-use link), answer from the store when nothing can be done, and create one
 * session only within the limits, holding the user's slot in the store while Stripe is called.
 */
export async function startVerification(ctx: ServiceContext, user: VerificationUser): Promise<StartResult> {
  const deadline = Date.now() + ctx.options.concurrency.waitSeconds * 1000;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const step = await startStep(ctx, user);
    if (step === 'busy') {
      if (Date.now() >= deadline) throw new AttemptInProgressError(user.id);
      await pause(round);
      continue;
    }
    if (step !== 'again') return step;
  }
  throw new AttemptInProgressError(user.id);
}

async function startStep(ctx: ServiceContext, user: VerificationUser): Promise<Step | 'busy'> {
  const subject = await ctx.subjectOf(user.id);
  const all = await ctx.store.listSessions(user.id);
  const records = all.filter((record) => record.redaction === null);
  const attempts = await readAttempts(ctx, subject);
  // A verification stays valid after retention redacted its data.
  const verified = all.find((record) => record.status === 'verified');
  if (verified) return { status: 'verified', sessionId: verified.sessionId };
  const open = records.find((record) => record.status === 'requires_input' || record.status === 'processing');
  if (open?.status === 'processing') {
    // The result webhook may have been lost: after a while, ask Stripe once instead of waiting forever.
    if (ctx.now() - open.updatedAt < ctx.options.recheckProcessingAfterSeconds * 1000) {
      return { status: 'processing', sessionId: open.sessionId };
    }
    const { record } = await syncSession(ctx, user.id, open.sessionId);
    if (record.status === 'processing') {
      await ctx.store.updateSession({ ...record, updatedAt: ctx.now() });
      return { status: 'processing', sessionId: open.sessionId };
    }
    return 'again';
  }
  if (open) return resume(ctx, user, open, attempts);
  if (attempts.submissions.left === 0) return limitReached(ctx, user.id, 'submissions', attempts);
  return create(ctx, user, subject);
}

async function resume(
  ctx: ServiceContext,
  user: VerificationUser,
  open: SessionRecord,
  attempts: AttemptsView,
) {
  const before = decideOnRecord(open, attempts);
  if (before) return finish(ctx, user.id, open.sessionId, before, attempts);
  const throttled = ctx.links.take(user.id, ctx.now());
  if (throttled !== null) {
    ctx.log.warn('fresh links asked for too fast', { sessionId: open.sessionId });
    return {
      status: 'limit_reached',
      limit: 'links',
      retryAt: new Date(throttled),
      alternative: alternativePath('link_limit', ctx.options.alternative),
    } satisfies StartResult;
  }
  const { session, record } = await syncSession(ctx, user.id, open.sessionId);
  if (record.status !== 'requires_input') return 'again';
  const fresh = await readAttempts(ctx, await ctx.subjectOf(user.id));
  const after = decideOnRecord(record, fresh);
  if (after) return finish(ctx, user.id, record.sessionId, after, fresh);
  return linkOf(ctx, session) ?? 'again';
}

/** What a `requires_input` record allows without calling Stripe: a terminal code or a used-up limit. */
function decideOnRecord(record: SessionRecord, attempts: AttemptsView): AlternativeReason | null {
  if (record.lastErrorCode !== null && classifyErrorCode(record.lastErrorCode) === 'alternative') {
    return alternativeReason(record.lastErrorCode);
  }
  if (attempts.submissions.left === 0) return 'submission_limit';
  return null;
}

async function finish(
  ctx: ServiceContext,
  userId: string,
  sessionId: string,
  reason: AlternativeReason,
  attempts: AttemptsView,
): Promise<StartResult> {
  if (reason === 'submission_limit') return limitReached(ctx, userId, 'submissions', attempts);
  await notifyAlternative(ctx, userId, reason, sessionId);
  return {
    status: 'alternative_required',
    reason,
    sessionId,
    alternative: alternativePath(reason, ctx.options.alternative),
  };
}

async function limitReached(
  ctx: ServiceContext,
  userId: string,
  limit: 'submissions' | 'sessions',
  attempts: AttemptsView,
  retryAtMs?: number,
): Promise<StartResult> {
  const reason = limit === 'submissions' ? 'submission_limit' : 'session_limit';
  await notifyAlternative(ctx, userId, reason, null);
  const retryAt = new Date(retryAtMs ?? attempts[limit].retryAt ?? ctx.now());
  return {
    status: 'limit_reached',
    limit,
    retryAt,
    alternative: alternativePath(reason, ctx.options.alternative),
  };
}

async function notifyAlternative(
  ctx: ServiceContext,
  userId: string,
  reason: AlternativeReason,
  sessionId: string | null,
) {
  ctx.log.info('alternative path offered', { reason, sessionId });
  await ctx.options.onAlternative?.({ userId, reason, sessionId });
}

function linkOf(ctx: ServiceContext, session: StripeSession): StartResult | null {
  if (ctx.options.flow === 'modal') {
    return session.client_secret
      ? { status: 'modal', sessionId: session.id, clientSecret: session.client_secret }
      : null;
  }
  return session.url ? { status: 'redirect', sessionId: session.id, url: session.url } : null;
}

async function create(ctx: ServiceContext, user: VerificationUser, subject: string): Promise<Step | 'busy'> {
  const reservation = await reserveSlot(ctx, subject);
  if (reservation.outcome === 'busy') return 'busy';
  if (reservation.outcome === 'limit') {
    const attempts = await readAttempts(ctx, subject);
    return limitReached(ctx, user.id, 'sessions', attempts, reservation.retryAt);
  }
  const { reservationId } = reservation;
  try {
    // Another instance's commit can land between this step's read of the sessions and the reservation.
    if (await sessionAppeared(ctx, user.id)) {
      await ctx.store.releaseSessionSlot(subject, reservationId);
      return 'again';
    }
    if (reservation.reconcile && (await adoptFromStripe(ctx, user.id, subject, reservationId)))
      return 'again';
    const params = createParams(ctx, user);
    const key = await createSessionKey(subject, reservation.ordinal, params);
    const { session, replayed } = await ctx.gateway.createSession(params, key);
    assertOwner(session, user.id);
    const details = { createdAt: ctx.now(), livemode: session.livemode, now: ctx.now() };
    await ctx.store.commitSessionSlot(
      subject,
      reservationId,
      newRecord(user.id, observe(session, nowSeconds(ctx)), details),
    );
    ctx.log.info('verification session created', {
      sessionId: session.id,
      subject,
      attempt: reservation.ordinal,
    });
    // A replayed answer carries the link of the first response: fetch a fresh one through resume.
    return replayed ? 'again' : (linkOf(ctx, session) ?? 'again');
  } catch (error) {
    const indeterminate = error instanceof StripeRequestError && error.indeterminate;
    if (indeterminate && (await adoptFromStripe(ctx, user.id, subject, reservationId).catch(() => false)))
      return 'again';
    await ctx.store.releaseSessionSlot(subject, reservationId, { indeterminate });
    throw error;
  }
}

/** Whether the user now has a session that `startStep` would answer with instead of creating. */
async function sessionAppeared(ctx: ServiceContext, userId: string): Promise<boolean> {
  const records = await ctx.store.listSessions(userId);
  return records.some(
    (record) =>
      record.status === 'verified' ||
      (record.redaction === null && (record.status === 'requires_input' || record.status === 'processing')),
  );
}

/**
 * After an indeterminate failure, find the user's sessions at Stripe by `client_reference_id` and record
 * the ones the store does not know, so the user ends with one session. True when one was adopted.
 */
async function adoptFromStripe(ctx: ServiceContext, userId: string, subject: string, reservationId: string) {
  const missing: StripeSession[] = [];
  for (const session of await ctx.gateway.listSessionsOfUser(userId)) {
    // Any record counts as known, a redaction tombstone included (its owner is no longer the user id).
    if (session.metadata?.user_id === userId && !(await ctx.store.getSession(session.id)))
      missing.push(session);
  }
  const [newest, ...older] = missing;
  if (!newest) return false;
  const details = { createdAt: ctx.now(), livemode: newest.livemode, now: ctx.now() };
  await ctx.store.commitSessionSlot(
    subject,
    reservationId,
    newRecord(userId, observe(newest, nowSeconds(ctx)), details),
  );
  for (const session of older)
    await recordObservation(ctx, userId, session, observe(session, nowSeconds(ctx)));
  ctx.log.warn('adopted a session created by an indeterminate request', { sessionId: newest.id, subject });
  return true;
}

function createParams(ctx: ServiceContext, user: VerificationUser): CreateSessionParams {
  const { session, returnUrl } = ctx.options;
  const params: CreateSessionParams = session.verificationFlow
    ? { verification_flow: session.verificationFlow }
    : { type: session.type };
  if (session.options) params.options = session.options;
  params.client_reference_id = user.id;
  params.metadata = { user_id: user.id };
  if (returnUrl) params.return_url = returnUrl;
  if (user.email || user.phone) {
    params.provided_details = {};
    if (user.email) params.provided_details.email = user.email;
    if (user.phone) params.provided_details.phone = user.phone;
  }
  if (user.customerId) params.related_customer = user.customerId;
  return params;
}

function nowSeconds(ctx: ServiceContext): number {
  return Math.floor(ctx.now() / 1000);
}
