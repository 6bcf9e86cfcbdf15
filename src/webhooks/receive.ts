import type { ServiceContext } from '../context.js';
import type { SessionRecord, SessionStatus } from '../domain.js';
import { isIdentityKitError, StoreUnavailableError } from '../errors.js';
import { alternativeReason, classifyErrorCode } from '../policies/alternatives.js';
import { notifyAlternative } from '../policies/notify.js';
import { observe } from '../policies/observations.js';
import { type SessionObservation, sameState } from '../policies/ordering.js';
import { isTombstone, ledgerSubject } from '../policies/owners.js';
import { completePendingRedaction } from '../policies/redaction.js';
import { enforceSubmissionCap, recordObservation } from '../policies/sync.js';
import type { StripeSession } from '../stripe/gateway.js';
import type { HookMap, OnAlternative, SessionEvent } from '../types.js';
import { eventScope } from './event-scope.js';
import type { WebhookAnswer } from './types.js';

const PREFIX = 'identity.verification_session.';

const HOOK_OF_TYPE: Record<string, keyof HookMap> = {
  created: 'created',
  processing: 'processing',
  verified: 'verified',
  requires_input: 'requiresInput',
  canceled: 'canceled',
  redacted: 'redacted',
};

/** The parts of a Stripe event envelope this library reads. */
interface IdentityEvent {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  data: { object: StripeSession };
}

const ok = (body: Record<string, unknown>): WebhookAnswer => ({
  status: 200,
  body: { received: true, ...body },
});

/** Parse a verified payload into an event, or `null` when it is not an event Stripe would send. */
export function parseEvent(payload: string): IdentityEvent | null {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    return null;
  }
  const candidate = event as Partial<IdentityEvent> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.id !== 'string' ||
    typeof candidate.type !== 'string' ||
    typeof candidate.created !== 'number' ||
    typeof candidate.livemode !== 'boolean' ||
    typeof candidate.data?.object !== 'object' ||
    candidate.data.object === null
  ) {
    return null;
  }
  return candidate as IdentityEvent;
}

/**
 * Apply one verified event exactly once: claim its id in the store, move the session record by the
 * monotonic rule, count the submission, run the typed hook, then mark the event done. A failure
 * releases the claim and answers 5xx so that Stripe redelivers; a stale event changes nothing.
 */
export async function receiveEvent(serviceCtx: ServiceContext, event: IdentityEvent): Promise<WebhookAnswer> {
  const ctx = scopedContext(serviceCtx, event);
  if (event.livemode !== (ctx.options.keyMode === 'live')) {
    return {
      status: 400,
      body: {
        error: 'livemode_mismatch',
        message: `A ${event.livemode ? 'live' : 'test'} event reached a ${ctx.options.keyMode}-mode service; check which endpoint secret this deployment uses.`,
      },
    };
  }
  if (!event.type.startsWith(PREFIX)) return ok({ ignored: 'not_an_identity_session_event' });
  const session = event.data.object;
  if (typeof session.id !== 'string' || !session.id.startsWith('vs_')) {
    return {
      status: 400,
      body: { error: 'invalid_event', message: 'data.object is not a verification session' },
    };
  }
  const claim = await ctx.store.claimEvent(event.id, {
    now: ctx.now(),
    leaseMs: ctx.options.webhooks.claimLeaseSeconds * 1000,
  });
  if (claim === 'done') return ok({ duplicate: true });
  if (claim === 'in_flight')
    return {
      status: 409,
      body: { error: 'in_progress', message: 'This event is being processed; Stripe will retry.' },
    };
  try {
    const body = await applyEvent(ctx, event, session);
    if (body === IN_FLIGHT) {
      await ctx.store.releaseEvent(event.id);
      return {
        status: 409,
        body: {
          error: 'in_progress',
          message: 'Another delivery of this change is being processed; Stripe will retry.',
        },
      };
    }
    await ctx.store.completeEvent(event.id, {
      now: ctx.now(),
      retainMs: ctx.options.webhooks.retainDays * 86_400_000,
    });
    return ok(body);
  } catch (error) {
    await ctx.store.releaseEvent(event.id).catch(() => undefined);
    const storeDown = error instanceof StoreUnavailableError;
    ctx.log.error('webhook event failed; released for redelivery', {
      eventId: event.id,
      eventType: event.type,
      code: isIdentityKitError(error) ? error.code : 'handler_failed',
    });
    return {
      status: storeDown ? 503 : 500,
      body: {
        error: storeDown ? 'store_unavailable' : 'handler_failed',
        message: 'Processing failed; Stripe will retry this event.',
      },
    };
  }
}

