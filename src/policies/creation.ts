import type { ServiceContext } from '../context.js';
import { AttemptInProgressError, StripeRequestError } from '../errors.js';
import type { CreateSessionParams, StripeSession } from '../stripe/gateway.js';
import { createSessionKey } from '../stripe/idempotency.js';
import type { VerificationUser } from '../types.js';
import { limitReached, linkOf, type Starter, type Step } from './answers.js';
import { readAttempts, reserveSlot } from './attempts.js';
import { newRecord, observe } from './observations.js';
import { assertOwner, recordObservation, settleOpenSessions } from './sync.js';

/**
 * Create one session while holding the user's slot. The slot's ordinal names the idempotency key, and the
 * ordinal only moves on once a session is counted (or Stripe has settled the key with a final failure), so
 * an attempt whose outcome is unknown is repeated with the same key: Stripe answers with the session it
 * created (`Idempotent-Replayed`), or 409 while the first request still runs. Never two sessions for one
 * lost answer, and every session Stripe created is counted once it is discovered.
 */
export async function createSession(ctx: ServiceContext, starter: Starter): Promise<Step> {
  const { subject } = starter;
  const reservation = await reserveSlot(ctx, subject);
  if (reservation.outcome === 'busy') return 'busy';
  if (reservation.outcome === 'limit') {
    const attempts = await readAttempts(ctx, subject);
    return limitReached(ctx, starter, 'sessions', attempts, reservation.retryAt);
  }
  const { reservationId } = reservation;
  const release = (options: { indeterminate?: boolean; retireKey?: boolean } = {}) =>
    ctx.store.releaseSessionSlot(subject, reservationId, options);
  let answer: { session: StripeSession; replayed: boolean };
  try {
    // Another instance's commit can land between this step's read of the sessions and the reservation.
    if (await hasSessionToAnswerWith(ctx, subject)) {
      await release();
      return 'again';
    }
    if (reservation.reconcile && (await adoptFromStripe(ctx, starter, reservationId))) return 'again';
    const params = createParams(ctx, starter.user);
    const key = await createSessionKey(subject, reservation.ordinal, params);
    answer = await ctx.gateway.createSession(params, key);
  } catch (error) {
    return failedBeforeAnswer(ctx, starter, reservationId, error, release);
  }
  const { session, replayed } = answer;
  let held: boolean;
  try {
    assertOwner(session, starter.user.id);
    const details = { createdAt: ctx.now(), livemode: session.livemode, now: ctx.now() };
    held = await ctx.store.commitSessionSlot(
      subject,
      reservationId,
      newRecord(subject, observe(session, nowSeconds(ctx)), details),
    );
  } catch (error) {
    // Stripe holds this session: whatever failed here, the next attempt must find it, not create again.
    await release({ indeterminate: true }).catch(() => undefined);
    throw error;
  }
  ctx.log.info('verification session created', {
    sessionId: session.id,
    subject,
    attempt: reservation.ordinal,
  });
  // The slot may have passed to another caller meanwhile (a create slower than the lease), or a lost
  // session may have been recorded by its webhook: the user keeps the session they had, this one goes.
  if (!held || (await hasSessionToAnswerWith(ctx, subject, session.id))) {
    if ((await settleOpenSessions(ctx, subject)).includes(session.id)) return 'again';
  }
  const prefilled = await prefill(ctx, starter.user, session);
  // A replayed answer carries the link of the first response: fetch a fresh one through resume.
  return replayed ? 'again' : (linkOf(ctx, prefilled) ?? 'again');
}

/**
 * Send the user's email and phone as `provided_details` once the session exists (best effort: the
 * prefill only saves the user some typing). Answers the session whose link to hand out.
 */
async function prefill(ctx: ServiceContext, user: VerificationUser, session: StripeSession) {
  if (!user.email && !user.phone) return session;
  const details: { email?: string; phone?: string } = {};
  if (user.email) details.email = user.email;
  if (user.phone) details.phone = user.phone;
  try {
    const updated = await ctx.gateway.updateProvidedDetails(session.id, details);
    return updated.url || updated.client_secret ? updated : session;
  } catch (error) {
    ctx.log.warn('could not prefill the provided details', {
      sessionId: session.id,
      code: (error as { code?: string }).code ?? 'unknown',
    });
    return session;
  }
}

