/** Table names of one PostgreSQL store, derived from its validated prefix. */
export interface PostgresTables {
  sessions: string;
  ledgers: string;
  submissions: string;
  /** Which sessions each ledger counted, so that a session is counted once by its id. */
  counted: string;
  events: string;
  /** One row per subject: the times of its recent link takes. */
  links: string;
}

/** The table names for a prefix that has already passed `resolveTablePrefix`. */
export function postgresTables(prefix: string): PostgresTables {
  return {
    sessions: `${prefix}sessions`,
    ledgers: `${prefix}ledgers`,
    submissions: `${prefix}ledger_submissions`,
    counted: `${prefix}ledger_sessions`,
    events: `${prefix}events`,
    links: `${prefix}links`,
  };
}

/**
 * Idempotent DDL, run under an advisory lock by `migrate()`. Times are `double precision` milliseconds
 * (exact for integers up to 2^53, and a fractional `now` is not an error). One ledger row per subject
 * holds the ordinal counter, the pending reservation and the creation times of counted sessions, so that a
 * reservation is one conditional UPDATE of one row: PostgreSQL re-checks it against the newest row version
 * after waiting for the row lock, which a read of a second table would not get.
 */
export function postgresSchema(t: PostgresTables): string {
  return `
    CREATE TABLE IF NOT EXISTS ${t.sessions} (
      session_id text PRIMARY KEY,
      owner text NOT NULL,
      status text NOT NULL,
      last_error_code text,
      report_id text,
      observed_at double precision NOT NULL,
      created_at double precision NOT NULL,
      updated_at double precision NOT NULL,
      livemode boolean NOT NULL,
      redaction text,
      version integer NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${t.sessions}_by_owner ON ${t.sessions} (owner);
    CREATE TABLE IF NOT EXISTS ${t.ledgers} (
      subject text PRIMARY KEY,
      ordinals integer NOT NULL DEFAULT 0,
      reconcile boolean NOT NULL DEFAULT false,
      pending_id text,
      pending_until double precision,
      session_times double precision[] NOT NULL DEFAULT '{}'
    );
    CREATE TABLE IF NOT EXISTS ${t.submissions} (
      subject text NOT NULL,
      report_id text NOT NULL,
      at double precision NOT NULL,
      PRIMARY KEY (subject, report_id)
    );
    CREATE INDEX IF NOT EXISTS ${t.submissions}_by_at ON ${t.submissions} (at);
    CREATE TABLE IF NOT EXISTS ${t.counted} (
      subject text NOT NULL,
      session_id text NOT NULL,
      created_at double precision NOT NULL,
      PRIMARY KEY (subject, session_id)
    );
    CREATE INDEX IF NOT EXISTS ${t.counted}_by_at ON ${t.counted} (created_at);
    CREATE TABLE IF NOT EXISTS ${t.events} (
      event_id text PRIMARY KEY,
      state text NOT NULL,
      until_ms double precision NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${t.events}_by_until ON ${t.events} (until_ms);
    CREATE TABLE IF NOT EXISTS ${t.links} (
      subject text PRIMARY KEY,
      times double precision[] NOT NULL,
      refused_at double precision
    );
  `;
}
