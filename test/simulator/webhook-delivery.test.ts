import Stripe from 'stripe';
import { describe, expect, test } from 'vitest';
import { IdentitySimulator } from '../../src/testing/index.js';
import { SimulatorClock } from '../../src/testing/simulator/clock.js';
import { SeededRandom } from '../../src/testing/simulator/random.js';
import type { WebhookDelivery } from '../../src/testing/simulator/types.js';
import { DeliveryQueue, type DeliverySettings } from '../../src/testing/simulator/webhooks/delivery.js';
import type { EndpointState } from '../../src/testing/simulator/webhooks/endpoints.js';

/** A Response whose body never produces a byte nor ends. */
const endlessBody = async (): Promise<Response> => new Response(new ReadableStream({ start() {} }));

describe('a handler whose response body never ends', () => {
  test('times out: an error attempt, retried like any other', { timeout: 3_000 }, async () => {
    const sim = new IdentitySimulator({ webhooks: { timeoutMs: 20, maxAttempts: 2, retryDelayMs: 0 } });
    sim.intercept();
    try {
      sim.addWebhookEndpoint({ handler: endlessBody });
      await createSession(sim);
      await sim.flushWebhooks();
      expect(sim.deliveries.map((d) => [d.attempt, d.status])).toEqual([
        [1, 'error'],
        [2, 'error'],
      ]);
    } finally {
      await sim.close();
    }
  });

  test('close() ends the delivery in flight', { timeout: 3_000 }, async () => {
    const sim = new IdentitySimulator({ webhooks: { autoDeliver: false } });
    sim.intercept();
    let answered!: () => void;
    const handlerAnswered = new Promise<void>((resolve) => {
      answered = resolve;
    });
    sim.addWebhookEndpoint({
      handler: async () => {
        answered();
        return endlessBody();
      },
    });
    await createSession(sim);
    const flushed = sim.flushWebhooks();
    await handlerAnswered;
    await sim.close();
    await flushed;
    expect(sim.deliveries).toEqual([]);
  });
});

async function createSession(sim: IdentitySimulator): Promise<void> {
  const stripe = new Stripe('sk_test_delivery', { maxNetworkRetries: 0, telemetry: false });
  await stripe.identity.verificationSessions.create({ type: 'document' });
  expect(sim.sessions()).toHaveLength(1);
}

const SETTINGS: DeliverySettings = {
  autoDeliver: true,
  duplicateRate: 0.5,
  delayMs: [0, 0],
  reorder: true,
  maxAttempts: 3,
  retryDelayMs: 1_000,
  timeoutMs: 1_000,
};

function endpoint(id: string, seq: number): EndpointState {
  return {
    id,
    url: null,
    handler: async () => new Response(null, { status: 500 }),
    enabledEvents: ['*'],
    secret: 'whsec_test',
    apiVersion: null,
    apiVersionShownAsNull: false,
    description: null,
    metadata: {},
    status: 'enabled',
    livemode: false,
    createdMs: 0,
    seq,
    configured: true,
  };
}

const EVENTS = Array.from({ length: 8 }, (_, i) => ({ id: `evt_${i}`, livemode: false }) as Stripe.Event);

/**
 * Delivers EVENTS to two always-failing endpoints. `drainEach` runs the due deliveries after every
 * enqueue (as auto-delivery may, depending on wall-clock timing) instead of once after all of them.
 */
async function deliveries(drainEach: boolean): Promise<WebhookDelivery[]> {
  const clock = new SimulatorClock(0);
  const out: WebhookDelivery[] = [];
  const queue = new DeliveryQueue(SETTINGS, clock, new SeededRandom(5, 'webhooks'), (d) => out.push(d));
  const endpoints = [endpoint('we_a', 0), endpoint('we_b', 1)];
  for (const event of EVENTS) {
    queue.enqueue(event, endpoints);
    if (drainEach) await queue.drainDue();
  }
  await queue.drainDue();
  await queue.flush();
  queue.close();
  return out;
}

test('duplicates and the order of retries do not depend on when earlier deliveries ran', async () => {
  const label = (d: WebhookDelivery) =>
    `${d.eventId}/${d.endpointId}#${d.attempt}${d.duplicate ? '+dup' : ''}`;
  const eager = (await deliveries(true)).map(label);
  const batched = (await deliveries(false)).map(label);
  expect(eager.some((l) => l.endsWith('+dup'))).toBe(true);
  // First attempts ran at different moments by design; what was sent, and every retry, must match.
  const firsts = (list: string[]) => list.filter((l) => l.includes('#1')).sort();
  expect(firsts(eager)).toEqual(firsts(batched));
  const retries = (list: string[]) => list.filter((l) => !l.includes('#1'));
  expect(retries(eager).length).toBeGreaterThan(0);
  expect(retries(eager)).toEqual(retries(batched));
});
