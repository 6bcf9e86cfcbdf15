import type { ServiceContext } from '../context.js';

const MINUTE_MS = 60_000;

/**
 * Which per-user budget a call takes from, each `limits.linkRefreshesPerMinute` per minute. Returns from
 * Stripe get their own: `GET /return` is a request any site can make with an `<img>`, and it must not
 * be able to use up the budget of the user's own `start()`. Redaction gets its own too, so that asking
 * for deletion never blocks verifying, or the other way round.
 */
export type LinkBudget = 'links' | 'returns' | 'redactions';

/**
 * Fresh links cost Stripe API reads. Every click on "verify" (and every return from Stripe, a GET any
 * page can trigger) retrieves the open session, and each retrieve revokes the user's current link, so a
 * script in a loop would spend the account's rate limit and break the user's flow. Every Stripe call made
 * on a user's demand takes one link from this per-user cap first; the store holds the window, so that
 * instances sharing a store share the cap. Returns `null` when allowed, else when the next one is (ms).
 */
export function takeLink(
  ctx: ServiceContext,
  subject: string,
  budget: LinkBudget = 'links',
): Promise<number | null> {
  return ctx.store.takeLinkRefresh(budget === 'links' ? subject : `${subject}:${budget}`, {
    now: ctx.now(),
    limit: ctx.options.limits.linkRefreshesPerMinute,
    windowMs: MINUTE_MS,
  });
}
