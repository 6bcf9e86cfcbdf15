import { type SqliteTables, sqliteSchema, sqliteTables } from '../sqlite/schema.js';

/**
 * The store's SQL on D1. D1 has no interactive transactions, so every multi-step call is either one
 * conditional statement or a `batch`, which D1 runs as one transaction: the decision is written into the
 * statement (`WHERE … AND (SELECT COUNT(*) …) < ?`), and the rows read in the same batch explain it.
 */
export function d1Sql(t: SqliteTables) {
  const linksInWindow = `SELECT at FROM ${t.links} WHERE subject = ?1 AND at > ?2 AND at <= ?3`;
  const sessionsInWindow = `SELECT created_at FROM ${t.ledgerSessions} WHERE subject = ?1 AND created_at > ?2`;
  return {
    getSession: `SELECT * FROM ${t.sessions} WHERE session_id = ?`,
    listSessions: `SELECT * FROM ${t.sessions} WHERE owner = ?`,
    insertSession: `INSERT INTO ${t.sessions} (session_id, owner, status, last_error_code, report_id, observed_at,
        created_at, updated_at, livemode, redaction, version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (session_id) DO NOTHING RETURNING *`,
    updateSession: `UPDATE ${t.sessions} SET status = ?, last_error_code = ?, report_id = ?, observed_at = ?,
        created_at = ?, updated_at = ?, livemode = ?, redaction = ?, version = version + 1
      WHERE session_id = ? AND version = ? RETURNING *`,
    deleteSession: `DELETE FROM ${t.sessions} WHERE session_id = ?`,
    ensureLedger: `INSERT INTO ${t.ledgers} (subject) VALUES (?) ON CONFLICT (subject) DO NOTHING`,
    pruneLedgerSessions: `DELETE FROM ${t.ledgerSessions} WHERE subject = ? AND created_at <= ?`,
    /** ?1 subject, ?2 window start, ?3 now, ?4 limit, ?5 reservation id, ?6 lease end. */
    reserve: `UPDATE ${t.ledgers} SET pending_id = ?5, pending_until = ?6
      WHERE subject = ?1 AND (pending_id IS NULL OR pending_until <= ?3)
        AND (SELECT COUNT(*) FROM (${sessionsInWindow})) < ?4
      RETURNING ordinals, reconcile`,
    getLedger: `SELECT pending_id, pending_until FROM ${t.ledgers} WHERE subject = ?`,
    sessionsInWindow: `${sessionsInWindow} ORDER BY created_at`,
    clearPending: `UPDATE ${t.ledgers} SET pending_id = NULL, pending_until = NULL
      WHERE subject = ? AND pending_id = ?`,
    /** Runs before the entry is inserted: the ordinal moves only for a session id not counted yet. */
    countCommit: `UPDATE ${t.ledgers} SET ordinals = ordinals + 1, reconcile = 0
      WHERE subject = ?1 AND NOT EXISTS (
        SELECT 1 FROM ${t.ledgerSessions} WHERE subject = ?1 AND session_id = ?2)`,
    countSession: `INSERT OR IGNORE INTO ${t.ledgerSessions} (subject, session_id, created_at) VALUES (?, ?, ?)`,
    releasePlain: `UPDATE ${t.ledgers} SET pending_id = NULL, pending_until = NULL
      WHERE subject = ? AND pending_id = ?`,
    releaseIndeterminate: `UPDATE ${t.ledgers} SET pending_id = NULL, pending_until = NULL, reconcile = 1
      WHERE subject = ? AND pending_id = ?`,
    releaseRetire: `UPDATE ${t.ledgers} SET pending_id = NULL, pending_until = NULL, reconcile = 0,
        ordinals = ordinals + 1
      WHERE subject = ? AND pending_id = ?`,
    pruneLinks: `DELETE FROM ${t.links} WHERE at <= ?`,
    /** ?1 subject, ?2 window start, ?3 now, ?4 limit. */
    takeLink: `INSERT INTO ${t.links} (subject, at)
      SELECT ?1, ?3 WHERE (SELECT COUNT(*) FROM (${linksInWindow})) < ?4`,
    linksInWindow: `${linksInWindow} ORDER BY at`,
    insertSubmission: `INSERT INTO ${t.submissions} (subject, report_id, at) VALUES (?, ?, ?)
      ON CONFLICT (subject, report_id) DO NOTHING`,
    submissionsSince: `SELECT at FROM ${t.submissions} WHERE subject = ? AND at > ? ORDER BY at`,
    /** ?1 event id, ?2 now, ?3 lease end: takes the event only if it is free or its marker has run out. */
    claimEvent: `INSERT INTO ${t.events} (event_id, state, until_ms) VALUES (?1, 'in_flight', ?3)
      ON CONFLICT (event_id) DO UPDATE SET state = 'in_flight', until_ms = excluded.until_ms
      WHERE ${t.events}.until_ms <= ?2`,
    getEvent: `SELECT state FROM ${t.events} WHERE event_id = ?`,
    completeEvent: `INSERT INTO ${t.events} (event_id, state, until_ms) VALUES (?, 'done', ?)
      ON CONFLICT (event_id) DO UPDATE SET state = excluded.state, until_ms = excluded.until_ms`,
    releaseEvent: `DELETE FROM ${t.events} WHERE event_id = ? AND state = 'in_flight'`,
    pruneLedgerEntries: `DELETE FROM ${t.ledgerSessions} WHERE created_at <= ?`,
    pruneSubmissions: `DELETE FROM ${t.submissions} WHERE at <= ?`,
    pruneEvents: `DELETE FROM ${t.events} WHERE until_ms <= ?`,
  };
}

/** The statements of {@link d1Sql}. */
export type D1Sql = ReturnType<typeof d1Sql>;

/**
 * The migration as separate statements (D1's `exec` takes one statement per line, `batch` one per
 * statement). The tables are the SQLite store's, so the two stores share one schema.
 */
export function d1MigrationStatements(prefix: string): string[] {
  return sqliteSchema(sqliteTables(prefix))
    .split(';')
    .map((statement) => statement.replace(/\s+/g, ' ').trim())
    .filter((statement) => statement.length > 0);
}
