import { describe, expect, test } from 'vitest';
import type { WebhookAnswer } from '../../src/webhooks/types.js';
import { BACKENDS, openBackend } from './support/backends.js';
import {
  deliverLikeStripe,
  eventsOf,
  RETRY_SOON,
  type SimulatedEvent,
  signed,
} from './support/deliveries.js';
import { type Fleet, startFleet } from './support/fleet.js';
import { sharedHooks } from './support/hooks.js';
import { pausePoint } from './support/pause.js';

/** Each user's submissions, in order; an empty list: the user opened the flow and left. */
const JOURNEYS: Record<string, string[]> = {
  user_a: ['verified'],
  user_b: ['verified'],
  user_c: ['document_unverified_other', 'verified'],
  user_d: ['selfie_face_mismatch'],
  user_e: ['consent_declined'],
  user_f: [],
};

/** The same signed delivery reaches every instance at once; each instance's answers, Stripe retrying. */
function deliverToAll(fleet: Fleet, event: SimulatedEvent): Promise<WebhookAnswer[][]> {
  return Promise.all(
    fleet.instances.map((instance) => deliverLikeStripe(instance, fleet.sim, event, RETRY_SOON)),
  );
}

describe.each(BACKENDS)('each event delivered to four instances on one %s store', (name) => {
  test('while one instance holds the claim the others answer 409; their retries get 200, the hook ran once', async () => {
    const point = pausePoint();
    const hooks = sharedHooks((kind) => (kind === 'created' ? point.arrive() : Promise.resolve()));
    const fleet = await startFleet(await openBackend(name), { service: { on: hooks.on } });
    const started = await fleet.pick(0).start({ id: 'user_1' });
    if (started.status !== 'redirect') throw new Error(started.status);
    const [created] = eventsOf(fleet.sim, started.sessionId);
    if (!created) throw new Error('no created event');
    const [holder, ...others] = fleet.instances;
    if (!holder) throw new Error('empty fleet');
    const held = deliverLikeStripe(holder, fleet.sim, created, RETRY_SOON);
    await point.reached;
    const firstTries = await Promise.all(
      others.map((instance) => instance.webhooks.handle(signed(fleet.sim, created))),
    );
    expect(firstTries.map((answer) => answer.status)).toEqual([409, 409, 409]);
    expect(firstTries[0]?.body).toMatchObject({ error: 'in_progress' });
    point.release();
    expect((await held).map((answer) => answer.status)).toEqual([200]);
    const retries = await Promise.all(
      others.map((instance) => instance.webhooks.handle(signed(fleet.sim, created))),
    );
    expect(retries).toEqual(others.map(() => ({ status: 200, body: { received: true, duplicate: true } })));
    expect(hooks.calls).toEqual([{ kind: 'created', eventId: created.id, sessionId: started.sessionId }]);
  });

  test("every event of many journeys, to every instance at once: each hook once, the state is Stripe's", async () => {
    const hooks = sharedHooks();
    const fleet = await startFleet(await openBackend(name), {
      service: { on: hooks.on, onAlternative: hooks.onAlternative },
    });
    const sessionOf = new Map<string, string>();
    let index = 0;
    for (const [userId, outcomes] of Object.entries(JOURNEYS)) {
      const started = await fleet.pick(index++).start({ id: userId });
      if (started.status !== 'redirect') throw new Error(started.status);
      sessionOf.set(userId, started.sessionId);
      for (const outcome of outcomes) {
        // Submissions a few seconds apart, as people take: their events carry distinct times.
        fleet.sim.advance(5_000);
        await fleet.sim.submit(started.sessionId, outcome);
      }
    }
    const sessions = [...sessionOf.values()];
    // Sessions in parallel; within one session, Stripe's order; each event to all four instances at once.
    const answers = await Promise.all(
      sessions.map(async (sessionId) => {
        const perEvent: WebhookAnswer[][][] = [];
        for (const event of eventsOf(fleet.sim, sessionId)) perEvent.push(await deliverToAll(fleet, event));
        return perEvent;
      }),
    );
    const perEvent = answers.flat();
    const allAnswers = perEvent.flat(2);
    // Only "claim in flight elsewhere" is ever refused, and every delivery ends acknowledged.
    expect(allAnswers.every((answer) => answer.status === 200 || answer.status === 409)).toBe(true);
    for (const instanceAnswers of perEvent) {
      const finals = instanceAnswers.map((attempts) => attempts[attempts.length - 1]?.body);
      // One instance applied it; the three others were told it was a duplicate.
      expect(finals.filter((body) => body?.duplicate === true)).toHaveLength(3);
    }
    const expected = sessions.flatMap((sessionId) => eventsOf(fleet.sim, sessionId).map((event) => event.id));
    expect(expected).toHaveLength(18);
    expect(hooks.calls.map((call) => call.eventId).sort()).toEqual([...expected].sort());
    expect(hooks.alternatives).toEqual([sessionOf.get('user_e')]);
    for (const [userId, sessionId] of sessionOf) {
      const atStripe = fleet.sim.session(sessionId);
      const reports = JOURNEYS[userId]?.length ?? 0;
      for (const instance of fleet.instances) {
        expect(await instance.status(userId)).toMatchObject({
          state: atStripe?.status,
          sessionId,
          lastErrorCode: atStripe?.last_error?.code ?? null,
          submissions: { used: reports },
        });
      }
    }
  });
});
