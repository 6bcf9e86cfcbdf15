import type { ServiceContext } from '../context.js';
import type { AlternativeReason } from '../types.js';

const DAY_MS = 86_400_000;
/** How long "already told about this session" is remembered; far longer than any session stays relevant. */
const SESSION_NOTICE_RETAIN_MS = 400 * DAY_MS;
/**
 * How long a running hook holds its notice. A hook still running after this may be run again by another
 * call (a crashed process must not keep the notice forever), so it is far longer than a hook should take.
 */
const NOTICE_LEASE_MS = 15 * 60_000;

/** What `onAlternative` is told, and which notice it is. */
export interface AlternativeNotice {
  userId: string;
  /** The user's pseudonym: notices are keyed by it, never by the raw id. */
  subject: string;
  reason: AlternativeReason;
  sessionId: string | null;
  /**
   * For a notice without a session (an exhausted limit): when that limit frees up again (ms). One notice
   * per limit episode, however many times the user asks before then.
   */
  until?: number;
}

/**
 * Run `onAlternative` once per session and reason (or once per limit episode), across every instance
 * that shares the store: the notice is claimed like a webhook event before the hook runs and marked done
 * after it. A hook that throws releases the claim (the next call runs it again) and the error propagates.
 * A hook still running after 15 minutes is presumed lost with its process and may run again.
 */
export async function notifyAlternative(ctx: ServiceContext, notice: AlternativeNotice): Promise<void> {
  ctx.log.info('alternative path offered', { reason: notice.reason, sessionId: notice.sessionId });
  const hook = ctx.options.onAlternative;
  if (!hook) return;
  const scope = notice.sessionId ?? `${notice.subject}:${notice.until ?? 0}`;
  const key = `alternative:${scope}:${notice.reason}`;
  const now = ctx.now();
  const claim = await ctx.store.claimEvent(key, {
    now,
    leaseMs: Math.max(NOTICE_LEASE_MS, ctx.options.webhooks.claimLeaseSeconds * 1000),
  });
  if (claim !== 'claimed') return;
  try {
    await hook({ userId: notice.userId, reason: notice.reason, sessionId: notice.sessionId });
  } catch (error) {
    await ctx.store.releaseEvent(key).catch(() => undefined);
    throw error;
  }
  const retainMs =
    notice.sessionId === null
      ? Math.max(DAY_MS, (notice.until ?? now) - now + DAY_MS)
      : SESSION_NOTICE_RETAIN_MS;
  await ctx.store.completeEvent(key, { now: ctx.now(), retainMs });
}
