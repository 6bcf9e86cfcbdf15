import type { ServiceContext } from '../context.js';
import type { StripeSession } from '../stripe/gateway.js';
import type { StartResult, VerificationUser } from '../types.js';
import { alternativePath } from './alternatives.js';
import type { AttemptsView } from './attempts.js';
import { notifyAlternative } from './notify.js';

/** A step of the start loop: a final result, `again` after the state moved under us, `busy` to wait. */
export type Step = StartResult | 'again' | 'busy';

/** Who is starting: the user as authenticated, and their pseudonym (the store's owner and ledger key). */
export interface Starter {
  user: VerificationUser;
  subject: string;
}

/** `limit_reached` for the per-minute link cap: wait a moment, nothing to verify elsewhere. */
export function linkLimit(ctx: ServiceContext, retryAt: number): StartResult {
  return {
    status: 'limit_reached',
    limit: 'links',
    retryAt: new Date(retryAt),
    alternative: alternativePath('link_limit', ctx.options.alternative),
  };
}

/** `limit_reached` for an exhausted submission or session limit; `onAlternative` once per episode. */
export async function limitReached(
  ctx: ServiceContext,
  starter: Starter,
  limit: 'submissions' | 'sessions',
  attempts: AttemptsView,
  retryAtMs?: number,
): Promise<StartResult> {
  const reason = limit === 'submissions' ? 'submission_limit' : 'session_limit';
  const retryAt = retryAtMs ?? attempts[limit].retryAt ?? ctx.now();
  await notifyAlternative(ctx, {
    userId: starter.user.id,
    subject: starter.subject,
    reason,
    sessionId: null,
    until: retryAt,
  });
  return {
    status: 'limit_reached',
    limit,
    retryAt: new Date(retryAt),
    alternative: alternativePath(reason, ctx.options.alternative),
  };
}

/** The link a fresh or retrieved session carries for the configured flow, or `null` when it has none. */
export function linkOf(ctx: ServiceContext, session: StripeSession): StartResult | null {
  if (ctx.options.flow === 'modal') {
    return session.client_secret
      ? { status: 'modal', sessionId: session.id, clientSecret: session.client_secret }
      : null;
  }
  return session.url ? { status: 'redirect', sessionId: session.id, url: session.url } : null;
}
