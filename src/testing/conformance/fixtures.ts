import type { NewSessionRecord } from '../../domain.js';

/** A fixed instant (2026-01-01T00:00:00Z): the suite never reads a clock. */
export const T0 = 1_767_225_600_000;
/** Thirty days, the library's default limit window. */
export const WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** A reservation lease long enough that no case runs into it by accident. */
export const LEASE_MS = 60_000;

/** A session record with plausible defaults; override what the case is about. */
export function sessionRecord(
  overrides: Partial<NewSessionRecord> & { sessionId: string },
): NewSessionRecord {
  return {
    owner: 'user_1',
    status: 'requires_input',
    lastErrorCode: null,
    reportId: null,
    observedAt: Math.floor(T0 / 1000),
    createdAt: T0,
    updatedAt: T0,
    livemode: false,
    redaction: null,
    ...overrides,
  };
}

/** Reservation input at `now` with the suite's window and lease. */
export function slotInput(
  now: number,
  limit = 3,
): { limit: number; windowMs: number; now: number; leaseMs: number } {
  return { limit, windowMs: WINDOW_MS, now, leaseMs: LEASE_MS };
}

/** A deterministic pseudo-random source (mulberry32), so that shuffles repeat run after run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Fisher–Yates shuffle driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Yields to the event loop so that concurrent callers interleave, whatever the store's driver. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs `count` callers at once and waits for all of them. */
export function concurrently<T>(count: number, caller: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => caller(index)));
}
