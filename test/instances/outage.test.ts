import { describe, expect, test } from 'vitest';
import { StoreUnavailableError } from '../../src/errors.js';
import type { VerificationService } from '../../src/service.js';
import { BACKENDS, openBackend } from './support/backends.js';
import { deliverLikeStripe, eventsOf, type RetryPolicy, signed } from './support/deliveries.js';
import { type Fleet, startFleet } from './support/fleet.js';
import { sharedHooks } from './support/hooks.js';
import { runBefore } from './support/pause.js';

/** Short, so that each failing store call gives up quickly (SQLite's lock wait blocks the thread). */
const TIMEOUT_MS = 150;
/** The service's default slot lease and event claim lease. */
const SLOT_LEASE_MS = 30_000;
const CLAIM_LEASE_MS = 60_000;

/**
 * Stripe retries a failed delivery minutes later, longer than a claim lease: a claim the failed attempt
 * could not release (the store was down) has expired by the retry. The clock is the simulator's.
 */
function stripeSchedule(fleet: Fleet): RetryPolicy {
  return {
    async beforeRetry() {
      fleet.sim.advance(CLAIM_LEASE_MS + 1_000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
    maxAttempts: 20,
  };
}

async function startedSession(instance: VerificationService, userId: string): Promise<string> {
  const result = await instance.start({ id: userId });
  if (result.status !== 'redirect') throw new Error(`expected a link, got ${result.status}`);
  return result.sessionId;
}

describe.each(BACKENDS)('the %s store goes down and comes back', (name) => {
  test('down: start fails closed before Stripe and deliveries answer 503; back: both recover, nothing acknowledged is lost', async () => {
    const backend = await openBackend(name, { timeoutMs: TIMEOUT_MS });
    const hooks = sharedHooks();
    const fleet = await startFleet(backend, { service: { on: hooks.on } });
    const acknowledged: string[] = [];
    const sessionId = await startedSession(fleet.pick(0), 'user_1');
    for (const event of eventsOf(fleet.sim, sessionId)) {
      await deliverLikeStripe(fleet.pick(1), fleet.sim, event, stripeSchedule(fleet));
      acknowledged.push(event.id);
    }
    fleet.sim.advance(5_000);
    await fleet.sim.submit(sessionId, 'verified');
    const pending = eventsOf(fleet.sim, sessionId).slice(acknowledged.length);
    expect(pending.map((event) => event.type)).toEqual([
      'identity.verification_session.processing',
      'identity.verification_session.verified',
    ]);

    await backend.outage.begin();
    const requestsBefore = fleet.sim.requests.length;
    const refusals = await Promise.all(
      fleet.instances.map(async (instance) => ({
        start: await instance.start({ id: 'user_2' }).catch((error: unknown) => error),
        deliveries: await Promise.all(
          pending.map((event) => instance.webhooks.handle(signed(fleet.sim, event))),
        ),
      })),
    );
    for (const refusal of refusals) {
      expect(refusal.start).toBeInstanceOf(StoreUnavailableError);
      expect(refusal.start).toMatchObject({ code: 'store_unavailable', retryable: true });
      for (const answer of refusal.deliveries) {
        expect(answer).toMatchObject({ status: 503, body: { error: 'store_unavailable' } });
      }
    }
    expect(fleet.sim.requests.length).toBe(requestsBefore);
    expect(fleet.createRequests()).toBe(1);

    await backend.outage.end();
    for (const [index, event] of pending.entries()) {
      const answers = await deliverLikeStripe(fleet.pick(index), fleet.sim, event, stripeSchedule(fleet));
      expect(answers.at(-1)?.body).toMatchObject({ received: true, applied: 'newer' });
      acknowledged.push(event.id);
    }
    const retried = await Promise.all(fleet.instances.map((instance) => instance.start({ id: 'user_2' })));
    const [newSession] = fleet.sim.sessions().filter((session) => session.client_reference_id === 'user_2');
    expect(retried.map((result) => result.status)).toEqual(['redirect', 'redirect', 'redirect', 'redirect']);
    expect(new Set(retried.map((result) => (result as { sessionId: string }).sessionId))).toEqual(
      new Set([newSession?.id]),
    );
    expect(fleet.createRequests()).toBe(2);
    // Every event answered 2xx ran its hook once and shows in the store, seen from every instance.
    expect(hooks.calls.map((call) => call.eventId)).toEqual(acknowledged);
    for (const instance of fleet.instances) {
      expect(await instance.status('user_1')).toMatchObject({
        state: 'verified',
        sessionId,
        submissions: { used: 1 },
      });
    }
  });

  test("down between Stripe's create and the commit: start fails, and the user still ends with one session, counted once", async () => {
    const backend = await openBackend(name, { timeoutMs: TIMEOUT_MS });
    const fleet = await startFleet(backend, {
      wrapStore: (store, index) =>
        index === 0 ? runBefore(store, 'commitSessionSlot', () => backend.outage.begin()) : store,
    });
    const failure = await fleet
      .pick(0)
      .start({ id: 'user_1' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    const [created] = fleet.sim.sessions();
    expect(fleet.sim.sessions()).toHaveLength(1);
    await backend.outage.end();
    // The failed attempt could not give its slot back; the user returns once its lease is over.
    fleet.sim.advance(SLOT_LEASE_MS + 1_000);
    expect(await startedSession(fleet.pick(1), 'user_1')).toBe(created?.id);
    expect(await startedSession(fleet.pick(2), 'user_1')).toBe(created?.id);
    expect(fleet.sim.sessions()).toHaveLength(1);
    expect((await fleet.pick(3).status('user_1')).sessions.used).toBe(1);
  });

  test('down after the effects but before the event is marked done: 503, and the redelivery is applied', async () => {
    const backend = await openBackend(name, { timeoutMs: TIMEOUT_MS });
    const hooks = sharedHooks();
    const fleet = await startFleet(backend, {
      service: { on: hooks.on },
      wrapStore: (store, index) =>
        index === 0 ? runBefore(store, 'completeEvent', () => backend.outage.begin()) : store,
    });
    const sessionId = await startedSession(fleet.pick(1), 'user_1');
    fleet.sim.advance(5_000);
    await fleet.sim.submit(sessionId, 'verified');
    const events = eventsOf(fleet.sim, sessionId);
    const [created, ...later] = events;
    if (!created) throw new Error('no created event');
    expect(await fleet.pick(0).webhooks.handle(signed(fleet.sim, created))).toMatchObject({ status: 503 });
    await backend.outage.end();
    for (const [index, event] of events.entries()) {
      const answers = await deliverLikeStripe(fleet.pick(index + 1), fleet.sim, event, stripeSchedule(fleet));
      expect(answers.at(-1)?.status).toBe(200);
    }
    // A hook whose completion could not be recorded runs again (at least once); the others exactly once.
    const ran = hooks.calls.map((call) => call.eventId);
    expect(ran.filter((id) => id === created.id).length).toBeGreaterThanOrEqual(1);
    expect(ran.filter((id) => id !== created.id)).toEqual(later.map((event) => event.id));
    expect(await fleet.pick(3).status('user_1')).toMatchObject({
      state: 'verified',
      submissions: { used: 1 },
    });
  });
});
