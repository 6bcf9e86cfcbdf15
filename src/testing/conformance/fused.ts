import { sessionRecord, slotInput, T0, WINDOW_MS } from './fixtures.js';
import type { ConformanceCase } from './types.js';

const LEASE = 30_000;
const RETAIN = 3 * 24 * 60 * 60 * 1000;

/**
 * Cases for the optional fused operations (`claimEventWithSession`, `writeSession`, `settleEvents`): each
 * must answer exactly what the required methods it stands for would. A store without them passes.
 */
export const fusedCases: ConformanceCase[] = [
  {
    title: 'claimEventWithSession claims like claimEvent and reads like getSession',
    async run({ store, expect }) {
      if (!store.claimEventWithSession) return;
      const inserted = await store.insertSession(sessionRecord({ sessionId: 'vs_fused', owner: 'subj_f' }));
      const first = await store.claimEventWithSession('evt_f', { now: T0, leaseMs: LEASE }, 'vs_fused');
      expect(first).toEqual({ claim: 'claimed', session: inserted });
      const again = await store.claimEventWithSession('evt_f', { now: T0 + 1, leaseMs: LEASE }, 'vs_none');
      expect(again).toEqual({ claim: 'in_flight', session: null });
      await store.completeEvent('evt_f', { now: T0 + 2, retainMs: RETAIN });
      expect(
        (await store.claimEventWithSession('evt_f', { now: T0 + 3, leaseMs: LEASE }, 'vs_fused')).claim,
      ).toBe('done');
      expect(await store.claimEvent('evt_f', { now: T0 + LEASE + 10, leaseMs: LEASE })).toBe('done');
      const expired = await store.claimEventWithSession('evt_g', { now: T0, leaseMs: LEASE }, 'vs_none');
      expect(expired.claim).toBe('claimed');
      expect(
        (await store.claimEventWithSession('evt_g', { now: T0 + LEASE, leaseMs: LEASE }, 'vs_x')).claim,
      ).toBe('claimed');
    },
  },
  {
    title:
      'writeSession update: a compare-and-set whose submission, claim and completion happen only if it took effect',
    async run({ store, expect }) {
      if (!store.writeSession) return;
      const stored = await store.insertSession(sessionRecord({ sessionId: 'vs_w', owner: 'subj_w' }));
      if (!stored) throw new Error('insert failed');
      const next = { ...stored, status: 'verified' as const, reportId: 'vr_w', updatedAt: T0 + 5 };
      const extras = {
        submission: { subject: 'subj_w', reportId: 'vr_w', at: T0 + 5 },
        claim: { eventId: 'effect:vs_w', now: T0 + 5, leaseMs: LEASE },
      };
      const complete = { eventId: 'evt_w', now: T0 + 5, retainMs: RETAIN };
      const stale = await store.writeSession({
        kind: 'update',
        record: { ...next, version: 7 },
        ...extras,
        complete,
      });
      expect(await store.claimEvent('evt_w', { now: T0 + 6, leaseMs: LEASE })).toBe('claimed');
      await store.releaseEvent('evt_w');
      expect(stale).toEqual({ record: null, submissionCounted: false, claim: null, sessions: null });
      expect(await store.attemptUsage('subj_w', { now: T0 + 10, windowMs: WINDOW_MS })).toEqual({
        sessions: [],
        submissions: [],
      });
      const { completed, ...written } = await store.writeSession({
        kind: 'update',
        record: next,
        ...extras,
        complete,
      });
      expect(written).toEqual({
        record: { ...next, version: 2 },
        submissionCounted: true,
        claim: 'claimed',
        sessions: null,
      });
      expect(await store.getSession('vs_w')).toEqual({ ...next, version: 2 });
      // `completed` is optional (a store may leave the completion to its caller); when it says so, it holds.
      if (completed === true) {
        expect(await store.claimEvent('evt_w', { now: T0 + LEASE * 2, leaseMs: LEASE })).toBe('done');
      }
      const twice = await store.writeSession({ kind: 'update', record: { ...next, version: 2 }, ...extras });
      expect([twice.record?.version, twice.submissionCounted, twice.claim]).toEqual([3, false, 'in_flight']);
      expect(await store.recordSubmission('subj_w', { reportId: 'vr_w', at: T0 + 9 })).toBe(false);
      expect(await store.listSessions('subj_w')).toEqual([{ ...next, version: 3 }]);
    },
  },
  {
    title: 'writeSession insert: inserted once, counted once by id for countFor, listed with the others',
    async run({ store, expect }) {
      if (!store.writeSession) return;
      const older = await store.insertSession(
        sessionRecord({ sessionId: 'vs_old', owner: 'subj_i', createdAt: T0 - 10 }),
      );
      const record = sessionRecord({ sessionId: 'vs_new', owner: 'subj_i', createdAt: T0 });
      const { completed: _none, ...written } = await store.writeSession({
        kind: 'insert',
        record,
        countFor: 'subj_i',
        list: true,
      });
      expect(written).toEqual({
        record: { ...record, version: 1 },
        submissionCounted: false,
        claim: null,
        sessions: [{ ...record, version: 1 }, older],
      });
      const again = await store.writeSession({ kind: 'insert', record, countFor: 'subj_i', list: true });
      expect(again).toEqual({ record: null, submissionCounted: false, claim: null, sessions: null });
      // Counted once by its id, whoever counts it again, and the next reservation sees the ordinal used.
      expect(await store.commitSessionSlot('subj_i', 'discovered', record)).toBe(false);
      expect((await store.attemptUsage('subj_i', { now: T0 + 1, windowMs: WINDOW_MS })).sessions).toEqual([
        T0,
      ]);
      const slot = await store.reserveSessionSlot('subj_i', slotInput(T0 + 1));
      expect(slot.outcome === 'reserved' ? slot.ordinal : slot.outcome).toBe(2);
      const uncounted = sessionRecord({ sessionId: 'vs_tomb', owner: 'redacted:subj_i', createdAt: T0 });
      const tomb = await store.writeSession({ kind: 'insert', record: uncounted, countFor: null });
      expect(tomb.record).toEqual({ ...uncounted, version: 1 });
      expect((await store.attemptUsage('subj_i', { now: T0 + 1, windowMs: WINDOW_MS })).sessions).toEqual([
        T0,
      ]);
    },
  },
  {
    title: 'settleEvents completes and releases several events at once; a done event is never released',
    async run({ store, expect }) {
      if (!store.settleEvents) return;
      for (const id of ['evt_a', 'evt_b', 'evt_c']) {
        expect(await store.claimEvent(id, { now: T0, leaseMs: LEASE })).toBe('claimed');
      }
      await store.completeEvent('evt_d', { now: T0, retainMs: RETAIN });
      await store.settleEvents({
        complete: ['evt_a', 'evt_b'],
        release: ['evt_c', 'evt_d'],
        now: T0,
        retainMs: RETAIN,
      });
      expect(await store.claimEvent('evt_a', { now: T0 + 1, leaseMs: LEASE })).toBe('done');
      expect(await store.claimEvent('evt_b', { now: T0 + LEASE * 2, leaseMs: LEASE })).toBe('done');
      expect(await store.claimEvent('evt_c', { now: T0 + 1, leaseMs: LEASE })).toBe('claimed');
      expect(await store.claimEvent('evt_d', { now: T0 + 1, leaseMs: LEASE })).toBe('done');
      await store.settleEvents({ complete: [], release: [], now: T0, retainMs: RETAIN });
    },
  },
];
