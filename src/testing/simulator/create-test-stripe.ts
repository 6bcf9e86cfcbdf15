/** A stripe-node client for a simulator: over HTTP (a `listen()` target) or in-process (the simulator itself). */
import Stripe from 'stripe';
import { stripeClientFetch } from './in-process-fetch.js';
import type { IdentitySimulator } from './simulator.js';
import type { SimulatorListenTarget } from './types.js';

/** Options of {@link createTestStripe}. */
export interface TestStripeOptions {
  /** API key (default `sk_test_simulator`); any `sk_test_`/`rk_test_`/`sk_live_`/`rk_live_` key is accepted. */
  key?: string;
  /** Client timeout in ms (stripe-node's `timeout`; default its own, 80 s). */
  timeout?: number;
  /** `maxNetworkRetries` (default 0; a dropped connection is still retried once by stripe-node). */
  maxNetworkRetries?: number;
}

function isSimulator(value: unknown): value is IdentitySimulator {
  return typeof (value as { fetch?: unknown }).fetch === 'function' && 'requests' in (value as object);
}

/**
 * A stripe-node client pointed at a simulator.
 *
 * - `createTestStripe(target)`, with the target `listen()` returned: over real HTTP on 127.0.0.1.
 * - `createTestStripe(sim)`: in-process, stripe-node's own fetch-based client (`Stripe.createFetchHttpClient`)
 *   answered by `sim.fetch` directly: no socket, no nock, same errors, headers, faults and timeouts.
 *
 * Both use `maxNetworkRetries: 0` and no telemetry. The key may be given as the second argument or in `options`.
 */
export function createTestStripe(
  target: IdentitySimulator | Pick<SimulatorListenTarget, 'host' | 'port' | 'protocol'>,
  keyOrOptions: string | TestStripeOptions = {},
): Stripe {
  const options = typeof keyOrOptions === 'string' ? { key: keyOrOptions } : keyOrOptions;
  const common = {
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
    telemetry: false,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  };
  const key = options.key ?? 'sk_test_simulator';
  if (isSimulator(target)) {
    const fetchFn = stripeClientFetch.get(target) ?? target.fetch;
    return new Stripe(key, { ...common, httpClient: Stripe.createFetchHttpClient(fetchFn) });
  }
  return new Stripe(key, { ...common, host: target.host, port: target.port, protocol: target.protocol });
}
