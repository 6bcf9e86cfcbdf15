import type { NewSessionRecord, SessionRecord } from '../domain.js';
import { isTombstone, ledgerSubject } from '../policies/owners.js';
import type { EventClaim, IdentityStore, SessionWrite, SessionWriteResult } from '../stores/contract.js';

/** What the webhook path is about to do for one event, known from the verified payload alone. */
export interface EventPlan {
  eventId: string;
  sessionId: string;
  /** The event's report id: the submission `recordObservation` counts right after its write. */
  reportId: string | null;
  /** The hook's effect key and lease, when a hook will claim it (see `runHook`). */
  effect: { key: string; leaseMs: number } | null;
  /**
   * Set when nothing can follow the record's write on this event's path (no hook, no alternative, no
   * submission cap, no redaction): the event's completion then travels with the write.
   */
  completeWithWrite: { retainMs: number } | null;
}

type FusedStore = IdentityStore &
  Required<Pick<IdentityStore, 'claimEventWithSession' | 'writeSession' | 'settleEvents'>>;

const fused = (store: IdentityStore): store is FusedStore =>
  typeof store.claimEventWithSession === 'function' &&
  typeof store.writeSession === 'function' &&
  typeof store.settleEvents === 'function';

/**
 * The store as one webhook event sees it: the same contract, with the calls the event is known to make
 * next folded into the store's optional fused operations, so that a shared store answers in three round
 * trips (claim + read; write + count + hook claim; complete). The policies run unchanged on top of it:
 * a folded call is answered from the fused result it was part of, and anything unplanned goes through.
 * Returns `store` itself when it lacks the fused operations.
 */
export function eventScope(store: IdentityStore, plan: EventPlan): IdentityStore {
  return fused(store) ? new EventScopedStore(store, plan) : store;
}

class EventScopedStore implements IdentityStore {
  readonly name: string;
  readonly capabilities: IdentityStore['capabilities'];
  readonly #store: FusedStore;
  readonly #plan: EventPlan;
  #claimed = false;
  #session: { record: SessionRecord | null } | null = null;
  #writeDone = false;
  /** The record the fused write stored, while no other call has gone to the store since. */
  #written: SessionRecord | null = null;
  #submission: { subject: string; reportId: string; counted: boolean } | null = null;
  #discovered: string | null = null;
  #listing: { owner: string; sessions: SessionRecord[] } | null = null;
  #effectClaim: EventClaim | null = null;
  #effectConsumed = false;
  /** Effect completions waiting to travel with the event's own completion. */
  #pending: string[] = [];
  #completedWithWrite = false;
  #pendingDone = { now: 0, retainMs: 0 };

  constructor(store: FusedStore, plan: EventPlan) {
    this.#store = store;
    this.#plan = plan;
    this.name = store.name;
    this.capabilities = store.capabilities;
  }

  async claimEvent(eventId: string, claim: { now: number; leaseMs: number }): Promise<EventClaim> {
    if (eventId === this.#plan.eventId && !this.#claimed) {
      this.#claimed = true;
      const both = await this.#store.claimEventWithSession(eventId, claim, this.#plan.sessionId);
      this.#session = { record: both.session };
      return both.claim;
    }
    if (eventId === this.#plan.effect?.key && this.#effectClaim !== null && !this.#effectConsumed) {
      this.#effectConsumed = true;
      return this.#effectClaim;
    }
    await this.#flush();
    return this.#store.claimEvent(eventId, claim);
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    if (sessionId === this.#plan.sessionId && this.#session) {
      const { record } = this.#session;
      this.#session = null;
      return record;
    }
    if (this.#written && sessionId === this.#written.sessionId) {
      // Nothing went to the store since the write that stored it (e.g. no extra session to cancel).
      const written = this.#written;
      this.#written = null;
      return written;
    }
    await this.#flush();
    return this.#store.getSession(sessionId);
  }

