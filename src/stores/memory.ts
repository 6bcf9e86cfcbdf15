import type { NewSessionRecord, SessionRecord } from '../domain.js';
import type {
  AttemptUsage,
  EventClaim,
  IdentityStore,
  LinkTakeInput,
  ReleaseSlotOptions,
  ReserveSlotInput,
  SlotReservation,
  StoreCapabilities,
} from './contract.js';
import { LinkWindows } from './shared/link-window.js';
import { storedRecord } from './shared/records.js';

interface Ledger {
  /** Counted session id → creation time (ms); pruned when a reservation looks past the window. */
  sessions: Map<string, number>;
  /** reportId → submission time (ms). */
  submissions: Map<string, number>;
  /** Attempts that used an ordinal: committed sessions and retired idempotency keys. */
  ordinals: number;
  reconcile: boolean;
  pending: { reservationId: string; until: number } | null;
}

type EventState = { state: 'in_flight'; until: number } | { state: 'done'; until: number };

/**
 * The default store: everything in this process's memory, on this instance only (two instances share
 * nothing). Right for tests, examples and a single process; a deployment with several instances needs a
 * shared store (`/redis`, `/postgres`) so that limits and webhook dedupe hold across them.
 */
export class MemoryStore implements IdentityStore {
  readonly name = 'memory';
  readonly capabilities: StoreCapabilities = { atomic: true, sharedAcrossProcesses: false, durable: false };

