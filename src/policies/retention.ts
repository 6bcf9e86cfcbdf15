import type { ServiceContext } from '../context.js';
import type { SessionStatus } from '../domain.js';
import type { StripeSession } from '../stripe/gateway.js';
import type { RetentionProgress, SessionRedaction } from '../types.js';
import { applyObservation, observe } from './observations.js';
import { redactOne } from './redaction.js';

/** Options of `redactOlder()`. */
export interface RetentionOptions {
  /** Redact sessions created more than this many days ago. */
  olderThanDays: number;
  /** Only these statuses (default: `verified`, `canceled`, `requires_input`). */
  statuses?: SessionStatus[];
  /** Called after each session, with the count done and the count left. */
  onProgress?: (progress: RetentionProgress) => void | Promise<void>;
}

/**
 * Redact every session of this integration past its retention, for laws that require deleting ID data
 * after verification. Sessions come from Stripe (created before the cut-off, page by page); only sessions
 * this library created (`client_reference_id` equal to `metadata.user_id`) are touched. Resumable: already
 * redacted sessions are skipped, so a crashed run is finished by running it again.
 */
export async function redactOlder(
  ctx: ServiceContext,
  options: RetentionOptions,
): Promise<SessionRedaction[]> {
  const statuses = new Set<string>(options.statuses ?? ['verified', 'canceled', 'requires_input']);
  const cutoff = Math.floor(ctx.now() / 1000) - Math.floor(options.olderThanDays * 86_400);
  const due = (await ctx.gateway.listSessionsCreatedBefore(cutoff)).filter(
    (session) => ours(session) && statuses.has(session.status) && session.redaction === null,
  );
  const results: SessionRedaction[] = [];
  for (const session of due) {
    const outcome = await redactOne(ctx, session);
    const observation = observe(session, Math.floor(ctx.now() / 1000));
    observation.redaction = outcome.state;
    await applyObservation(ctx.store, observation, ctx.now());
    results.push(outcome);
    await options.onProgress?.({ done: results.length, left: due.length - results.length });
  }
  ctx.log.info('retention run finished', { count: results.length });
  return results;
}

function ours(session: StripeSession): boolean {
  return session.client_reference_id !== null && session.metadata?.user_id === session.client_reference_id;
}
