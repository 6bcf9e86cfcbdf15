/** `onRequest`: each API call reported once, when its answer is known, in the order answers come. */
import type { SimulatorRequest } from './types.js';

/** Reports finished entries of a request log. */
export class RequestReporter {
  private readonly reported = new WeakSet<SimulatorRequest>();
  private firstUnreported = 0;

  constructor(
    private readonly log: SimulatorRequest[],
    private readonly report: ((request: SimulatorRequest) => void) | undefined,
  ) {}

  /** Reports every finished, unreported call (a slow one still pending keeps its place). */
  flush(): void {
    if (!this.report) return;
    for (let index = this.firstUnreported; index < this.log.length; index += 1) {
      const entry = this.log[index];
      if (!entry || entry.status === 0 || this.reported.has(entry)) continue;
      this.reported.add(entry);
      this.report(entry);
    }
    while (this.firstUnreported < this.log.length) {
      const entry = this.log[this.firstUnreported];
      if (!entry || !this.reported.has(entry)) break;
      this.firstUnreported += 1;
    }
  }

  /** The log was emptied (`reset()`). */
  restart(): void {
    this.firstUnreported = 0;
  }
}
