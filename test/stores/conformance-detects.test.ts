import { describe, expect, test } from 'vitest';
import type { NewSessionRecord, SessionRecord } from '../../src/domain.js';
import { MemoryStore } from '../../src/index.js';
import type {
  EventClaim,
  IdentityStore,
  ReserveSlotInput,
  SlotReservation,
} from '../../src/stores/contract.js';
import { runStoreConformance } from '../../src/testing/index.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Runs the whole suite against `createStore` and returns the titles of the cases that failed. */
async function failingCases(createStore: () => IdentityStore): Promise<string[]> {
  const cases: Array<{ name: string; body: () => Promise<void> }> = [];
  runStoreConformance({
    name: 'broken',
    createStore,
    test: (name, body) => cases.push({ name, body }),
    expect,
  });
  const failed: string[] = [];
  for (const { name, body } of cases) {
    await body().catch(() => failed.push(name.replace('broken: ', '')));
  }
  return failed;
}

class ClaimWithoutAtomicity extends MemoryStore {
  readonly #claimed = new Set<string>();
  override async claimEvent(eventId: string): Promise<EventClaim> {
    const seen = this.#claimed.has(eventId);
    await tick();
    if (seen) return 'in_flight';
    this.#claimed.add(eventId);
    return 'claimed';
  }
}

class UpdateWithoutVersionCheck extends MemoryStore {
  /** Last writer wins: retries with whatever version is stored until its write lands. */
  override async updateSession(record: SessionRecord): Promise<SessionRecord | null> {
    for (;;) {
      const current = await this.getSession(record.sessionId);
      if (!current) return null;
      const written = await super.updateSession({ ...record, version: current.version });
      if (written) return written;
    }
  }
}

class ReserveIgnoringPending extends MemoryStore {
  override async reserveSessionSlot(subject: string, input: ReserveSlotInput): Promise<SlotReservation> {
    const outcome = await super.reserveSessionSlot(subject, input);
    return outcome.outcome === 'busy'
      ? { outcome: 'reserved', reservationId: 'res_dup', ordinal: 1 }
      : outcome;
  }
}

class SubmissionCheckThenSet extends MemoryStore {
  readonly #seen = new Set<string>();
  override async recordSubmission(
    subject: string,
    submission: { reportId: string; at: number },
  ): Promise<boolean> {
    const known = this.#seen.has(submission.reportId);
    await tick();
    if (known) return false;
    this.#seen.add(submission.reportId);
    await super.recordSubmission(subject, submission);
    return true;
  }
}

/** Counts a session only when this call inserted its record (a webhook that recorded it first wins). */
class CommitCountingByInsert extends MemoryStore {
  override async commitSessionSlot(subject: string, reservationId: string, record: NewSessionRecord) {
    if (await this.getSession(record.sessionId)) {
      await this.releaseSessionSlot(subject, reservationId);
      return true;
    }
    return super.commitSessionSlot(subject, reservationId, record);
  }
}

describe('runStoreConformance catches broken stores', () => {
  test('MemoryStore passes every case', async () => {
    expect(await failingCases(() => new MemoryStore())).toEqual([]);
  });

  test('a claim that reads, yields, then writes fails the 200-claimers case', async () => {
    expect(await failingCases(() => new ClaimWithoutAtomicity())).toContain(
      '200 concurrent claims of one event: exactly one is claimed',
    );
  });

  test('an update without compare-and-set fails the CAS cases', async () => {
    const failed = await failingCases(() => new UpdateWithoutVersionCheck());
    expect(failed).toContain('updateSession is a compare-and-set on version, and increments it');
    expect(failed).toContain(
      '200 concurrent compare-and-set writers end with the highest value and one version per write',
    );
  });

  test('a reservation that ignores the pending one fails the lease and limit cases', async () => {
    const failed = await failingCases(() => new ReserveIgnoringPending());
    expect(failed).toContain(
      'a reservation gets ordinal 1; others are busy until its lease ends, then may reserve',
    );
    expect(failed).toContain(
      '200 concurrent reserve+commit cycles on one subject never exceed the limit of 5',
    );
  });

  test('a check-then-set submission counter fails the 20-report-ids case', async () => {
    expect(await failingCases(() => new SubmissionCheckThenSet())).toContain(
      '200 concurrent recordSubmission calls over 20 report ids count exactly 20',
    );
  });

  test('a commit that skips counting when a webhook recorded the session first fails the counted-once case', async () => {
    expect(await failingCases(() => new CommitCountingByInsert())).toContain(
      'a session is counted once by its id, even when a webhook recorded it before the commit',
    );
  });
});
