/** Wall-clock waits (for `slow` faults) that `close()` can cancel. */

/** Cancellable sleeps. */
export class WallClockSleeper {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();

  /** Resolves after `ms`, or rejects when {@link cancelAll} runs first. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.pending.add(entry);
    });
  }

  /** Rejects every pending sleep. */
  cancelAll(): void {
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new Error('simulator closed'));
    }
    this.pending.clear();
  }
}
