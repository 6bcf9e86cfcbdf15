/** Options of {@link D1Store}. */
export interface D1StoreOptions {
  /** Prefix of every table name (identifier characters only). Default `sik_`. */
  tablePrefix?: string;
  /** Upper bound of each call, after which it fails with `StoreUnavailableError`. Default 2000 ms. */
  timeoutMs?: number;
}

/** What {@link D1Store.prune} removed. */
export interface D1PruneResult {
  /** Ledger entries (sessions and submissions) older than the window. */
  ledgerEntries: number;
  /** Event claims and done-markers whose time has passed. */
  events: number;
}
