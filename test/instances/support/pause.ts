/**
 * A place where one call stops until the test lets it go on: the test learns that the call got there,
 * makes another instance act meanwhile, then releases it. Orders a race without timing anything.
 */
export interface PausePoint {
  /** Resolves when the paused call has arrived. */
  readonly reached: Promise<void>;
  /** Lets the paused call go on. */
  release(): void;
  /** Called by the paused code: signals arrival, then waits for `release`. */
  arrive(): Promise<void>;
}

/** A fresh {@link PausePoint}. */
export function pausePoint(): PausePoint {
  let arrived!: () => void;
  let go!: () => void;
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const released = new Promise<void>((resolve) => {
    go = resolve;
  });
  return {
    reached,
    release: () => go(),
    async arrive() {
      arrived();
      await released;
    },
  };
}

/** `target` with `method` stopping at `point` before it runs (first call only); everything else untouched. */
export function pauseBefore<T extends object>(target: T, method: keyof T, point: PausePoint): T {
  return runBefore(target, method, () => point.arrive());
}

/** A store's optional fused operations that also do a step named by a required method (issue 13). */
const FUSED_STEPS: Record<string, string[]> = {
  completeEvent: ['settleEvents'],
  releaseEvent: ['settleEvents'],
  claimEvent: ['claimEventWithSession', 'writeSession'],
  getSession: ['claimEventWithSession'],
  updateSession: ['writeSession'],
  insertSession: ['writeSession'],
  recordSubmission: ['writeSession'],
};

/**
 * `target` with `first` run before the first call of `method` (or of a fused operation doing its step) (to start an outage at an exact step);
 * every other property and call untouched.
 */
export function runBefore<T extends object>(target: T, method: keyof T, first: () => Promise<void>): T {
  let pending: (() => Promise<void>) | null = first;
  const steps = new Set<PropertyKey>([method, ...(FUSED_STEPS[String(method)] ?? [])]);
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      // Bound to the real object: stores keep their state in private fields, which a proxy cannot reach.
      if (!steps.has(property)) return value.bind(object);
      return async (...args: unknown[]) => {
        const run = pending;
        pending = null;
        if (run) await run();
        return value.apply(object, args);
      };
    },
  });
}
