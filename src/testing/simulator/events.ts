/** Builds Stripe event envelopes for session state changes. */
import type Stripe from 'stripe';
import type { ChangeOrigin } from './model.js';

/** The six identity event types, the only events the simulator emits. */
export type IdentityEventType =
  | 'identity.verification_session.created'
  | 'identity.verification_session.processing'
  | 'identity.verification_session.verified'
  | 'identity.verification_session.requires_input'
  | 'identity.verification_session.canceled'
  | 'identity.verification_session.redacted';

/** Everything an event envelope needs. */
export interface EventInput {
  id: string;
  type: IdentityEventType;
  /** The session as it stands, rendered without `verified_outputs` (events never carry them). */
  object: Stripe.Identity.VerificationSession;
  createdSeconds: number;
  apiVersion: string;
  pendingWebhooks: number;
  origin: ChangeOrigin;
}

/** A Stripe `event` object (snapshot event, API v1 envelope). */
export function buildEvent(input: EventInput): Stripe.Event {
  const { verified_outputs: _omitted, ...object } = input.object;
  const event = {
    id: input.id,
    object: 'event',
    api_version: input.apiVersion,
    created: input.createdSeconds,
    data: { object },
    livemode: object.livemode,
    pending_webhooks: input.pendingWebhooks,
    request: { id: input.origin.requestId, idempotency_key: input.origin.idempotencyKey },
    type: input.type,
  };
  return event as Stripe.Event;
}
