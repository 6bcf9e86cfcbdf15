/** The simulator's clock: it moves only when told to, and runs what was scheduled on the way. */

interface ScheduledTask {
  at: number;
  seq: number;
  run: () => void;
}

/** Simulated time in ms with tasks that fire when `advance` passes them. */
export class SimulatorClock {
  private current: number;
  private tasks: ScheduledTask[] = [];
  private seq = 0;

  constructor(startMs: number) {
    this.current = startMs;
  }

  /** Current simulated time (ms). */
  now(): number {
    return this.current;
  }

  /** Current simulated time in whole Unix seconds, as Stripe stamps objects. */
  nowSeconds(): number {
    return Math.floor(this.current / 1000);
  }

  /** Run `run` once the clock reaches `at`. Returns a function that cancels it. */
  schedule(at: number, run: () => void): () => void {
    const task: ScheduledTask = { at, seq: this.seq++, run };
    this.tasks.push(task);
    return () => {
      this.tasks = this.tasks.filter((t) => t !== task);
    };
  }

  /** Move forward; each due task runs with the clock set to its own time, in time order. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`);
    const target = this.current + ms;
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.run();
    }
    this.current = target;
  }

  /** Forget every pending task. */
  clear(): void {
    this.tasks = [];
  }
}