  readonly #sessions = new Map<string, SessionRecord>();
  /** Session ids by owner, so that listing one user's sessions never scans everyone's. */
  readonly #byOwner = new Map<string, Set<string>>();
  readonly #ledgers = new Map<string, Ledger>();
  readonly #events = new Map<string, EventState>();
  readonly #links = new LinkWindows();
  #nextReservation = 0;

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    const found = this.#sessions.get(sessionId);
    return found ? { ...found } : null;
  }

  async listSessions(owner: string): Promise<SessionRecord[]> {
    const ids = this.#byOwner.get(owner);
    if (!ids) return [];
    return [...ids]
      .map((id) => this.#sessions.get(id))
      .filter((record): record is SessionRecord => record !== undefined)
      .sort((a, b) => b.createdAt - a.createdAt || (a.sessionId < b.sessionId ? 1 : -1))
      .map((record) => ({ ...record }));
  }

  async insertSession(record: NewSessionRecord): Promise<SessionRecord | null> {
    if (this.#sessions.has(record.sessionId)) return null;
    const stored = storedRecord(record, record.owner, 1);
    this.#put(stored);
    return { ...stored };
  }

  async updateSession(record: SessionRecord): Promise<SessionRecord | null> {
    const current = this.#sessions.get(record.sessionId);
    if (!current || current.version !== record.version) return null;
    const stored = storedRecord(record, current.owner, current.version + 1);
    this.#sessions.set(record.sessionId, stored);
    return { ...stored };
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    const current = this.#sessions.get(sessionId);
    if (!current) return false;
    this.#sessions.delete(sessionId);
    const ids = this.#byOwner.get(current.owner);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.#byOwner.delete(current.owner);
    return true;
  }

  async reserveSessionSlot(subject: string, input: ReserveSlotInput): Promise<SlotReservation> {
    const ledger = this.#ledger(subject);
    if (ledger.pending && ledger.pending.until > input.now)
      return { outcome: 'busy', until: ledger.pending.until };
    const since = input.now - input.windowMs;
    for (const [sessionId, at] of ledger.sessions) if (at <= since) ledger.sessions.delete(sessionId);
    const inWindow = [...ledger.sessions.values()].sort((a, b) => a - b);
    if (inWindow.length >= input.limit) {
      const oldest = inWindow[inWindow.length - input.limit] ?? input.now;
      return { outcome: 'limit', retryAt: oldest + input.windowMs };
    }
    this.#nextReservation += 1;
    const reservationId = `res_${this.#nextReservation}`;
    ledger.pending = { reservationId, until: input.now + input.leaseMs };
    return { outcome: 'reserved', reservationId, ordinal: ledger.ordinals + 1, reconcile: ledger.reconcile };
  }

  async commitSessionSlot(
    subject: string,
    reservationId: string,
    record: NewSessionRecord,
  ): Promise<boolean> {
    const ledger = this.#ledger(subject);
    const held = ledger.pending?.reservationId === reservationId;
    if (held) ledger.pending = null;
    // A session that exists at Stripe is counted once, even if its lease ran out or a webhook recorded
    // it first: counting follows the session id, not whether this call inserted the record.
    if (!ledger.sessions.has(record.sessionId)) {
      ledger.sessions.set(record.sessionId, record.createdAt);
      ledger.ordinals += 1;
      ledger.reconcile = false;
    }
    if (!this.#sessions.has(record.sessionId)) this.#put(storedRecord(record, record.owner, 1));
    return held;
  }

  async releaseSessionSlot(
    subject: string,
    reservationId: string,
    options: ReleaseSlotOptions = {},
  ): Promise<void> {
    const ledger = this.#ledgers.get(subject);
    if (ledger?.pending?.reservationId !== reservationId) return;
    ledger.pending = null;
    if (options.retireKey) {
      ledger.ordinals += 1;
      ledger.reconcile = false;
    } else if (options.indeterminate) {
      ledger.reconcile = true;
    }
  }

  async takeLinkRefresh(subject: string, take: LinkTakeInput): Promise<number | null> {
    return this.#links.take(subject, take.now, take.limit, take.windowMs);
  }

  async recordSubmission(subject: string, submission: { reportId: string; at: number }): Promise<boolean> {
    const ledger = this.#ledger(subject);
    if (ledger.submissions.has(submission.reportId)) return false;
    ledger.submissions.set(submission.reportId, submission.at);
    return true;
  }

  async attemptUsage(subject: string, window: { now: number; windowMs: number }): Promise<AttemptUsage> {
    const ledger = this.#ledgers.get(subject);
    if (!ledger) return { sessions: [], submissions: [] };
    const since = window.now - window.windowMs;
    return {
      sessions: [...ledger.sessions.values()].filter((at) => at > since).sort((a, b) => a - b),
      submissions: [...ledger.submissions.values()].filter((at) => at > since).sort((a, b) => a - b),
    };
  }

  async claimEvent(eventId: string, claim: { now: number; leaseMs: number }): Promise<EventClaim> {
    const current = this.#events.get(eventId);
    if (current?.state === 'done' && current.until > claim.now) return 'done';
    if (current?.state === 'in_flight' && current.until > claim.now) return 'in_flight';
    this.#events.set(eventId, { state: 'in_flight', until: claim.now + claim.leaseMs });
    return 'claimed';
  }

  async completeEvent(eventId: string, done: { now: number; retainMs: number }): Promise<void> {
    this.#events.set(eventId, { state: 'done', until: done.now + done.retainMs });
  }

  async releaseEvent(eventId: string): Promise<void> {
    if (this.#events.get(eventId)?.state === 'in_flight') this.#events.delete(eventId);
  }

  /** Everything this store holds, as plain data: for tests and debugging (it holds references only). */
  snapshot(): {
    sessions: SessionRecord[];
    ledgers: Record<string, unknown>;
    events: Record<string, unknown>;
  } {
    const ledgers: Record<string, unknown> = {};
    for (const [subject, ledger] of this.#ledgers) {
      ledgers[subject] = {
        ...ledger,
        sessions: Object.fromEntries(ledger.sessions),
        submissions: Object.fromEntries(ledger.submissions),
      };
    }
    return {
      sessions: [...this.#sessions.values()].map((record) => ({ ...record })),
      ledgers,
      events: Object.fromEntries(this.#events),
    };
  }

  /** Insert a new record and index it by owner (owners never change, so updates need no re-index). */
  #put(record: SessionRecord): void {
    this.#sessions.set(record.sessionId, record);
    let ids = this.#byOwner.get(record.owner);
    if (!ids) {
      ids = new Set();
      this.#byOwner.set(record.owner, ids);
    }
    ids.add(record.sessionId);
  }

  #ledger(subject: string): Ledger {
    let ledger = this.#ledgers.get(subject);
    if (!ledger) {
      ledger = { sessions: new Map(), submissions: new Map(), ordinals: 0, reconcile: false, pending: null };
      this.#ledgers.set(subject, ledger);
    }
    return ledger;
  }
}
