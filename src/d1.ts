/**
 * `stripe-identity-kit/d1`: an {@link IdentityStore} on Cloudflare D1, for Workers. No driver to install:
 * pass the D1 binding (`env.DB`).
 */

export type { IdentityStore } from './stores/contract.js';
export type { D1DatabaseLike, D1ResultLike, D1StatementLike, D1Value } from './stores/d1/binding.js';
export { type D1PruneResult, D1Store, type D1StoreOptions } from './stores/d1/store.js';
