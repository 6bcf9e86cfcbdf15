import type { IdentityStore } from '../../stores/contract.js';
import {
  concurrently,
  seededRandom,
  sessionRecord,
  shuffled,
  slotInput,
  T0,
  tick,
  WINDOW_MS,
} from './fixtures.js';
import type { ConformanceCase } from './types.js';

const CALLERS = 200;
/** A broken store must fail the case, not spin forever. */
const MAX_ROUNDS = 20_000;

/** One caller of case (a): reserve until it gets a slot or the limit, commit what it reserved. */
async function createUntilLimit(
  store: IdentityStore,
  caller: number,
  ordinals: number[],
): Promise<boolean[]> {
  const commits: boolean[] = [];
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const outcome = await store.reserveSessionSlot('subj_race', slotInput(T0, 5));
    if (outcome.outcome === 'limit') return commits;
    if (outcome.outcome === 'busy') {
      await tick();
      continue;
    }
    ordinals.push(outcome.ordinal);
    const record = sessionRecord({ sessionId: `vs_race_${caller}_${round}`, owner: 'user_race' });
    commits.push(await store.commitSessionSlot('subj_race', outcome.reservationId, record));
  }
  throw new Error(`caller ${caller} neither reserved nor hit the limit in ${MAX_ROUNDS} rounds`);
}

/** One caller of case (c): raise `observedAt` to `target` unless it is already at least that high. */
async function raiseObservedAt(store: IdentityStore, target: number): Promise<boolean> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const current = await store.getSession('vs_cas_race');
    if (!current) throw new Error('the record vanished');
    if (current.observedAt >= target) return false;
    if (await store.updateSession({ ...current, observedAt: target, updatedAt: T0 + target })) return true;
  }
  throw new Error(`a writer of ${target} lost ${MAX_ROUNDS} rounds in a row`);
}

/** Atomicity under 200 concurrent callers. */
export const concurrencyCases: ConformanceCase[] = [
  {
    title: '200 concurrent reserve+commit cycles on one subject never exceed the limit of 5',
    async run({ store, expect }) {
      const ordinals: number[] = [];
      const commits = (
        await concurrently(CALLERS, (caller) => createUntilLimit(store, caller, ordinals))
      ).flat();
      // Two reservations handed out at once would share an ordinal: distinct 1..5 means one at a time.
      expect([...ordinals].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
      expect(commits).toEqual([true, true, true, true, true]);
      const usage = await store.attemptUsage('subj_race', { now: T0, windowMs: WINDOW_MS });
      expect(usage.sessions.length).toBe(5);
      expect((await store.listSessions('user_race')).length).toBe(5);
      expect(await store.reserveSessionSlot('subj_race', slotInput(T0, 5))).toEqual({
        outcome: 'limit',
        retryAt: T0 + WINDOW_MS,
      });
    },
  },
  {
    title: '200 concurrent claims of one event: exactly one is claimed',
    async run({ store, expect }) {
      const claims = await concurrently(CALLERS, () =>
        store.claimEvent('evt_race', { now: T0, leaseMs: 30_000 }),
      );
      expect(claims.filter((claim) => claim === 'claimed').length).toBe(1);
      expect(claims.filter((claim) => claim === 'in_flight').length).toBe(CALLERS - 1);
    },
  },
  {
    title: '200 concurrent compare-and-set writers end with the highest value and one version per write',
    async run({ store, expect }) {
      await store.insertSession(sessionRecord({ sessionId: 'vs_cas_race', observedAt: 0 }));
      const targets = shuffled(
        Array.from({ length: CALLERS - 1 }, (_, index) => index + 1),
        seededRandom(20_260_101),
      );
      // The highest writer starts first: a store that loses updates ends lower than the maximum.
      targets.unshift(CALLERS);
      const wrote = await concurrently(CALLERS, (index) => raiseObservedAt(store, targets[index] ?? 0));
      const writes = wrote.filter(Boolean).length;
      const final = await store.getSession('vs_cas_race');
      expect(final?.observedAt).toBe(CALLERS);
      expect(final?.version).toBe(writes + 1);
    },
  },
  {
    title: '200 concurrent recordSubmission calls over 20 report ids count exactly 20',
    async run({ store, expect }) {
      const counted = await concurrently(CALLERS, (index) =>
        store.recordSubmission('subj_sub_race', { reportId: `vr_${index % 20}`, at: T0 + (index % 20) }),
      );
      expect(counted.filter(Boolean).length).toBe(20);
      const usage = await store.attemptUsage('subj_sub_race', { now: T0 + 100, windowMs: WINDOW_MS });
      expect(usage.submissions.length).toBe(20);
    },
  },
  {
    title: '200 concurrent inserts of one session id: exactly one succeeds',
    async run({ store, expect }) {
      const inserted = await concurrently(CALLERS, (index) =>
        store.insertSession(sessionRecord({ sessionId: 'vs_insert_race', observedAt: index })),
      );
      expect(inserted.filter((record) => record !== null).length).toBe(1);
      expect((await store.getSession('vs_insert_race'))?.version).toBe(1);
    },
  },
];
