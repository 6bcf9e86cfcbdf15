import { afterEach } from 'vitest';
import { VerificationService } from '../../src/service.js';
import { MemoryStore } from '../../src/stores/memory.js';
import { createTestStripe, IdentitySimulator } from '../../src/testing/index.js';
import { IDENTITY_EVENTS, RETURN_URL, WEBHOOK_SECRET } from './harness.js';

/** Stripe's create endpoint, for fault matchers and request filters. */
export const CREATE = { method: 'POST', path: '/v1/identity/verification_sessions' };

/** Real time passing, for a simulator's `slow` fault to finish after the client gave up. */
export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sims: IdentitySimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
});

/**
 * A service whose Stripe client gives up after `timeout` ms (over HTTP on 127.0.0.1): Stripe may still
 * create the session after the client stopped waiting, as a lost answer does in production.
 */
export async function impatient(options: { timeout?: number; store?: MemoryStore; webhooks?: boolean } = {}) {
  const sim = new IdentitySimulator({ seed: 3, webhooks: { autoDeliver: false } });
  sims.push(sim);
  const stripe = createTestStripe(await sim.listen(), { timeout: options.timeout ?? 150 });
  const store = options.store ?? new MemoryStore();
  const service = new VerificationService({
    stripe,
    store,
    returnUrl: RETURN_URL,
    webhookSecret: WEBHOOK_SECRET,
    now: () => sim.now(),
    logger: false,
  });
  if (options.webhooks) {
    sim.addWebhookEndpoint({
      handler: service.webhooks.fetch,
      secret: WEBHOOK_SECRET,
      enabledEvents: IDENTITY_EVENTS,
    });
  }
  const open = () => sim.sessions().filter((session) => session.status === 'requires_input');
  const creates = () => sim.requests.filter((r) => r.method === 'POST' && r.path === CREATE.path);
  return { sim, stripe, store, service, open, creates };
}
