import Stripe from 'stripe';

/** One signed delivery: the raw body and its `Stripe-Signature` header. */
export interface SignedDelivery {
  rawBody: string;
  signature: string;
}

/**
 * `count` pre-signed identity events for fresh sessions, three per session (created, processing,
 * verified), each session its own user. `tag` keeps ids apart between rounds and stores.
 */
export function signedSessionEvents(count: number, secret: string, tag: string): SignedDelivery[] {
  const now = Math.floor(Date.now() / 1000);
  const types = ['created', 'processing', 'verified'] as const;
  return Array.from({ length: count }, (_, index) => {
    const n = Math.floor(index / 3);
    const kind = types[index % 3] ?? 'created';
    const user = `user_${tag}_${n}`;
    const rawBody = JSON.stringify({
      id: `evt_${tag}_${index}`,
      object: 'event',
      type: `identity.verification_session.${kind}`,
      created: now - 60 + (index % 3),
      livemode: false,
      api_version: '2026-10-28.endive',
      data: {
        object: {
          id: `vs_${tag}_${n}`,
          object: 'identity.verification_session',
          client_reference_id: user,
          metadata: { user_id: user },
          created: now - 60,
          livemode: false,
          status: kind === 'created' ? 'requires_input' : kind,
          last_error: null,
          last_verification_report: kind === 'created' ? null : `vr_${tag}_${n}`,
          redaction: null,
          type: 'document',
          url: null,
          client_secret: null,
        },
      },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret, timestamp: now });
    return { rawBody, signature };
  });
}
