/**
 * `stripe-identity-kit/sqlite`: an {@link IdentityStore} in one SQLite file, shared by the processes of
 * one machine. Runs on the optional peer dependency `better-sqlite3` (>=12 <13), or on Node's built-in
 * `node:sqlite` (Node 22.5 and later, no native addon).
 */

export type { IdentityStore } from './stores/contract.js';
export type {
  BetterSqliteDatabase,
  NodeSqliteDatabase,
  SqliteDriverChoice,
  SqliteDriverName,
  SqliteSource,
} from './stores/sqlite/drivers/index.js';
export { type SqlitePruneResult, SqliteStore, type SqliteStoreOptions } from './stores/sqlite/store.js';
