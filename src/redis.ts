/**
 * `stripe-identity-kit/redis`: an {@link IdentityStore} in Redis, shared by every app instance. Needs the
 * optional peer dependency `ioredis` (^5); pass your own client.
 */

export type { IdentityStore } from './stores/contract.js';
export { RedisStore, type RedisStoreOptions } from './stores/redis/store.js';
