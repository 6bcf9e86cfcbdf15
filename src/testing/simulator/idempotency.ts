/**
 * Idempotency keys, per API key: the first answer is kept for 24 h (simulated) and replayed for the same
 * parameters; other parameters are an `idempotency_error`; a request still running under the key is a 409.
 */

const RETENTION_MS = 24 * 60 * 60 * 1000;

/** An answer kept for replay. */
export interface StoredAnswer {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  fingerprint: string;
  createdAt: number;
  answer: StoredAnswer | null;
}

/** What to do with a request carrying an idempotency key. */
export type IdempotencyVerdict =
  | { kind: 'new' }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/** The idempotency records. */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** Looks up `key` for `apiKey`; a `new` verdict reserves the key until `finish`. */
  begin(apiKey: string, key: string, fingerprint: string, now: number): IdempotencyVerdict {
    const id = `${apiKey}\u0000${key}`;
    const entry = this.entries.get(id);
    if (entry && now - entry.createdAt < RETENTION_MS) {
      if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
      return entry.answer ? { kind: 'replay', answer: entry.answer } : { kind: 'in_flight' };
    }
    this.entries.set(id, { fingerprint, createdAt: now, answer: null });
    return { kind: 'new' };
  }

  /** Keeps `answer` for replay, or (with null) releases the key as if it had never been used. */
  finish(apiKey: string, key: string, answer: StoredAnswer | null): void {
    const id = `${apiKey}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) return;
    if (answer) entry.answer = answer;
    else this.entries.delete(id);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }
}
