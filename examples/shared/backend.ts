/**
 * Where the examples' Stripe calls go. Without keys: the built-in Stripe Identity simulator, on its own
 * port with its clock on wall time (so that the webhooks it signs are fresh), delivering signed webhooks
 * to the app over HTTP. With `STRIPE_SECRET_KEY=sk_test_…` and `STRIPE_WEBHOOK_SECRET`: Stripe's test
 * mode, with `stripe listen --forward-to <webhook url>` delivering the webhooks.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { ConfigError } from 'stripe-identity-kit';
import { createTestStripe, IdentitySimulator } from 'stripe-identity-kit/testing';

/** The identity events the examples subscribe to (the same list to pick in the Stripe Dashboard). */
export const IDENTITY_EVENTS = [
  'identity.verification_session.created',
  'identity.verification_session.processing',
  'identity.verification_session.verified',
  'identity.verification_session.requires_input',
  'identity.verification_session.canceled',
  'identity.verification_session.redacted',
];

/** A Stripe client and the secret its webhooks are signed with. */
export interface Backend {
  kind: 'simulator' | 'stripe-test-mode';
  stripe: Stripe;
  webhookSecret: string;
  /** The simulator, when there is one (tests drive it; the demo shows its address). */
  simulator: IdentitySimulator | null;
  /** The simulator's origin (its hosted pages and Stripe.js stand-in live under `/verify/`), or `null`. */
  simulatorUrl: string | null;
  /** Where Stripe.js comes from for the modal flow: the simulator's stand-in, or js.stripe.com. */
  stripeJsUrl: string;
  /** Once the app listens: have webhooks delivered to `url` (the simulator does it; Stripe needs the CLI). */
  deliverWebhooksTo(url: string): string;
  close(): Promise<void>;
}

/** Read the environment and build the backend: the simulator unless Stripe test keys are set. */
export async function createBackend(env: NodeJS.ProcessEnv = process.env): Promise<Backend> {
  const key = env.STRIPE_SECRET_KEY?.trim();
  if (key) return stripeTestMode(key, env.STRIPE_WEBHOOK_SECRET?.trim());
  const simulator = new IdentitySimulator({ wallClock: true, seed: Date.now() % 2 ** 31 });
  const target = await simulator.listen(Number(env.SIMULATOR_PORT ?? 0), '127.0.0.1');
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
  return {
    kind: 'simulator',
    stripe: createTestStripe(target),
    webhookSecret,
    simulator,
    simulatorUrl: target.baseUrl,
    stripeJsUrl: `${target.baseUrl}/verify/stripe.js`,
    deliverWebhooksTo(url) {
      simulator.addWebhookEndpoint({ url, secret: webhookSecret, enabledEvents: IDENTITY_EVENTS });
      return `the simulator delivers signed webhooks to ${url}`;
    },
    close: () => simulator.close(),
  };
}

function stripeTestMode(key: string, webhookSecret: string | undefined): Backend {
  if (!/^(sk|rk)_test_/.test(key)) {
    throw new ConfigError(
      'STRIPE_SECRET_KEY',
      'the examples run in test mode only: use a sk_test_… key (live mode needs a durable store and https)',
    );
  }
  if (!webhookSecret) {
    throw new ConfigError(
      'STRIPE_WEBHOOK_SECRET',
      'is required with STRIPE_SECRET_KEY: run `stripe listen --forward-to <webhook url>` and use the whsec_… it prints',
    );
  }
  return {
    kind: 'stripe-test-mode',
    stripe: new Stripe(key),
    webhookSecret,
    simulator: null,
    simulatorUrl: null,
    stripeJsUrl: 'https://js.stripe.com/v3/',
    deliverWebhooksTo: (url) => `forward Stripe's webhooks here: stripe listen --forward-to ${url}`,
    close: async () => {},
  };
}
