import { describe, expect, test } from 'vitest';
import { MODES, startHarness } from './harness.js';

const CREATE = { method: 'POST', path: '/v1/identity/verification_sessions' };

describe.each(MODES)('object ids (%s)', (mode) => {
  test('extra requests (list calls, a client retry after a reset) do not shift later ids', async () => {
    const run = async (extraRequests: boolean) => {
      const h = await startHarness(mode, { seed: 7 });
      try {
        const vs = h.stripe.identity.verificationSessions;
        if (extraRequests) {
          await vs.list();
          h.sim.failNext({ kind: 'reset', match: CREATE });
        }
        const first = await vs.create({ type: 'document' });
        if (extraRequests) await vs.list({ limit: 3 });
        const second = await vs.create({ type: 'id_number' });
        return {
          sessions: [first.id, second.id],
          events: h.sim.events.map((e) => e.id),
          requests: h.sim.requests.length,
        };
      } finally {
        await h.sim.close();
      }
    };
    const plain = await run(false);
    const busy = await run(true);
    expect(busy.requests).toBe(plain.requests + 3);
    expect(busy.sessions).toEqual(plain.sessions);
    expect(busy.events).toEqual(plain.events);
  });
});
