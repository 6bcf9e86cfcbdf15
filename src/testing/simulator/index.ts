/** The Stripe Identity simulator (`stripe-identity-kit/testing`). */

export { DEFAULT_START_TIME } from './assemble.js';
export { createTestStripe, type TestStripeOptions } from './create-test-stripe.js';
export type { FetchFunction } from './in-process-fetch.js';
export { IdentitySimulator } from './simulator.js';
export type {
  DeepPartial,
  FaultSpec,
  HostedPageVisit,
  IdentitySimulatorOptions,
  LinkStatus,
  SimulatorListenTarget,
  SimulatorRequest,
  SimulatorWebhookOptions,
  WebhookDelivery,
  WebhookEndpointInput,
} from './types.js';
