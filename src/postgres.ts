/**
 * `stripe-identity-kit/postgres`: an {@link IdentityStore} in PostgreSQL (12 or later), shared by every app
 * instance. Needs the optional peer dependency `pg` (^8); pass your own pool.
 */

export type { IdentityStore } from './stores/contract.js';
export {
  type PostgresPruneResult,
  PostgresStore,
  type PostgresStoreOptions,
} from './stores/postgres/store.js';