/**
 * Issue 13: the event's store calls folded into a shared store's optional fused operations (claim + read,
 * write + count + hook claim, complete: three round trips); the service's own store when it has none.
 */
function scopedContext(ctx: ServiceContext, event: IdentityEvent): ServiceContext {
  const session = event.data?.object;
  if (typeof session?.id !== 'string' || !event.type.startsWith(PREFIX)) return ctx;
  const kind = event.type.slice(PREFIX.length);
  const observation = observe(session, event.created, false);
  const work = hookWork(ctx, kind, observation);
  const hook = work?.hook;
  const effect = hook
    ? {
        key: effectKey({ sessionId: session.id }, kind, observation),
        leaseMs: ctx.options.webhooks.claimLeaseSeconds * 1000,
      }
    : null;
  // Nothing can follow the write (and fail) without hooks, the submission cap or a redaction to finish.
  const last = !work && kind !== 'requires_input' && kind !== 'redacted';
  const retainMs = ctx.options.webhooks.retainDays * 86_400_000;
  const completeWithWrite = last ? { retainMs } : null;
  const plan = {
    eventId: event.id,
    sessionId: session.id,
    reportId: observation.reportId,
    effect,
    completeWithWrite,
  };
  return { ...ctx, store: eventScope(ctx.store, plan) };
}

async function applyEvent(ctx: ServiceContext, event: IdentityEvent, session: StripeSession) {
  const known = await ctx.store.getSession(session.id);
  const reference = ownerFromStripe(session);
  const owner = known?.owner ?? (reference === null ? null : await ctx.subjectOf(reference));
  if (!owner) {
    await ctx.options.onUnknownSession?.({ eventId: event.id, eventType: event.type, sessionId: session.id });
    return { ignored: 'unknown_session' };
  }
  const tombstone = known ? isTombstone(known.owner) : false;
  if (
    known &&
    !tombstone &&
    session.client_reference_id &&
    (await ctx.subjectOf(session.client_reference_id)) !== known.owner
  ) {
    ctx.log.warn('event names another owner than the store; ignored', {
      eventId: event.id,
      sessionId: session.id,
    });
    return { ignored: 'owner_mismatch' };
  }
  const kind = event.type.slice(PREFIX.length);
  const observation: SessionObservation = observe(session, event.created, false);
  if (kind === 'redacted') observation.redaction = 'redacted';
  let applied = await recordObservation(ctx, owner, session, observation, known);
  let outcome = applied.outcome;
  if (outcome === 'ambiguous') {
    // Two reports stated in the same second: ask Stripe which is current instead of guessing.
    const current = await ctx.gateway.retrieveSession(session.id);
    applied = await recordObservation(ctx, owner, current, observe(current, Math.floor(ctx.now() / 1000)));
    outcome = sameState(applied.record, observation) ? 'same' : 'stale';
  }
  let record = applied.record;
  if (outcome === 'stale' && kind !== 'redacted' && !(await stillOwed(ctx, kind, record, observation))) {
    return { stale: true };
  }
  if (record.redaction === 'waiting_for_processing' && record.status !== 'processing') {
    record = await completePendingRedaction(ctx, record);
  }
  const work = hookWork(ctx, kind, observation);
  if (work) {
    const userId = await hookUserId(ctx, session, record);
    if (work.hook && (await runHook(ctx, work.hook, event, record, observation, userId)) === 'in_flight')
      return IN_FLIGHT;
    if (work.alternative && observation.lastErrorCode !== null) {
      // Once per session and reason, shared with start(): a user told twice opens two manual reviews.
      await notifyAlternative(ctx, {
        userId,
        subject: ledgerSubject(record.owner),
        reason: alternativeReason(observation.lastErrorCode),
        sessionId: record.sessionId,
      });
    }
  }
  if (kind === 'requires_input') await enforceSubmissionCap(ctx, record);
  return { applied: outcome };
}

/** Marker answer of {@link applyEvent}: another delivery is running this effect's hooks right now. */
const IN_FLIGHT = Object.freeze({ inFlight: true });

