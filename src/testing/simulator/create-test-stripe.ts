/** A stripe-node client pointed at a listening simulator. */
import Stripe from 'stripe';
import type { SimulatorListenTarget } from './types.js';

/**
 * `new Stripe(key, { host, port, protocol: 'http', maxNetworkRetries: 0, telemetry: false })` for the target
 * returned by `listen()`. (stripe-node still retries a dropped connection once, with the same idempotency key.)
 */
export function createTestStripe(
  target: Pick<SimulatorListenTarget, 'host' | 'port' | 'protocol'>,
  key = 'sk_test_simulator',
): Stripe {
  return new Stripe(key, {
    host: target.host,
    port: target.port,
    protocol: target.protocol,
    maxNetworkRetries: 0,
    telemetry: false,
  });
}
