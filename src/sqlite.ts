/**
 * `stripe-identity-kit/sqlite`: an {@link IdentityStore} in one SQLite file, shared by the processes of
 * one machine. Needs the optional peer dependency `better-sqlite3` (>=12 <13).
 */

export type { IdentityStore } from './stores/contract.js';
export { type SqlitePruneResult, SqliteStore, type SqliteStoreOptions } from './stores/sqlite/store.js';
