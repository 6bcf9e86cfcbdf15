/**
 * Fresh links cost Stripe API reads. Every click on "verify" retrieves the open session, so a script
 * clicking in a loop would spend the account's rate limit (shared by every user) without ever being
 * billed. This per-instance sliding window caps fresh links per user per minute; several instances each
 * allow the limit, which still bounds the reads by the instance count.
 */
const MAX_USERS = 10_000;

export class LinkThrottle {
  readonly #perMinute: number;
  readonly #recent = new Map<string, number[]>();

  constructor(perMinute: number) {
    this.#perMinute = perMinute;
  }

  /** Take one fresh link for `userId` at `now` (ms); `null` when allowed, else when the next one is. */
  take(userId: string, now: number): number | null {
    const since = now - 60_000;
    // Times after `now` (a clock stepped back) are dropped too: the cap only ever errs towards allowing.
    const times = (this.#recent.get(userId) ?? []).filter((at) => at > since && at <= now);
    if (times.length >= this.#perMinute) {
      this.#recent.set(userId, times);
      return (times[times.length - this.#perMinute] ?? now) + 60_000;
    }
    times.push(now);
    if (!this.#recent.has(userId) && this.#recent.size >= MAX_USERS) this.#forgetIdle(since);
    this.#recent.set(userId, times);
    return null;
  }

  /** Bounded memory: drop users idle for a minute; only if all are active, forget everyone (allows more). */
  #forgetIdle(since: number): void {
    for (const [userId, times] of this.#recent) {
      if ((times[times.length - 1] ?? 0) <= since) this.#recent.delete(userId);
    }
    if (this.#recent.size >= MAX_USERS) this.#recent.clear();
  }
}