/**
 * The create (or the checks before it) failed. Outcome unknown (timeout, reset, 5xx, 409 key in use):
 * look for the session at Stripe, and keep the key for the next attempt. A final answer replayed for this
 * key (Stripe keeps an endpoint's first outcome for 24 h, failures included): the key is spent, so retire
 * it and try once more with the next one. Anything else released the slot cleanly.
 */
async function failedBeforeAnswer(
  ctx: ServiceContext,
  starter: Starter,
  reservationId: string,
  error: unknown,
  release: (options?: { indeterminate?: boolean; retireKey?: boolean }) => Promise<void>,
): Promise<Step> {
  // Stripe settled this attempt's key: it replays a final answer, or the key was first used with other
  // parameters (the configuration changed between two attempts). Either way the key cannot create.
  const settled =
    error instanceof StripeRequestError &&
    (error.idempotentReplayed || (error.code === 'stripe_idempotency' && error.statusCode === 400));
  if (!(error instanceof StripeRequestError) || !(error.indeterminate || settled)) {
    await release().catch(() => undefined);
    throw error;
  }
  const adopted = await adoptFromStripe(ctx, starter, reservationId).catch(() => null);
  if (adopted) return 'again';
  if (settled && adopted === false) {
    await release({ retireKey: true });
    ctx.log.warn('idempotency key settled by an earlier failure; retrying with the next key', {
      code: error.code,
      statusCode: error.statusCode,
    });
    return 'again';
  }
  await release({ indeterminate: true }).catch(() => undefined);
  // 409: the first request with this key still runs at Stripe; its answer is the next attempt's replay.
  if (error.statusCode === 409) throw new AttemptInProgressError(starter.user.id);
  throw error;
}

/**
 * Whether the owner has a session (other than `except`) that `start()` would answer with instead of
 * creating: a verification (still valid after retention redacted its data), or an open session.
 */
async function hasSessionToAnswerWith(ctx: ServiceContext, owner: string, except?: string): Promise<boolean> {
  const records = await ctx.store.listSessions(owner);
  return records.some(
    (record) =>
      record.sessionId !== except &&
      (record.status === 'verified' ||
        (record.redaction === null &&
          (record.status === 'requires_input' || record.status === 'processing'))),
  );
}

/**
 * Find the user's sessions at Stripe by `client_reference_id` and record the ones the store does not
 * know, each counted. The newest open one is kept (committed under the reservation); any other one still
 * in `requires_input` is canceled, so the user ends with one. True when one was adopted, false when
 * Stripe holds none the store lacks.
 */
async function adoptFromStripe(ctx: ServiceContext, starter: Starter, reservationId: string) {
  const { user, subject } = starter;
  const missing: StripeSession[] = [];
  for (const session of await ctx.gateway.listSessionsOfUser(user.id)) {
    // Any record counts as known, a redaction tombstone included (its owner is no longer the pseudonym).
    if (session.metadata?.user_id === user.id && !(await ctx.store.getSession(session.id)))
      missing.push(session);
  }
  const [newest, ...older] = missing;
  if (!newest) return false;
  // Older ones first, each counted (and canceled if it would be a second open session) as it is recorded:
  // the commit below clears the reconcile flag, so it comes last, once nothing is left to find.
  for (const session of older) {
    await recordObservation(ctx, subject, session, observe(session, nowSeconds(ctx)));
  }
  const details = { createdAt: newest.created * 1000, livemode: newest.livemode, now: ctx.now() };
  await ctx.store.commitSessionSlot(
    subject,
    reservationId,
    newRecord(subject, observe(newest, nowSeconds(ctx)), details),
  );
  await settleOpenSessions(ctx, subject);
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
  // Email and phone follow in an update (see `prefill`): the create stays the same request on every attempt.
  if (user.customerId) params.related_customer = user.customerId;
  return params;
}

function nowSeconds(ctx: ServiceContext): number {
  return Math.floor(ctx.now() / 1000);
}
