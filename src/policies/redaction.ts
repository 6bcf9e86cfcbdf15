import type { ServiceContext } from '../context.js';
import type { SessionRecord } from '../domain.js';
import { SessionOwnershipError, StripeRequestError } from '../errors.js';
import type { StripeSession } from '../stripe/gateway.js';
import type { RedactionReport, SessionRedaction } from '../types.js';
import { applyObservation, newRecord, observe } from './observations.js';
import { TOMBSTONE_PREFIX } from './owners.js';
import { assertOwner } from './sync.js';

export { TOMBSTONE_PREFIX } from './owners.js';

const seconds = (ctx: ServiceContext) => Math.floor(ctx.now() / 1000);

/**
 * A redaction asked for while the session was processing runs once processing has ended (Stripe
 * refuses to redact a processing session).
 */
export async function completePendingRedaction(
  ctx: ServiceContext,
  record: SessionRecord,
): Promise<SessionRecord> {
  const redacted = await ctx.gateway.redactSession(record.sessionId);
  const observation = observe(redacted, seconds(ctx));
  observation.redaction ??= 'redaction_pending';
  const applied = await applyObservation(ctx.store, observation, ctx.now());
  ctx.log.info('pending redaction sent to Stripe', { sessionId: record.sessionId });
  return applied?.record ?? record;
}

/** Ask Stripe to redact one session now, or record that it must wait for processing to end. */
export async function redactOne(ctx: ServiceContext, session: StripeSession): Promise<SessionRedaction> {
  if (session.redaction?.status === 'redacted') return { sessionId: session.id, state: 'redacted' };
  if (session.redaction) return { sessionId: session.id, state: 'redaction_pending' };
  if (session.status === 'processing') return { sessionId: session.id, state: 'waiting_for_processing' };
  try {
    const redacted = await ctx.gateway.redactSession(session.id);
    return {
      sessionId: session.id,
      state: redacted.redaction?.status === 'redacted' ? 'redacted' : 'redaction_pending',
    };
  } catch (error) {
    // The session may have moved to processing since it was read: read again and decide once more.
    if (error instanceof StripeRequestError && error.code === 'stripe_invalid_request') {
      const fresh = await ctx.gateway.retrieveSession(session.id);
      if (fresh.status === 'processing' || fresh.redaction) return redactOne(ctx, fresh);
    }
    throw error;
  }
}

/**
 * Redact every session of a user at Stripe and replace the user's records with pseudonymous
 * tombstones. Sessions the store lost are found at Stripe by `client_reference_id`. Idempotent and
 * resumable: each step reads Stripe's state first, and sessions already redacted are left alone.
 */
export async function redactUser(ctx: ServiceContext, userId: string): Promise<RedactionReport> {
  const subject = await ctx.subjectOf(userId);
  const tombstoneOwner = `${TOMBSTONE_PREFIX}${subject}`;
  const records = await ctx.store.listSessions(subject);
  const atStripe = await ctx.gateway.listSessionsOfUser(userId);
  const byId = new Map(atStripe.map((session) => [session.id, session]));
  for (const record of records) {
    if (!byId.has(record.sessionId))
      byId.set(record.sessionId, await ctx.gateway.retrieveSession(record.sessionId));
  }
  const sessions: SessionRedaction[] = [];
  for (const session of byId.values()) {
    assertOwner(session, userId);
    const outcome = await redactOne(ctx, session);
    sessions.push(await replaceWithTombstone(ctx, subject, tombstoneOwner, session, outcome));
  }
  ctx.log.info('user redacted', { subject, count: sessions.length });
  return {
    sessions,
    complete: sessions.every((session) => session.state === 'redacted'),
    message: redactionMessage(sessions),
  };
}

async function replaceWithTombstone(
  ctx: ServiceContext,
  subject: string,
  owner: string,
  session: StripeSession,
  outcome: SessionRedaction,
): Promise<SessionRedaction> {
  const observation = observe(session, seconds(ctx));
  observation.redaction = outcome.state;
  // Owners never change in place, so the record is replaced. A late webhook may re-insert a record
  // under the user's pseudonym in between: delete and insert until the tombstone holds. A crash in between leaves
  // the session only at Stripe, where the next run finds it again by client_reference_id.
  let tombstone: SessionRecord | null = null;
  for (let round = 0; round < 5 && !tombstone; round += 1) {
    const existing = await ctx.store.getSession(session.id);
    if (existing?.owner === owner) {
      tombstone = (await applyObservation(ctx.store, observation, ctx.now(), existing))?.record ?? existing;
      break;
    }
    if (existing && existing.owner !== subject) throw new SessionOwnershipError(session.id);
    if (existing) await ctx.store.deleteSession(session.id);
    const createdAt = existing?.createdAt ?? session.created * 1000;
    tombstone = await ctx.store.insertSession(
      newRecord(owner, observation, { createdAt, livemode: session.livemode, now: ctx.now() }),
    );
  }
  if (!tombstone) throw new Error(`Session ${session.id} kept changing while its record was being replaced`);
  if (outcome.state !== 'waiting_for_processing') return outcome;
  // Processing may have ended between the read and the tombstone, with its webhook applied to the old
  // record: read again, so that the redaction cannot wait for an event that already came.
  const fresh = await ctx.gateway.retrieveSession(session.id);
  if (fresh.status === 'processing') return outcome;
  const done = await completePendingRedaction(ctx, tombstone);
  return { sessionId: session.id, state: done.redaction === 'redacted' ? 'redacted' : 'redaction_pending' };
}

/** What the app should tell the user, in plain words. */
export function redactionMessage(sessions: SessionRedaction[]): string {
  const waiting = sessions.filter((session) => session.state === 'waiting_for_processing').length;
  const stripeNote =
    'Stripe keeps some data as its own controller (for example for fraud prevention and legal obligations); to ask Stripe about that data, contact Stripe directly as its privacy policy describes (https://stripe.com/privacy).';
  if (sessions.length === 0) return `We hold no identity verification data for you. ${stripeNote}`;
  if (sessions.every((session) => session.state === 'redacted')) {
    return `Your identity verification data has been deleted, here and at Stripe. ${stripeNote}`;
  }
  const parts = [
    `We deleted the verification records we kept for you and asked Stripe to delete the identity data of ${sessions.length} verification${sessions.length === 1 ? '' : 's'}.`,
    'Stripe finishes deleting within four days.',
  ];
  if (waiting > 0) {
    parts.push(
      `${waiting} verification${waiting === 1 ? ' is' : 's are'} still being checked; we delete it as soon as the check ends.`,
    );
  }
  parts.push(stripeNote);
  return parts.join(' ');
}
