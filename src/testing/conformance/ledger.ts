import type { IdentityStore, ReserveSlotInput } from '../../stores/contract.js';
import { LEASE_MS, sessionRecord, slotInput, T0, WINDOW_MS } from './fixtures.js';
import type { ConformanceCase } from './types.js';

const SUBJECT = 'subj_ledger';

/** Reserves and fails the case unless the outcome is `reserved`. */
export async function reserveOrFail(
  store: IdentityStore,
  subject: string,
  input: ReserveSlotInput,
): Promise<{ reservationId: string; ordinal: number; reconcile: boolean }> {
  const outcome = await store.reserveSessionSlot(subject, input);
  if (outcome.outcome !== 'reserved') {
    throw new Error(`expected a reservation at ${input.now}, got ${JSON.stringify(outcome)}`);
  }
  return {
    reservationId: outcome.reservationId,
    ordinal: outcome.ordinal,
    reconcile: outcome.reconcile ?? false,
  };
}

/** Reserves at `createdAt` and commits a session created then. */
async function commitAt(
  store: IdentityStore,
  sessionId: string,
  createdAt: number,
  limit = 3,
): Promise<void> {
  const { reservationId } = await reserveOrFail(store, SUBJECT, slotInput(createdAt, limit));
  const held = await store.commitSessionSlot(SUBJECT, reservationId, sessionRecord({ sessionId, createdAt }));
  if (!held) throw new Error(`commit of a live reservation returned false (${sessionId})`);
}

