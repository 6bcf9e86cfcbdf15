/**
 * Fresh links cost Stripe API reads. Every click on "verify" retrieves the open session, so a script
 * clicking in a loop would spend the account's rate limit (shared by every user) without ever being
 * billed. This per-instance sliding window caps fresh links per user per minute; several instances each
 * allow the limit, which still bounds the reads by the instance count.
 */
export class LinkThrottle {
  readonly #perMinute: number;
  readonly #recent = new Map<string, number[]>();

  constructor(perMinute: number) {
    this.#perMinute = perMinute;
  }

  /** Take one fresh link for `userId` at `now` (ms); `null` when allowed, else when the next one is. */
  take(userId: string, now: number): number | null {
    const since = now - 60_000;
    const times = (this.#recent.get(userId) ?? []).filter((at) => at > since);
    if (times.length >= this.#perMinute) {
      this.#recent.set(userId, times);
      return (times[times.length - this.#perMinute] ?? now) + 60_000;
    }
    times.push(now);
    // Bounded memory: forgetting everyone at once only ever allows more, never less.
    if (!this.#recent.has(userId) && this.#recent.size >= 10_000) this.#recent.clear();
    this.#recent.set(userId, times);
    return null;
  }
}
