import Stripe from 'stripe';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { VerificationService } from '../../src/service.js';
import { MemoryStore } from '../../src/stores/memory.js';
import { IdentitySimulator } from '../../src/testing/index.js';
import { IDENTITY_EVENTS, RETURN_URL, WEBHOOK_SECRET } from '../support/harness.js';

let sim: IdentitySimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('the service against the in-process simulator (nock on api.stripe.com)', () => {
  test('a default stripe-node client: start, fail, resume, verify, webhooks', async () => {
    sim = new IdentitySimulator({ seed: 5, webhooks: { autoDeliver: false } });
    sim.intercept();
    const current = sim;
    const verified = vi.fn();
    const service = new VerificationService({
      stripe: new Stripe('sk_test_intercepted', { maxNetworkRetries: 0 }),
      store: new MemoryStore(),
      returnUrl: RETURN_URL,
      webhookSecret: WEBHOOK_SECRET,
      now: () => current.now(),
      on: { verified },
    });
    sim.addWebhookEndpoint({
      handler: service.webhooks.fetch,
      secret: WEBHOOK_SECRET,
      enabledEvents: IDENTITY_EVENTS,
    });
    const first = await service.start({ id: 'user_1' });
    if (first.status !== 'redirect') throw new Error(first.status);
    expect(first.url).toMatch(/^https:\/\/verify\.stripe\.com\/start\//);
    await sim.submit(first.sessionId, 'document_expired');
    await sim.flushWebhooks();
    const again = await service.start({ id: 'user_1' });
    expect(again).toMatchObject({ status: 'redirect', sessionId: first.sessionId });
    await sim.submit(first.sessionId, 'verified');
    await sim.flushWebhooks();
    expect(verified).toHaveBeenCalledTimes(1);
    expect(await service.start({ id: 'user_1' })).toEqual({ status: 'verified', sessionId: first.sessionId });
    expect(sim.sessions()).toHaveLength(1);
  });
});
