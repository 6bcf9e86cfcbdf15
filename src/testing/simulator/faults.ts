/** Injected faults: a queue of one-off faults and seeded random fault rates. */
import { InvalidInputError } from '../../errors.js';
import type { SeededRandom } from './random.js';
import type { FaultSpec } from './types.js';

interface QueuedFault {
  spec: FaultSpec;
  remaining: number;
}

interface RateFault {
  rate: number;
  spec: Omit<FaultSpec, 'count'>;
}

function matches(spec: Pick<FaultSpec, 'match'>, method: string, path: string): boolean {
  const match = spec.match;
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? match.path === path : match.path.test(path);
}

const KINDS: readonly FaultSpec['kind'][] = ['http_500', 'http_429', 'reset', 'slow'];

function checkSpec(spec: Omit<FaultSpec, 'count'>): void {
  if (!KINDS.includes(spec.kind)) throw new InvalidInputError(`Unknown fault kind: ${String(spec.kind)}`);
  if (spec.phase !== undefined && !['before', 'after', 'inside'].includes(spec.phase)) {
    throw new InvalidInputError(
      `Fault phase must be 'before', 'after' or 'inside', got ${String(spec.phase)}`,
    );
  }
  if (spec.phase === 'inside' && spec.kind !== 'http_500') {
    throw new InvalidInputError(`Fault phase 'inside' is for http_500 only (Stripe keeps an endpoint's 500)`);
  }
}

/** Decides, per API request, which fault (if any) shapes the answer. */
export class FaultInjector {
  private queue: QueuedFault[] = [];
  private rates: RateFault[] = [];

  constructor(private readonly random: SeededRandom) {}

  /** Applies `spec` to the next `spec.count` (default 1) matching requests. */
  failNext(spec: FaultSpec): void {
    checkSpec(spec);
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new InvalidInputError(`Fault count must be an integer >= 1`);
    this.queue.push({ spec: { ...spec }, remaining: count });
  }

  /** Applies `spec` to a seeded random fraction `rate` of matching requests, until cleared. */
  setRate(rate: number, spec: Omit<FaultSpec, 'count'>): void {
    checkSpec(spec);
    if (!(rate >= 0 && rate <= 1)) throw new InvalidInputError(`Fault rate must be within 0..1, got ${rate}`);
    this.rates.push({ rate, spec: { ...spec } });
  }

  /** Removes every queued fault and rate. */
  clear(): void {
    this.queue = [];
    this.rates = [];
  }

  /** The fault for this request, consuming one use of a queued fault. */
  pick(method: string, path: string): FaultSpec | null {
    const queued = this.queue.find((q) => matches(q.spec, method, path));
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining === 0) this.queue = this.queue.filter((q) => q !== queued);
      return queued.spec;
    }
    for (const rule of this.rates) {
      if (!matches(rule.spec, method, path)) continue;
      // One draw per matching rule and request keeps the sequence reproducible from the seed.
      if (this.random.next() < rule.rate) return { ...rule.spec };
    }
    return null;
  }
}
