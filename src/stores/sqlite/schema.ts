/** Table names of one SQLite store, derived from its validated prefix. */
export interface SqliteTables {
  sessions: string;
  ledgers: string;
  ledgerSessions: string;
  submissions: string;
  events: string;
  links: string;
}

/** The table names for a prefix that has already passed `resolveTablePrefix`. */
export function sqliteTables(prefix: string): SqliteTables {
  return {
    sessions: `${prefix}sessions`,
    ledgers: `${prefix}ledgers`,
    ledgerSessions: `${prefix}ledger_sessions`,
    submissions: `${prefix}ledger_submissions`,
    events: `${prefix}events`,
    links: `${prefix}links`,
  };
}

/**
 * Idempotent DDL. Times are INTEGER milliseconds (seconds for `observed_at`); a ledger row per subject
 * keeps the ordinal counter and the one pending reservation, so both survive the pruning of old entries.
 */
export function sqliteSchema(t: SqliteTables): string {
  return `
    CREATE TABLE IF NOT EXISTS ${t.sessions} (
      session_id TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      status TEXT NOT NULL,
      last_error_code TEXT,
      report_id TEXT,
      observed_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      livemode INTEGER NOT NULL,
      redaction TEXT,
      version INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${t.sessions}_by_owner ON ${t.sessions} (owner);
    CREATE TABLE IF NOT EXISTS ${t.ledgers} (
      subject TEXT PRIMARY KEY,
      ordinals INTEGER NOT NULL DEFAULT 0,
      reconcile INTEGER NOT NULL DEFAULT 0,
      pending_id TEXT,
      pending_until INTEGER
    );
    CREATE TABLE IF NOT EXISTS ${t.ledgerSessions} (
      subject TEXT NOT NULL,
      session_id TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${t.ledgerSessions}_by_subject ON ${t.ledgerSessions} (subject, created_at);
    CREATE UNIQUE INDEX IF NOT EXISTS ${t.ledgerSessions}_once ON ${t.ledgerSessions} (subject, session_id);
    CREATE INDEX IF NOT EXISTS ${t.ledgerSessions}_by_at ON ${t.ledgerSessions} (created_at);
    CREATE TABLE IF NOT EXISTS ${t.submissions} (
      subject TEXT NOT NULL,
      report_id TEXT NOT NULL,
      at INTEGER NOT NULL,
      PRIMARY KEY (subject, report_id)
    );
    CREATE INDEX IF NOT EXISTS ${t.submissions}_by_at ON ${t.submissions} (at);
    CREATE TABLE IF NOT EXISTS ${t.events} (
      event_id TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      until_ms INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${t.events}_by_until ON ${t.events} (until_ms);
    CREATE TABLE IF NOT EXISTS ${t.links} (
      subject TEXT NOT NULL,
      at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${t.links}_by_subject ON ${t.links} (subject, at);
    CREATE INDEX IF NOT EXISTS ${t.links}_by_at ON ${t.links} (at);
  `;
}