/** Cases for the attempt ledger: reservations, leases, commits, limits, ordinals. */
export const ledgerCases: ConformanceCase[] = [
  {
    title: 'a reservation gets ordinal 1; others are busy until its lease ends, then may reserve',
    async run({ store, expect }) {
      const first = await reserveOrFail(store, SUBJECT, slotInput(T0));
      expect([first.ordinal, first.reconcile]).toEqual([1, false]);
      expect(await store.reserveSessionSlot(SUBJECT, slotInput(T0 + 1))).toEqual({
        outcome: 'busy',
        until: T0 + LEASE_MS,
      });
      expect((await store.reserveSessionSlot(SUBJECT, slotInput(T0 + LEASE_MS - 1))).outcome).toBe('busy');
      const second = await reserveOrFail(store, SUBJECT, slotInput(T0 + LEASE_MS));
      expect(second.ordinal).toBe(1);
      expect(second.reservationId === first.reservationId).toBe(false);
    },
  },
  {
    title: 'commitSessionSlot counts the session and inserts its record in one step',
    async run({ store, expect }) {
      const { reservationId, ordinal } = await reserveOrFail(store, SUBJECT, slotInput(T0));
      expect(ordinal).toBe(1);
      const record = sessionRecord({ sessionId: 'vs_committed', owner: 'user_c', createdAt: T0 - 10 });
      expect(await store.commitSessionSlot(SUBJECT, reservationId, record)).toBe(true);
      expect(await store.getSession('vs_committed')).toEqual({ ...record, version: 1 });
      expect(await store.listSessions('user_c')).toEqual([{ ...record, version: 1 }]);
      expect(await store.attemptUsage(SUBJECT, { now: T0, windowMs: WINDOW_MS })).toEqual({
        sessions: [T0 - 10],
        submissions: [],
      });
      expect((await reserveOrFail(store, SUBJECT, slotInput(T0 + 1))).ordinal).toBe(2);
    },
  },
  {
    title: 'releaseSessionSlot frees the slot at once without using an ordinal; unknown ids are ignored',
    async run({ store, expect }) {
      const first = await reserveOrFail(store, SUBJECT, slotInput(T0));
      await store.releaseSessionSlot(SUBJECT, 'res_unknown');
      await store.releaseSessionSlot('subj_never_seen', first.reservationId);
      expect((await store.reserveSessionSlot(SUBJECT, slotInput(T0 + 1))).outcome).toBe('busy');
      await store.releaseSessionSlot(SUBJECT, first.reservationId);
      const second = await reserveOrFail(store, SUBJECT, slotInput(T0 + 2));
      expect(second.ordinal).toBe(1);
      await store.commitSessionSlot(SUBJECT, second.reservationId, sessionRecord({ sessionId: 'vs_r1' }));
      expect((await reserveOrFail(store, SUBJECT, slotInput(T0 + 3))).ordinal).toBe(2);
    },
  },
  {
    title:
      'after its lease, a commit still counts and inserts but returns false; a newer reservation survives',
    async run({ store, expect }) {
      const stale = await reserveOrFail(store, SUBJECT, slotInput(T0));
      const fresh = await reserveOrFail(store, SUBJECT, slotInput(T0 + LEASE_MS));
      await store.releaseSessionSlot(SUBJECT, stale.reservationId);
      expect((await store.reserveSessionSlot(SUBJECT, slotInput(T0 + LEASE_MS + 1))).outcome).toBe('busy');
      const late = sessionRecord({ sessionId: 'vs_late', createdAt: T0 + 5 });
      expect(await store.commitSessionSlot(SUBJECT, stale.reservationId, late)).toBe(false);
      expect(await store.getSession('vs_late')).toEqual({ ...late, version: 1 });
      expect(await store.reserveSessionSlot(SUBJECT, slotInput(T0 + LEASE_MS + 2))).toEqual({
        outcome: 'busy',
        until: T0 + 2 * LEASE_MS,
      });
      const next = sessionRecord({ sessionId: 'vs_next', createdAt: T0 + LEASE_MS });
      expect(await store.commitSessionSlot(SUBJECT, fresh.reservationId, next)).toBe(true);
      const usage = await store.attemptUsage(SUBJECT, { now: T0 + LEASE_MS + 3, windowMs: WINDOW_MS });
      expect(usage.sessions).toEqual([T0 + 5, T0 + LEASE_MS]);
      expect((await reserveOrFail(store, SUBJECT, slotInput(T0 + LEASE_MS + 3))).ordinal).toBe(3);
    },
  },
  {
    title: 'a session is counted once by its id, even when a webhook recorded it before the commit',
    async run({ store, expect }) {
      const known = sessionRecord({ sessionId: 'vs_known', createdAt: T0 });
      await store.insertSession(known);
      const first = await reserveOrFail(store, SUBJECT, slotInput(T0));
      expect(await store.commitSessionSlot(SUBJECT, first.reservationId, known)).toBe(true);
      expect((await store.getSession('vs_known'))?.version).toBe(1);
      const second = await reserveOrFail(store, SUBJECT, slotInput(T0 + 1));
      expect(second.ordinal).toBe(2);
      const fresh = sessionRecord({ sessionId: 'vs_new2', createdAt: T0 + 1 });
      await store.commitSessionSlot(SUBJECT, second.reservationId, fresh);
      const third = await reserveOrFail(store, SUBJECT, slotInput(T0 + 2));
      expect(third.ordinal).toBe(3);
      expect(await store.commitSessionSlot(SUBJECT, third.reservationId, fresh)).toBe(true);
      expect((await store.attemptUsage(SUBJECT, { now: T0 + 3, windowMs: WINDOW_MS })).sessions).toEqual([
        T0,
        T0 + 1,
      ]);
      expect((await reserveOrFail(store, SUBJECT, slotInput(T0 + 3))).ordinal).toBe(3);
    },
  },
  {
    title: 'the limit counts committed sessions in the window; retryAt is when enough of them leave it',
    async run({ store, expect }) {
      await commitAt(store, 'vs_l1', T0);
      await commitAt(store, 'vs_l2', T0 + 1000);
      await commitAt(store, 'vs_l3', T0 + 2000);
      expect(await store.reserveSessionSlot(SUBJECT, slotInput(T0 + 5000, 3))).toEqual({
        outcome: 'limit',
        retryAt: T0 + WINDOW_MS,
      });
      expect(await store.reserveSessionSlot(SUBJECT, slotInput(T0 + 5000, 2))).toEqual({
        outcome: 'limit',
        retryAt: T0 + 1000 + WINDOW_MS,
      });
      expect((await store.reserveSessionSlot(SUBJECT, slotInput(T0 + WINDOW_MS - 1, 3))).outcome).toBe(
        'limit',
      );
      const after = await reserveOrFail(store, SUBJECT, slotInput(T0 + WINDOW_MS, 3));
      expect(after.ordinal).toBe(4);
      expect((await store.reserveSessionSlot(SUBJECT, slotInput(T0 + WINDOW_MS + 1, 3))).outcome).toBe(
        'busy',
      );
    },
  },
  {
    title: 'attemptUsage lists the times strictly inside the window, oldest first',
    async run({ store, expect }) {
      await commitAt(store, 'vs_u1', T0);
      await commitAt(store, 'vs_u2', T0 + 10);
      expect(await store.recordSubmission(SUBJECT, { reportId: 'vr_late', at: T0 + 20 })).toBe(true);
      expect(await store.recordSubmission(SUBJECT, { reportId: 'vr_early', at: T0 + 5 })).toBe(true);
      expect(await store.attemptUsage(SUBJECT, { now: T0 + 30, windowMs: WINDOW_MS })).toEqual({
        sessions: [T0, T0 + 10],
        submissions: [T0 + 5, T0 + 20],
      });
      expect(await store.attemptUsage(SUBJECT, { now: T0 + WINDOW_MS + 5, windowMs: WINDOW_MS })).toEqual({
        sessions: [T0 + 10],
        submissions: [T0 + 20],
      });
      expect(await store.attemptUsage('subj_unknown', { now: T0, windowMs: WINDOW_MS })).toEqual({
        sessions: [],
        submissions: [],
      });
    },
  },
  {
    title: 'subjects are independent',
    async run({ store, expect }) {
      await commitAt(store, 'vs_s1', T0);
      await reserveOrFail(store, SUBJECT, slotInput(T0 + 1));
      const other = await reserveOrFail(store, 'subj_other', slotInput(T0 + 2));
      expect(other.ordinal).toBe(1);
      expect(await store.attemptUsage('subj_other', { now: T0 + 3, windowMs: WINDOW_MS })).toEqual({
        sessions: [],
        submissions: [],
      });
    },
  },
  {
    title:
      'an indeterminate release keeps the ordinal (the same idempotency key) and asks for reconciliation until a commit',
    async run({ store, expect }) {
      const first = await reserveOrFail(store, SUBJECT, slotInput(T0));
      await store.releaseSessionSlot(SUBJECT, first.reservationId, { indeterminate: true });
      const second = await reserveOrFail(store, SUBJECT, slotInput(T0 + 1));
      expect([second.ordinal, second.reconcile]).toEqual([1, true]);
      await store.releaseSessionSlot(SUBJECT, second.reservationId);
      const third = await reserveOrFail(store, SUBJECT, slotInput(T0 + 2));
      expect([third.ordinal, third.reconcile]).toEqual([1, true]);
      await store.releaseSessionSlot(SUBJECT, 'res_unknown', { indeterminate: true });
      await store.commitSessionSlot(SUBJECT, third.reservationId, sessionRecord({ sessionId: 'vs_found' }));
      const fourth = await reserveOrFail(store, SUBJECT, slotInput(T0 + 3));
      expect([fourth.ordinal, fourth.reconcile]).toEqual([2, false]);
      expect((await store.attemptUsage(SUBJECT, { now: T0 + 4, windowMs: WINDOW_MS })).sessions).toEqual([
        T0,
      ]);
    },
  },
  {
    title:
      'a release that retires the key uses up the ordinal and clears reconciliation; stale ids change nothing',
    async run({ store, expect }) {
      const first = await reserveOrFail(store, SUBJECT, slotInput(T0));
      await store.releaseSessionSlot(SUBJECT, first.reservationId, { indeterminate: true });
      const second = await reserveOrFail(store, SUBJECT, slotInput(T0 + 1));
      await store.releaseSessionSlot(SUBJECT, second.reservationId, { retireKey: true });
      await store.releaseSessionSlot(SUBJECT, second.reservationId, { retireKey: true });
      const third = await reserveOrFail(store, SUBJECT, slotInput(T0 + 2));
      expect([third.ordinal, third.reconcile]).toEqual([2, false]);
      await store.releaseSessionSlot(SUBJECT, first.reservationId, { retireKey: true });
      await store.releaseSessionSlot(SUBJECT, third.reservationId);
      const fourth = await reserveOrFail(store, SUBJECT, slotInput(T0 + 3));
      expect([fourth.ordinal, fourth.reconcile]).toEqual([2, false]);
    },
  },
  {
    title:
      'a commit with a reservation that is not pending counts a discovered session and leaves the pending one',
    async run({ store, expect }) {
      const pending = await reserveOrFail(store, SUBJECT, slotInput(T0));
      const found = sessionRecord({ sessionId: 'vs_discovered', createdAt: T0 + 5 });
      expect(await store.commitSessionSlot(SUBJECT, 'res_discovered', found)).toBe(false);
      expect(await store.getSession('vs_discovered')).toEqual({ ...found, version: 1 });
      expect((await store.reserveSessionSlot(SUBJECT, slotInput(T0 + 6))).outcome).toBe('busy');
      expect(await store.commitSessionSlot(SUBJECT, pending.reservationId, found)).toBe(true);
      const next = await reserveOrFail(store, SUBJECT, slotInput(T0 + 7));
      expect(next.ordinal).toBe(2);
      expect((await store.attemptUsage(SUBJECT, { now: T0 + 8, windowMs: WINDOW_MS })).sessions).toEqual([
        T0 + 5,
      ]);
    },
  },
];
