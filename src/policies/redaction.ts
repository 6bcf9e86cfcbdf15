import type { ServiceContext } from '../context.js';
import type { SessionRecord } from '../domain.js';
import { applyObservation, observe } from './observations.js';

/**
 * A redaction asked for while the session was processing runs once processing has ended (Stripe
 * refuses to redact a processing session).
 */
export async function completePendingRedaction(ctx: ServiceContext, record: SessionRecord): Promise<SessionRecord> {
  const redacted = await ctx.gateway.redactSession(record.sessionId);
  const observation = observe(redacted, Math.floor(ctx.now() / 1000));
  observation.redaction ??= 'redaction_pending';
  const applied = await applyObservation(ctx.store, observation, ctx.now());
  ctx.log.info('pending redaction sent to Stripe', { sessionId: record.sessionId });
  return applied?.record ?? record;
}
