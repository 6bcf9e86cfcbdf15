import type { ResolvedOptions } from './options.js';
import type { SafeLogger } from './policies/privacy.js';
import type { LinkThrottle } from './policies/throttle.js';
import type { IdentityStore } from './stores/contract.js';
import type { StripeGateway } from './stripe/gateway.js';

/** What every policy needs; built once by the service. */
export interface ServiceContext {
  readonly options: ResolvedOptions;
  readonly store: IdentityStore;
  readonly gateway: StripeGateway;
  readonly log: SafeLogger;
  /** Current time in ms (the injectable clock). */
  now(): number;
  /** The opaque key of a user's attempt ledger. */
  subjectOf(userId: string): Promise<string>;
  /** Per-instance cap on fresh links per user per minute. */
  readonly links: LinkThrottle;
}
