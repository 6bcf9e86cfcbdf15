import type { ServiceContext } from '../context.js';
import type { SlotReservation } from '../stores/contract.js';

/** Use of one limit inside the rolling window. */
export interface LimitUse {
  used: number;
  limit: number;
  left: number;
  /** When `left` becomes positive again (ms), or `null` if it is positive now. */
  retryAt: number | null;
}

/** Both limits of a user, from the store alone. */
export interface AttemptsView {
  submissions: LimitUse;
  sessions: LimitUse;
}

/** When enough of `times` (ascending, inside the window) leave it for the count to drop below `limit`. */
export function freedAt(times: readonly number[], limit: number, windowMs: number): number | null {
  if (times.length < limit) return null;
  const oldestThatMustLeave = times[times.length - limit] ?? 0;
  return oldestThatMustLeave + windowMs;
}

function use(times: readonly number[], limit: number, windowMs: number): LimitUse {
  const used = times.length;
  return { used, limit, left: Math.max(0, limit - used), retryAt: freedAt(times, limit, windowMs) };
}

/** Read both limits for a user (one store call). */
export async function readAttempts(ctx: ServiceContext, subject: string): Promise<AttemptsView> {
  const { limits } = ctx.options;
  const usage = await ctx.store.attemptUsage(subject, { now: ctx.now(), windowMs: ctx.options.windowMs });
  return {
    submissions: use(usage.submissions, limits.maxSubmissions, ctx.options.windowMs),
    sessions: use(usage.sessions, limits.maxSessions, ctx.options.windowMs),
  };
}

/** Reserve the user's slot to create one session: atomic in the store, before any call to Stripe. */
export function reserveSlot(ctx: ServiceContext, subject: string): Promise<SlotReservation> {
  return ctx.store.reserveSessionSlot(subject, {
    limit: ctx.options.limits.maxSessions,
    windowMs: ctx.options.windowMs,
    now: ctx.now(),
    leaseMs: ctx.options.concurrency.leaseSeconds * 1000,
  });
}

/** Sleep with a growing pause while another caller holds the slot; real time, bounded by the caller. */
export function pause(round: number): Promise<void> {
  const ms = Math.min(250, 5 * 2 ** Math.min(round, 6));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