  async updateSession(record: SessionRecord): Promise<SessionRecord | null> {
    if (!this.#plannedWrite(record.sessionId)) return this.#through(() => this.#store.updateSession(record));
    const result = await this.#write({ kind: 'update', record }, record.owner, record.updatedAt);
    return result.record;
  }

  async insertSession(record: NewSessionRecord): Promise<SessionRecord | null> {
    if (!this.#plannedWrite(record.sessionId)) return this.#through(() => this.#store.insertSession(record));
    const countFor = isTombstone(record.owner) ? null : record.owner;
    const result = await this.#write(
      { kind: 'insert', record, countFor, list: true },
      record.owner,
      record.updatedAt,
    );
    if (result.record && countFor) this.#discovered = record.sessionId;
    if (result.sessions) this.#listing = { owner: record.owner, sessions: result.sessions };
    return result.record;
  }

  async commitSessionSlot(subject: string, reservationId: string, record: NewSessionRecord) {
    if (this.#discovered === record.sessionId && subject === record.owner) {
      // Counted by the insert that discovered it; a discovered id is never the pending reservation.
      this.#discovered = null;
      return false;
    }
    return this.#through(() => this.#store.commitSessionSlot(subject, reservationId, record));
  }

  async recordSubmission(subject: string, submission: { reportId: string; at: number }) {
    const folded = this.#submission;
    if (folded && folded.subject === subject && folded.reportId === submission.reportId) {
      this.#submission = null;
      return folded.counted;
    }
    return this.#through(() => this.#store.recordSubmission(subject, submission));
  }

  async listSessions(owner: string): Promise<SessionRecord[]> {
    const listing = this.#listing;
    this.#listing = null;
    if (listing && listing.owner === owner) return listing.sessions;
    return this.#through(() => this.#store.listSessions(owner));
  }

  async completeEvent(eventId: string, done: { now: number; retainMs: number }): Promise<void> {
    if (eventId === this.#plan.effect?.key) {
      // Travels with the event's own completion, the next store call of the path.
      this.#pending.push(eventId);
      this.#pendingDone = done;
      return;
    }
    if (eventId === this.#plan.eventId) {
      const complete = this.#completedWithWrite ? [] : [eventId];
      await this.#settle([...this.#pending.splice(0), ...complete], [], done.now, done.retainMs);
      return;
    }
    await this.#through(() => this.#store.completeEvent(eventId, done));
  }

  async releaseEvent(eventId: string): Promise<void> {
    if (eventId === this.#plan.eventId) {
      const { now, retainMs } = this.#pendingDone;
      await this.#settle(this.#pending.splice(0), [eventId], now, retainMs);
      return;
    }
    if (eventId === this.#plan.effect?.key) this.#effectClaim = null;
    await this.#through(() => this.#store.releaseEvent(eventId));
  }

  deleteSession(sessionId: string) {
    return this.#through(() => this.#store.deleteSession(sessionId));
  }
  reserveSessionSlot(...args: Parameters<IdentityStore['reserveSessionSlot']>) {
    return this.#through(() => this.#store.reserveSessionSlot(...args));
  }
  releaseSessionSlot(...args: Parameters<IdentityStore['releaseSessionSlot']>) {
    return this.#through(() => this.#store.releaseSessionSlot(...args));
  }
  attemptUsage(...args: Parameters<IdentityStore['attemptUsage']>) {
    return this.#through(() => this.#store.attemptUsage(...args));
  }
  takeLinkRefresh(...args: Parameters<IdentityStore['takeLinkRefresh']>) {
    return this.#through(() => this.#store.takeLinkRefresh(...args));
  }

  /** The first write of the event's own session is the one `recordObservation` makes. */
  #plannedWrite(sessionId: string): boolean {
    return sessionId === this.#plan.sessionId && !this.#writeDone;
  }

  async #write(write: SessionWrite, owner: string, now: number): Promise<SessionWriteResult> {
    this.#writeDone = true;
    await this.#flush();
    const subject = ledgerSubject(owner);
    const { effect } = this.#plan;
    // Only the report this write records is the one `recordObservation` counts next.
    const reportId = write.record.reportId === this.#plan.reportId ? this.#plan.reportId : null;
    const early = this.#plan.completeWithWrite;
    const result = await this.#store.writeSession({
      ...write,
      // A pending redaction still has work to do after the write.
      complete:
        early && write.record.redaction === null
          ? { eventId: this.#plan.eventId, now, retainMs: early.retainMs }
          : null,
      submission: reportId === null ? null : { subject, reportId, at: now },
      claim: effect ? { eventId: effect.key, now, leaseMs: effect.leaseMs } : null,
    });
    this.#written = result.record;
    // A store that predates `complete` leaves `completed` out: the event is then completed at the end.
    if (result.record && result.completed === true) this.#completedWithWrite = true;
    if (result.record) {
      if (reportId !== null) this.#submission = { subject, reportId, counted: result.submissionCounted };
      this.#effectClaim = result.claim;
    }
    return result;
  }

  /** Any call the plan did not foresee: earlier deferred completions first, in order. */
  async #through<T>(run: () => Promise<T>): Promise<T> {
    this.#written = null;
    await this.#flush();
    return run();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const { now, retainMs } = this.#pendingDone;
    await this.#settle(this.#pending.splice(0), [], now, retainMs);
  }

  /** A speculative hook claim the path never used is given back with the event's settlement. */
  async #settle(complete: string[], release: string[], now: number, retainMs: number): Promise<void> {
    const key = this.#plan.effect?.key;
    const unused = key !== undefined && this.#effectClaim === 'claimed' && !this.#effectConsumed;
    if (unused) this.#effectClaim = null;
    if (complete.length === 0 && release.length === 0 && !unused) return;
    await this.#store.settleEvents({
      complete,
      release: unused ? [...release, key] : release,
      now,
      retainMs,
    });
  }
}
