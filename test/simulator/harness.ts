/** Starts a simulator in either mode with a stripe-node client pointed at it. */
import Stripe from 'stripe';
import {
  createTestStripe,
  IdentitySimulator,
  type IdentitySimulatorOptions,
} from '../../src/testing/index.js';

/** The ways stripe-node can reach the simulator: HTTP, nock, and its own fetch client wired in-process. */
export type Mode = 'listen' | 'intercept' | 'in-process';

/** Every mode, for `describe.each`. */
export const MODES: Mode[] = ['listen', 'intercept', 'in-process'];

/** A running simulator and a factory of clients for it. */
export interface Harness {
  sim: IdentitySimulator;
  stripe: Stripe;
  /** Another client (for example with a restricted or live key). */
  client: (key: string) => Stripe;
  /** Base of the hosted pages and of `rawRequest`-free HTTP calls (listen mode only). */
  baseUrl: string | null;
  /** How a browser reaches the hosted pages in this mode (the simulator's own fetch in-process). */
  fetch: typeof fetch;
}

/**
 * stripe-node waits at least 0.5 s before retrying a dropped connection; the wait itself is not under
 * test, so the clients used here retry at once (same retry logic, same idempotency key).
 */
function withoutRetryWait(stripe: Stripe): Stripe {
  Object.assign(stripe, { getInitialNetworkRetryDelay: () => 0, getMaxNetworkRetryDelay: () => 0 });
  return stripe;
}

/** Starts a simulator in `mode`; close it with `sim.close()`. */
export async function startHarness(mode: Mode, options: IdentitySimulatorOptions = {}): Promise<Harness> {
  const sim = new IdentitySimulator(options);
  if (mode === 'listen') {
    const target = await sim.listen();
    const client = (key: string) => withoutRetryWait(createTestStripe(target, key));
    return { sim, stripe: client('sk_test_simulator'), client, baseUrl: target.baseUrl, fetch };
  }
  if (mode === 'in-process') {
    const client = (key: string) => withoutRetryWait(createTestStripe(sim, key));
    return {
      sim,
      stripe: client('sk_test_simulator'),
      client,
      baseUrl: null,
      fetch: sim.fetch as typeof fetch,
    };
  }
  sim.intercept();
  const client = (key: string) =>
    withoutRetryWait(new Stripe(key, { maxNetworkRetries: 0, telemetry: false }));
  return { sim, stripe: client('sk_test_simulator'), client, baseUrl: null, fetch };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
