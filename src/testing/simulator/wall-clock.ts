/** `wallClock: true`: moves the simulated clock on by the real time elapsed, on demand and every 250 ms. */

const TICK_MS = 250;

/** Keeps a simulated clock in step with real time. */
export class WallClockFollower {
  private last = Date.now();
  private readonly timer: NodeJS.Timeout;

  /** `advance` moves the simulated clock (and runs what falls due). */
  constructor(private readonly advance: (ms: number) => void) {
    this.timer = setInterval(() => this.sync(), TICK_MS);
    // The timer only catches up between requests: it must not keep a process alive on its own.
    this.timer.unref();
  }

  /** Catches up now (called before every request, so answers carry the current time). */
  sync(): void {
    const now = Date.now();
    const elapsed = now - this.last;
    this.last = now;
    if (elapsed > 0) this.advance(elapsed);
  }

  /** Stops following. */
  stop(): void {
    clearInterval(this.timer);
  }
}
