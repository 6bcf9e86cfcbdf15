import { afterAll, describe, expect, test } from 'vitest';
import { signedSessionEvents } from '../../bench/signed-events.js';
import { VerificationService } from '../../src/service.js';
import { createTestStripe, IdentitySimulator } from '../../src/testing/index.js';
import { RETURN_URL, WEBHOOK_SECRET } from '../support/harness.js';
import { runSeed, SOAK, scaled } from './support/seed.js';
import { type KillableBackend, postgresBackend, redisBackend } from './support/stores.js';

const EVENTS = scaled(900, 100_000);
const JOURNEYS = scaled(40, 10_000);
const BATCH = 900;
const CONCURRENCY = 50;
const backends: KillableBackend[] = [];
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
};

/** Run `work` over `items` with `parallel` in flight; returns each item's latency (ms). */
async function pooled<T>(items: T[], parallel: number, work: (item: T) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const started = performance.now();
        await work(item);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

describe.each([
  { name: 'redis', open: redisBackend },
  { name: 'postgres', open: postgresBackend },
])('soak on $name', ({ name, open }) => {
  test(`${EVENTS} webhook events (duplicated, reordered) and ${JOURNEYS} journeys: all applied, heap flat`, async () => {
    const { random } = runSeed(`soak on ${name}`, 1341);
    const backend = await open(5_000);
    backends.push(backend);
    const sim = new IdentitySimulator({ seed: 41, webhooks: { autoDeliver: false }, wallClock: true });
    const service = new VerificationService({
      stripe: createTestStripe(sim),
      store: await backend.connect(),
      returnUrl: RETURN_URL,
      webhookSecret: WEBHOOK_SECRET,
      logger: false,
      on: { verified: async () => {} },
      limits: { linkRefreshesPerMinute: 1_000_000 },
    });
    // Events: batches signed just in time, each shuffled, a tenth delivered twice (at-least-once, any order).
    let acknowledged = 0;
    let redelivered = 0;
    let failed = 0;
    const deliver = async (delivery: { rawBody: string; signature: string }) => {
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const answer = await service.webhooks.handle(delivery);
        if (answer.status === 200) {
          acknowledged += 1;
          return;
        }
        // Stripe redelivers after a 409 (another delivery holds the claim) or a 5xx (a store call timed out).
        if (answer.status !== 409 && answer.status < 500) {
          throw new Error(`unexpected ${answer.status}: ${JSON.stringify(answer.body)}`);
        }
        if (answer.status >= 500) failed += 1;
        redelivered += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error('never acknowledged');
    };
    const batchOf = (index: number) => {
      const batch = signedSessionEvents(BATCH, WEBHOOK_SECRET, `soak${name}${index}`);
      const mixed = batch.flatMap((delivery) => (random() < 0.1 ? [delivery, delivery] : [delivery]));
      for (let i = mixed.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [mixed[i], mixed[j]] = [mixed[j], mixed[i]] as [(typeof mixed)[number], (typeof mixed)[number]];
      }
      return mixed;
    };
    const batches = Math.ceil(EVENTS / BATCH);
    const warmup = Math.max(1, Math.floor(batches / 10));
    const latencies: number[] = [];
    let heapAfterWarmup = 0;
    let delivered = 0;
    const started = performance.now();
    for (let index = 0; index < batches; index += 1) {
      const batch = batchOf(index);
      delivered += batch.length;
      const measured = await pooled(batch, CONCURRENCY, deliver);
      if (index >= warmup) latencies.push(...measured);
      if (index === warmup - 1) heapAfterWarmup = heapMb();
    }
    const seconds = (performance.now() - started) / 1000;
    const heapAfterRun = heapMb();
    latencies.sort((a, b) => a - b);
    // Journeys: start, submit, each event delivered once; one user per journey.
    const journeyStarted = performance.now();
    const journeyLatencies = await pooled(
      Array.from({ length: JOURNEYS }, (_, index) => `soak_user_${name}_${index}`),
      20,
      async (userId) => {
        const result = await service.start({ id: userId });
        if (result.status !== 'redirect') throw new Error(`start answered ${result.status}`);
        await sim.submit(result.sessionId, random() < 0.8 ? 'verified' : 'document_unverified_other');
        for (const event of sim.events.splice(0)) {
          const rawBody = JSON.stringify(event);
          await deliver({
            rawBody,
            signature: sim.signPayload(rawBody, WEBHOOK_SECRET, Math.floor(sim.now() / 1000)),
          });
        }
      },
    );
    const journeySeconds = (performance.now() - journeyStarted) / 1000;
    journeyLatencies.sort((a, b) => a - b);
    const growth = heapAfterWarmup > 0 ? heapAfterRun / heapAfterWarmup - 1 : 0;
    console.log(
      `[soak/${name}] ${delivered} deliveries (${EVENTS} events, duplicates, shuffled; ${CONCURRENCY} in flight): ` +
        `${(delivered / seconds).toFixed(0)} events/s, p50 ${percentile(latencies, 0.5).toFixed(2)} ms, ` +
        `p99 ${percentile(latencies, 0.99).toFixed(2)} ms, ${redelivered} redeliveries (${failed} after a 5xx, the rest after 409); heap ` +
        `${heapAfterWarmup.toFixed(1)} MB after warm-up, ${heapAfterRun.toFixed(1)} MB after (${(growth * 100).toFixed(1)} %)` +
        `${(globalThis as { gc?: unknown }).gc ? '' : ' [no --expose-gc: heap figures are noisy]'}; ` +
        `${JOURNEYS} journeys: ${(JOURNEYS / journeySeconds).toFixed(0)}/s, p50 ${percentile(journeyLatencies, 0.5).toFixed(1)} ms, ` +
        `p99 ${percentile(journeyLatencies, 0.99).toFixed(1)} ms`,
    );
    expect(acknowledged).toBeGreaterThanOrEqual(delivered);
    // Only a real soak (with --expose-gc) has the heap figure to judge; the short form runs too few batches.
    if (SOAK && (globalThis as { gc?: unknown }).gc) expect(growth).toBeLessThanOrEqual(0.1);
    await sim.close();
  }, 3_600_000);
});
