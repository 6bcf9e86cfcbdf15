import type Stripe from 'stripe';
import { afterEach } from 'vitest';
import type { VerificationServiceOptions } from '../../src/options.js';
import { VerificationService } from '../../src/service.js';
import type { IdentityStore } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory.js';
import type { IdentitySimulatorOptions } from '../../src/testing/index.js';
import { createTestStripe, IdentitySimulator } from '../../src/testing/index.js';

/** The six identity event types, `redacted` named explicitly (Stripe's `*` leaves it out). */
export const IDENTITY_EVENTS = [
  'identity.verification_session.created',
  'identity.verification_session.processing',
  'identity.verification_session.verified',
  'identity.verification_session.requires_input',
  'identity.verification_session.canceled',
  'identity.verification_session.redacted',
];

export const WEBHOOK_SECRET = 'whsec_harness_secret_0123456789';
export const RETURN_URL = 'https://app.example.com/verify/return';

/** Everything a service journey needs: a listening simulator, a real stripe-node client, a service. */
export interface Harness {
  sim: IdentitySimulator;
  stripe: Stripe;
  store: IdentityStore;
  service: VerificationService;
  /** Sessions that exist at the simulated Stripe (whatever the client saw). */
  created(): number;
  /** API requests the simulator saw. */
  calls(): number;
  /** Another service instance on the same store and simulator (a second app instance). */
  another(overrides?: Partial<VerificationServiceOptions>): VerificationService;
}

const open: IdentitySimulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sim) => sim.close()));
});

/** Build a harness; deliveries are manual (`sim.flushWebhooks()`) unless `autoDeliver` is set. */
export async function harness(
  options: {
    service?: Partial<VerificationServiceOptions>;
    sim?: IdentitySimulatorOptions;
    store?: IdentityStore;
    webhooks?: boolean;
  } = {},
): Promise<Harness> {
  const sim = new IdentitySimulator({
    seed: 7,
    ...options.sim,
    webhooks: { autoDeliver: false, ...options.sim?.webhooks },
  });
  open.push(sim);
  const target = await sim.listen();
  const stripe = createTestStripe(target);
  const store = options.store ?? new MemoryStore();
  const build = (overrides: Partial<VerificationServiceOptions> = {}) =>
    new VerificationService({
      stripe,
      store,
      returnUrl: RETURN_URL,
      webhookSecret: WEBHOOK_SECRET,
      now: () => sim.now(),
      // Tests that look at logs pass their own logger; the rest stay quiet (the default prints errors).
      logger: false,
      ...options.service,
      ...overrides,
    });
  const service = build();
  if (options.webhooks !== false) {
    sim.addWebhookEndpoint({
      handler: service.webhooks.fetch,
      secret: WEBHOOK_SECRET,
      enabledEvents: IDENTITY_EVENTS,
    });
  }
  return {
    sim,
    stripe,
    store,
    service,
    created: () => sim.sessions().length,
    calls: () => sim.requests.length,
    another: build,
  };
}
