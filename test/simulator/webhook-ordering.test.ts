import Stripe from 'stripe';
import { expect, test } from 'vitest';
import { IdentitySimulator, type IdentitySimulatorOptions } from '../../src/testing/index.js';
import { recorder } from './webhook-recorder.js';

async function deliveryOrder(options: IdentitySimulatorOptions): Promise<string[]> {
  const sim = new IdentitySimulator(options);
  sim.intercept();
  const stripe = new Stripe('sk_test_order', { maxNetworkRetries: 0, telemetry: false });
  const hook = recorder();
  sim.addWebhookEndpoint({ handler: hook.handler });
  for (let i = 0; i < 4; i += 1) {
    const s = await stripe.identity.verificationSessions.create({ type: 'document' });
    await sim.submit(s.id, i % 2 ? 'verified' : 'document_expired');
  }
  await sim.flushWebhooks();
  await sim.close();
  return sim.deliveries.map((d) => `${d.eventId}${d.duplicate ? '+dup' : ''}`);
}

test('duplicates and reordering are reproducible from the seed', async () => {
  const options = { seed: 11, webhooks: { autoDeliver: false, reorder: true, duplicateRate: 0.3 } };
  const first = await deliveryOrder(options);
  expect(await deliveryOrder(options)).toEqual(first);
  expect(first.some((id) => id.endsWith('+dup'))).toBe(true);
  const plain = await deliveryOrder({ seed: 11, webhooks: { autoDeliver: false } });
  expect(plain).toHaveLength(12);
  const baseOrder = first.filter((id) => !id.endsWith('+dup'));
  expect(baseOrder).not.toEqual(plain);
  expect([...baseOrder].sort()).toEqual([...plain].sort());
  expect(await deliveryOrder({ ...options, seed: 12 })).not.toEqual(first);
});
