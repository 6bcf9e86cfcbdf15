import { T0, WINDOW_MS } from './fixtures.js';
import type { ConformanceCase } from './types.js';

const LEASE = 30_000;
const RETAIN = 3 * 24 * 60 * 60 * 1000;

/** Cases for billed submissions and webhook event claims. */
export const submissionAndEventCases: ConformanceCase[] = [
  {
    title: 'recordSubmission counts each report id once per subject',
    async run({ store, expect }) {
      expect(await store.recordSubmission('subj_sub', { reportId: 'vr_1', at: T0 })).toBe(true);
      expect(await store.recordSubmission('subj_sub', { reportId: 'vr_1', at: T0 })).toBe(false);
      expect(await store.recordSubmission('subj_sub', { reportId: 'vr_1', at: T0 + 50 })).toBe(false);
      expect(await store.recordSubmission('subj_sub', { reportId: 'vr_2', at: T0 + 10 })).toBe(true);
      expect(await store.recordSubmission('subj_sub_other', { reportId: 'vr_1', at: T0 + 20 })).toBe(true);
      expect(await store.attemptUsage('subj_sub', { now: T0 + 100, windowMs: WINDOW_MS })).toEqual({
        sessions: [],
        submissions: [T0, T0 + 10],
      });
      expect(await store.attemptUsage('subj_sub', { now: T0 + WINDOW_MS, windowMs: WINDOW_MS })).toEqual({
        sessions: [],
        submissions: [T0 + 10],
      });
    },
  },
  {
    title: 'claimEvent: claimed, then in_flight until the lease ends, then claimable again',
    async run({ store, expect }) {
      expect(await store.claimEvent('evt_1', { now: T0, leaseMs: LEASE })).toBe('claimed');
      expect(await store.claimEvent('evt_1', { now: T0 + 1, leaseMs: LEASE })).toBe('in_flight');
      expect(await store.claimEvent('evt_1', { now: T0 + LEASE - 1, leaseMs: LEASE })).toBe('in_flight');
      expect(await store.claimEvent('evt_1', { now: T0 + LEASE, leaseMs: LEASE })).toBe('claimed');
      expect(await store.claimEvent('evt_1', { now: T0 + LEASE + 1, leaseMs: LEASE })).toBe('in_flight');
      expect(await store.claimEvent('evt_2', { now: T0 + 1, leaseMs: LEASE })).toBe('claimed');
    },
  },
  {
    title: 'completeEvent: done until retainMs passes, then the event may be claimed again',
    async run({ store, expect }) {
      expect(await store.claimEvent('evt_done', { now: T0, leaseMs: LEASE })).toBe('claimed');
      await store.completeEvent('evt_done', { now: T0 + 10, retainMs: RETAIN });
      expect(await store.claimEvent('evt_done', { now: T0 + 11, leaseMs: LEASE })).toBe('done');
      expect(await store.claimEvent('evt_done', { now: T0 + LEASE + 11, leaseMs: LEASE })).toBe('done');
      expect(await store.claimEvent('evt_done', { now: T0 + 10 + RETAIN - 1, leaseMs: LEASE })).toBe('done');
      expect(await store.claimEvent('evt_done', { now: T0 + 10 + RETAIN, leaseMs: LEASE })).toBe('claimed');
    },
  },
  {
    title: 'releaseEvent drops a live claim so a redelivery runs again, but never forgets a done event',
    async run({ store, expect }) {
      await store.releaseEvent('evt_unknown');
      expect(await store.claimEvent('evt_rel', { now: T0, leaseMs: LEASE })).toBe('claimed');
      await store.releaseEvent('evt_rel');
      expect(await store.claimEvent('evt_rel', { now: T0 + 1, leaseMs: LEASE })).toBe('claimed');
      await store.completeEvent('evt_rel', { now: T0 + 2, retainMs: RETAIN });
      await store.releaseEvent('evt_rel');
      expect(await store.claimEvent('evt_rel', { now: T0 + 3, leaseMs: LEASE })).toBe('done');
    },
  },
];
