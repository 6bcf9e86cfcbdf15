import type { ResolvedOptions } from './options.js';
import type { SafeLogger } from './policies/privacy.js';
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
  /**
   * The user's pseudonym (a keyed hash of the user id): the owner of their records and the key of their
   * attempt ledger. The raw id never reaches the store.
   */
  subjectOf(userId: string): Promise<string>;
}
