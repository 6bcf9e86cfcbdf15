/**
 * Sliding windows of link takes per key, in memory and bounded. Idle keys are dropped first, then keys
 * that are not at their limit; a key at its limit (a user being throttled right now) is never forgotten,
 * so that a crowd of other users cannot reset one user's cap. Memory is bounded by the number of users
 * throttled at once, each holding at most `limit` times.
 */
export class LinkWindows {
  readonly #maxKeys: number;
  readonly #times = new Map<string, number[]>();

  /** @param maxKeys keys kept before idle and unthrottled ones are dropped. */
  constructor(maxKeys = 10_000) {
    this.#maxKeys = maxKeys;
  }

  /** Number of keys held now (for tests of the bound). */
  get size(): number {
    return this.#times.size;
  }

  /** Take one for `key`; `null` when allowed, else when the next take will be. */
  take(key: string, now: number, limit: number, windowMs: number): number | null {
    const since = now - windowMs;
    // Times after `now` (a clock stepped back) are dropped: the cap errs towards allowing, never locks out.
    const times = (this.#times.get(key) ?? []).filter((at) => at > since && at <= now);
    if (times.length >= limit) {
      this.#times.set(key, times);
      return (times[times.length - limit] ?? now) + windowMs;
    }
    times.push(now);
    if (!this.#times.has(key) && this.#times.size >= this.#maxKeys) this.#shed(since, limit);
    this.#times.set(key, times);
    return null;
  }

  #shed(since: number, limit: number): void {
    for (const [key, times] of this.#times) {
      if ((times[times.length - 1] ?? 0) <= since) this.#times.delete(key);
    }
    if (this.#times.size < this.#maxKeys) return;
    // Unthrottled keys go next, oldest activity first (Map order is insertion order, close enough).
    for (const [key, times] of this.#times) {
      if (this.#times.size < this.#maxKeys) return;
      if (times.filter((at) => at > since).length < limit) this.#times.delete(key);
    }
  }
}
