import { describe, expect, test } from 'vitest';
import { NoSessionError } from '../../src/errors.js';
import type { VerificationService } from '../../src/service.js';
import type { StartResult } from '../../src/types.js';
import { BACKENDS, openBackend } from './support/backends.js';
import { seededRandom, startFleet, yieldTimes } from './support/fleet.js';

const CALLS = 200;
const USERS = 10;
const LIMITS = { maxSessions: 2, maxSubmissions: 3, windowDays: 30 };

describe.each(BACKENDS)('four app instances on one %s store', (name) => {
  test(`${CALLS} concurrent starts for one user, spread over the instances, create one session`, async () => {
    // The link cap is shared by the instances (it has tests of its own): here every resume may take a
    // link, so that the outcome depends on creation alone, never on how many resumes fit in the cap.
    const fleet = await startFleet(await openBackend(name), {
      service: { limits: { linkRefreshesPerMinute: CALLS } },
    });
    const random = seededRandom(11);
    // Most calls arrive together; some a little later, after earlier ones already committed or resumed.
    const delays = Array.from({ length: CALLS }, () => (random() < 0.7 ? 0 : Math.floor(random() * 40)));
    const results = await Promise.all(
      delays.map(async (delay, index) => {
        await yieldTimes(delay);
        return fleet.pick(index).start({ id: 'user_crowd' });
      }),
    );
    const sessions = fleet.sim.sessions();
    expect(sessions).toHaveLength(1);
    expect(fleet.createRequests()).toBe(1);
    const sessionId = sessions[0]?.id;
    const statuses = new Set(results.map((result) => result.status));
    expect([...statuses]).toEqual(['redirect']);
    expect(new Set(results.map((result) => (result as { sessionId: string }).sessionId))).toEqual(
      new Set([sessionId]),
    );
    for (const instance of fleet.instances) {
      expect(await instance.status('user_crowd')).toMatchObject({
        state: 'requires_input',
        sessionId,
        sessions: { used: 1 },
      });
    }
  });

  test(`${USERS} users looping start → cancel on every instance never pass maxSessions`, async () => {
    // As above, the link cap stays out of the way (cancel takes a link too): on a slower store (D1) more
    // resumes and cancels interleave, and the outcome must depend on maxSessions alone.
    const fleet = await startFleet(await openBackend(name), {
      service: { limits: { ...LIMITS, linkRefreshesPerMinute: CALLS } },
    });
    const users = Array.from({ length: USERS }, (_, index) => `user_${index}`);
    const loops = users.flatMap((userId) => fleet.instances.map((instance) => hammer(instance, userId)));
    const finals = await Promise.all(loops);
    expect(finals.every((result) => result.status === 'limit_reached')).toBe(true);
    for (const userId of users) {
      const created = fleet.sim.sessions().filter((session) => session.client_reference_id === userId);
      expect(created.length).toBeLessThanOrEqual(LIMITS.maxSessions);
      // The loops only stop at the limit, so each user did get to it.
      expect(created.length).toBe(LIMITS.maxSessions);
      expect((await fleet.pick(0).status(userId)).sessions.used).toBe(LIMITS.maxSessions);
    }
    expect(fleet.createRequests()).toBe(USERS * LIMITS.maxSessions);
  });
});

/**
 * One browser tab of an impatient user: start, cancel, start again, until the service says no.
 * A cancel that finds nothing left to cancel (another tab was faster) is the expected answer.
 */
async function hammer(instance: VerificationService, userId: string): Promise<StartResult> {
  for (let round = 0; round < 50; round += 1) {
    const result = await instance.start({ id: userId });
    if (result.status !== 'redirect') return result;
    await instance.cancel(userId).catch((error: unknown) => {
      if (!(error instanceof NoSessionError)) throw error;
    });
  }
  throw new Error(`${userId} never reached a limit`);
}
