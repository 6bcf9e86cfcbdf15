import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, test } from 'vitest';
import { VerificationService } from '../../src/service.js';
import { MemoryStore } from '../../src/stores/memory.js';
import { createTestStripe, IdentitySimulator } from '../../src/testing/index.js';

const SECRET = 'whsec_property_secret_0123456789';

type Script = Array<'verified' | 'document_expired' | 'selfie_face_mismatch' | 'cancel'>;

/**
 * Play one script per session at the simulator and collect the events. With `gapMs` 0 every submission
 * lands in the same second, which only Stripe's current state can order.
 */
async function history(scripts: Script[], gapMs: number) {
  const sim = new IdentitySimulator({ seed: 11, webhooks: { autoDeliver: false } });
  const target = await sim.listen();
  const stripe = createTestStripe(target);
  const finals: Array<{ userId: string; sessionId: string; reports: number }> = [];
  for (const [index, script] of scripts.entries()) {
    const userId = `user_${index}`;
    const session = await stripe.identity.verificationSessions.create({
      type: 'document',
      client_reference_id: userId,
      metadata: { user_id: userId },
    });
    let reports = 0;
    for (const step of script) {
      sim.advance(gapMs);
      if (step === 'cancel') {
        await stripe.identity.verificationSessions.cancel(session.id);
        break;
      }
      await sim.submit(session.id, step);
      reports += 1;
      if (step === 'verified') break;
    }
    finals.push({ userId, sessionId: session.id, reports });
  }
  const events = [...sim.events] as Stripe.Event[];
  const truth = new Map(
    finals.map((final) => [final.sessionId, { ...final, session: sim.session(final.sessionId) }]),
  );
  return { sim, events, truth, now: sim.now() };
}

const script = fc.array(
  fc.constantFrom<Script[number]>('verified', 'document_expired', 'selfie_face_mismatch', 'cancel'),
  {
    minLength: 0,
    maxLength: 4,
  },
);

describe('any delivery order', () => {
  test('random interleavings, duplicates and concurrency always end in the true final state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(script, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(0, 1_000, 60_000),
        async (scripts, shuffleSeed, duplicates, gapMs) => {
          const { sim, events, truth, now } = await history(scripts, gapMs);
          try {
            const calls = new Map<string, number>();
            const count = (event: { eventId: string }) => {
              calls.set(event.eventId, (calls.get(event.eventId) ?? 0) + 1);
            };
            const service = new VerificationService({
              stripe: createTestStripe(await sim.listen()),
              store: new MemoryStore(),
              returnUrl: 'https://app.example.com/r',
              webhookSecret: SECRET,
              now: () => now,
              limits: { maxSubmissions: 10, maxSessions: 10, windowDays: 30 },
              on: {
                created: count,
                processing: count,
                verified: count,
                requiresInput: count,
                canceled: count,
              },
            });
            const deliveries = [...events, ...events.slice(0, duplicates)];
            let state = shuffleSeed;
            const next = () => {
              state = (state * 48_271) % 2_147_483_647;
              return state;
            };
            const order = deliveries
              .map((event, index) => ({ event, key: next(), index }))
              .sort((a, b) => a.key - b.key || a.index - b.index);
            const answers = await Promise.all(
              order.map(({ event }) => {
                const body = JSON.stringify(event);
                return service.webhooks.handle({
                  rawBody: body,
                  signature: sim.signPayload(body, SECRET, Math.floor(now / 1000)),
                });
              }),
            );
            // A concurrent duplicate may be told to come back later (409); Stripe redelivers it.
            for (const [index, answer] of answers.entries()) {
              if (answer.status === 409) {
                const body = JSON.stringify(order[index]?.event);
                const again = await service.webhooks.handle({
                  rawBody: body,
                  signature: sim.signPayload(body, SECRET, Math.floor(now / 1000)),
                });
                expect(again.status).toBe(200);
              } else {
                expect(answer.status).toBe(200);
              }
            }
            for (const { userId, sessionId, reports, session } of truth.values()) {
              const status = await service.status(userId);
              expect(status.state).toBe(session?.status);
              expect(status.lastErrorCode).toBe(session?.last_error?.code ?? null);
              expect(status.submissions.used).toBe(reports);
              expect(status.sessionId).toBe(sessionId);
            }
            for (const times of calls.values()) expect(times).toBe(1);
          } finally {
            await sim.close();
          }
        },
      ),
      { seed: 20261125, numRuns: 60 },
    );
  });
});