const effectKey = (record: Pick<SessionRecord, 'sessionId'>, kind: string, observation: SessionObservation) =>
  `effect:${record.sessionId}:${kind}:${observation.reportId ?? '-'}`;

/**
 * Whether a stale event must still run its hooks: the outcome of the record's own report that only a
 * cancel superseded (the last allowed submission failed and the session was canceled before the event
 * came), or an effect whose hook failed earlier and is owed to the app whatever happened since.
 */
async function stillOwed(
  ctx: ServiceContext,
  kind: string,
  record: SessionRecord,
  observation: SessionObservation,
) {
  const outcomeOfCurrentReport =
    record.status === 'canceled' &&
    (kind === 'requires_input' || kind === 'verified') &&
    observation.reportId !== null &&
    observation.reportId === record.reportId;
  if (outcomeOfCurrentReport) return true;
  const owed = `owed:${effectKey(record, kind, observation)}`;
  const marker = await ctx.store.claimEvent(owed, { now: ctx.now(), leaseMs: 1000 });
  if (marker === 'claimed') await ctx.store.releaseEvent(owed);
  return marker === 'done';
}

/**
 * The user id hooks receive: the store keeps only a pseudonym, so it comes from Stripe's
 * `client_reference_id`, checked against the record's owner. Sessions of a user who asked for deletion
 * are named by their tombstone owner (`redacted:<pseudonym>`).
 */
async function hookUserId(ctx: ServiceContext, session: StripeSession, record: SessionRecord) {
  // The user asked to be forgotten: hooks about their sessions name the tombstone, not the person.
  if (isTombstone(record.owner)) return record.owner;
  const reference = session.client_reference_id;
  if (reference && (await ctx.subjectOf(reference)) === ledgerSubject(record.owner)) return reference;
  return record.owner;
}

/** Sessions this library created carry the same user id in `client_reference_id` and `metadata.user_id`. */
function ownerFromStripe(session: StripeSession): string | null {
  const reference = session.client_reference_id;
  return reference && session.metadata?.user_id === reference ? reference : null;
}

/** The hooks an event asks for, or `null` when nothing listens (then there is nothing to deduplicate). */
interface HookWork {
  kind: string;
  hook: HookMap[keyof HookMap] | undefined;
  alternative: OnAlternative | undefined;
}

function hookWork(ctx: ServiceContext, kind: string, observation: SessionObservation): HookWork | null {
  const hookName = HOOK_OF_TYPE[kind];
  const hook = hookName ? ctx.options.on[hookName] : undefined;
  const code = observation.lastErrorCode;
  const alternative =
    kind === 'requires_input' && code !== null && classifyErrorCode(code) === 'alternative'
      ? ctx.options.onAlternative
      : undefined;
  return hook || alternative ? { kind, hook, alternative } : null;
}

async function runHook(
  ctx: ServiceContext,
  hook: NonNullable<HookWork['hook']>,
  event: IdentityEvent,
  record: SessionRecord,
  observation: SessionObservation,
  userId: string,
) {
  const code = observation.lastErrorCode;
  const kind = event.type.slice(PREFIX.length);
  // Stripe sometimes sends two Event objects for one change: run each effect once per session and report.
  const effect = effectKey(record, kind, observation);
  const claim = await ctx.store.claimEvent(effect, {
    now: ctx.now(),
    leaseMs: ctx.options.webhooks.claimLeaseSeconds * 1000,
  });
  if (claim !== 'claimed') return claim;
  try {
    const payload: SessionEvent = {
      userId,
      sessionId: record.sessionId,
      status: observation.status as SessionStatus,
      lastErrorCode: code,
      eventId: event.id,
    };
    await hook(payload);
    await ctx.store.completeEvent(effect, {
      now: ctx.now(),
      retainMs: ctx.options.webhooks.retainDays * 86_400_000,
    });
    return 'done';
  } catch (error) {
    await ctx.store.releaseEvent(effect).catch(() => undefined);
    // Owed to the app even if a newer event makes this one stale before Stripe redelivers it.
    await ctx.store
      .completeEvent(`owed:${effect}`, {
        now: ctx.now(),
        retainMs: ctx.options.webhooks.retainDays * 86_400_000,
      })
      .catch(() => undefined);
    throw error;
  }
}
