import { describe, expect, test } from 'vitest';
import { createTestStripe } from '../../src/testing/index.js';
import { harness } from '../support/harness.js';
import { BACKENDS, openBackend } from './support/backends.js';
import { pauseBefore, pausePoint } from './support/pause.js';

/*
 * The interleavings the concurrent tests hit only by chance, forced in order: one instance stops at a
 * point, another acts, the first goes on. Regression tests for races found by starts.test.ts.
 */
/**
 * Two instances on one store: the slow one has retrieved the user's open session (still requires_input)
 * and is paused just before asking Stripe to cancel it.
 */
async function slowCancelRace(name: (typeof BACKENDS)[number]) {
  const backend = await openBackend(name);
  const h = await harness({ store: await backend.connect(), webhooks: false });
  const point = pausePoint();
  const stripe = createTestStripe(await h.sim.listen());
  stripe.identity.verificationSessions = pauseBefore(stripe.identity.verificationSessions, 'cancel', point);
  const slow = h.another({ store: await backend.connect(), stripe });
  const started = await h.service.start({ id: 'user_1' });
  if (started.status !== 'redirect') throw new Error(started.status);
  const slowCancel = slow.cancel('user_1');
  return { h, point, started, slowCancel };
}

describe.each(BACKENDS)('two app instances racing on one %s store', (name) => {
  test("a session committed between an instance's read and its reservation is reused, not doubled", async () => {
    const backend = await openBackend(name);
    const h = await harness({ store: await backend.connect(), webhooks: false });
    const point = pausePoint();
    const late = h.another({ store: pauseBefore(await backend.connect(), 'reserveSessionSlot', point) });
    const lateStart = late.start({ id: 'user_1' });
    // The late instance has read the user's sessions (none) and is about to reserve.
    await point.reached;
    const first = await h.service.start({ id: 'user_1' });
    if (first.status !== 'redirect') throw new Error(first.status);
    point.release();
    expect(await lateStart).toMatchObject({ status: 'redirect', sessionId: first.sessionId });
    expect(h.sim.sessions()).toHaveLength(1);
    expect((await late.status('user_1')).sessions.used).toBe(1);
  });

  test('two cancels at once: the one Stripe refuses answers with the canceled state', async () => {
    const { h, point, started, slowCancel } = await slowCancelRace(name);
    // The slow instance retrieved the session (still requires_input) and is about to cancel it.
    await point.reached;
    expect(await h.service.cancel('user_1')).toMatchObject({ state: 'canceled' });
    point.release();
    expect(await slowCancel).toMatchObject({ state: 'canceled', sessionId: started.sessionId });
  });

  test('a cancel overtaken by a submission answers with the processing state, and cancels nothing', async () => {
    const { h, point, started, slowCancel } = await slowCancelRace(name);
    await point.reached;
    await h.sim.beginSubmission(started.sessionId);
    point.release();
    expect(await slowCancel).toMatchObject({ state: 'processing', sessionId: started.sessionId });
    expect(h.sim.session(started.sessionId)?.status).toBe('processing');
  });
});
