import type { SqliteDriverChoice } from './drivers/index.js';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Prefix of every table name (identifier characters only). Default `sik_`. */
  tablePrefix?: string;
  /** How long a call waits for another connection's write lock before failing. Default 2000 ms. */
  timeoutMs?: number;
  /**
   * Which driver opens a path: `better-sqlite3` (the optional peer dependency), `node:sqlite` (built into
   * Node 22.5 and later, no native addon), or `auto` (default): better-sqlite3 when it is installed, else
   * node:sqlite. A database you pass in is used with the driver that opened it.
   */
  driver?: SqliteDriverChoice;
}

/** What {@link SqliteStore.prune} removed. */
export interface SqlitePruneResult {
  /** Ledger entries (sessions and submissions) older than the window. */
  ledgerEntries: number;
  /** Event claims and done-markers whose time has passed. */
  events: number;
}
