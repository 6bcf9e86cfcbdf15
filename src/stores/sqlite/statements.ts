import type { SqliteDriver, SqliteStatementHandle } from './drivers/index.js';
import type { SqliteTables } from './schema.js';

type Statement = SqliteStatementHandle;

/** Every statement the SQLite store runs, prepared once per instance; parameters are positional. */
export interface SqliteStatements {
  getSession: Statement;
  listSessions: Statement;
  /** Parameters: {@link sessionParams}. */
  insertSession: Statement;
  /** Parameters: {@link sessionParams} minus the id, then the id and the expected version. */
  updateSession: Statement;
  deleteSession: Statement;
  ensureLedger: Statement;
  getLedger: Statement;
  pruneLedgerSessions: Statement;
  ledgerSessionsSince: Statement;
  setPending: Statement;
  clearPending: Statement;
  countSession: Statement;
  countCommit: Statement;
  markReconcile: Statement;
  retireKey: Statement;
  pruneLinks: Statement;
  linksSince: Statement;
  insertLink: Statement;
  insertSubmission: Statement;
  submissionsSince: Statement;
  getEvent: Statement;
  putEvent: Statement;
  releaseEvent: Statement;
  pruneLedgerEntries: Statement;
  pruneSubmissions: Statement;
  pruneEvents: Statement;
}

/** Prepares the statements against tables whose names were validated beforehand. */
export function prepareStatements(db: SqliteDriver, t: SqliteTables): SqliteStatements {
  const prepare = (sql: string): Statement => db.prepare(sql);
  return {
    getSession: prepare(`SELECT * FROM ${t.sessions} WHERE session_id = ?`),
    listSessions: prepare(`SELECT * FROM ${t.sessions} WHERE owner = ?`),
    insertSession: prepare(
      `INSERT INTO ${t.sessions} (session_id, owner, status, last_error_code, report_id, observed_at,
         created_at, updated_at, livemode, redaction, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
       ON CONFLICT (session_id) DO NOTHING RETURNING *`,
    ),
    updateSession: prepare(
      `UPDATE ${t.sessions} SET status = ?, last_error_code = ?, report_id = ?, observed_at = ?,
         created_at = ?, updated_at = ?, livemode = ?, redaction = ?, version = version + 1
       WHERE session_id = ? AND version = ? RETURNING *`,
    ),
    deleteSession: prepare(`DELETE FROM ${t.sessions} WHERE session_id = ?`),
    ensureLedger: prepare(`INSERT INTO ${t.ledgers} (subject) VALUES (?) ON CONFLICT (subject) DO NOTHING`),
    getLedger: prepare(
      `SELECT ordinals, reconcile, pending_id, pending_until FROM ${t.ledgers} WHERE subject = ?`,
    ),
    pruneLedgerSessions: prepare(`DELETE FROM ${t.ledgerSessions} WHERE subject = ? AND created_at <= ?`),
    ledgerSessionsSince: prepare(
      `SELECT created_at AS at FROM ${t.ledgerSessions} WHERE subject = ? AND created_at > ? ORDER BY created_at`,
    ),
    setPending: prepare(`UPDATE ${t.ledgers} SET pending_id = ?, pending_until = ? WHERE subject = ?`),
    clearPending: prepare(
      `UPDATE ${t.ledgers} SET pending_id = NULL, pending_until = NULL WHERE subject = ? AND pending_id = ?`,
    ),
    countSession: prepare(
      `INSERT OR IGNORE INTO ${t.ledgerSessions} (subject, session_id, created_at) VALUES (?, ?, ?)`,
    ),
    countCommit: prepare(`UPDATE ${t.ledgers} SET ordinals = ordinals + 1, reconcile = 0 WHERE subject = ?`),
    markReconcile: prepare(`UPDATE ${t.ledgers} SET reconcile = 1 WHERE subject = ?`),
    retireKey: prepare(`UPDATE ${t.ledgers} SET ordinals = ordinals + 1, reconcile = 0 WHERE subject = ?`),
    pruneLinks: prepare(`DELETE FROM ${t.links} WHERE at <= ?`),
    linksSince: prepare(`SELECT at FROM ${t.links} WHERE subject = ? AND at > ? AND at <= ? ORDER BY at`),
    insertLink: prepare(`INSERT INTO ${t.links} (subject, at) VALUES (?, ?)`),
    insertSubmission: prepare(
      `INSERT INTO ${t.submissions} (subject, report_id, at) VALUES (?, ?, ?)
       ON CONFLICT (subject, report_id) DO NOTHING`,
    ),
    submissionsSince: prepare(`SELECT at FROM ${t.submissions} WHERE subject = ? AND at > ? ORDER BY at`),
    getEvent: prepare(`SELECT state, until_ms FROM ${t.events} WHERE event_id = ?`),
    putEvent: prepare(
      `INSERT INTO ${t.events} (event_id, state, until_ms) VALUES (?, ?, ?)
       ON CONFLICT (event_id) DO UPDATE SET state = excluded.state, until_ms = excluded.until_ms`,
    ),
    releaseEvent: prepare(`DELETE FROM ${t.events} WHERE event_id = ? AND state = 'in_flight'`),
    pruneLedgerEntries: prepare(`DELETE FROM ${t.ledgerSessions} WHERE created_at <= ?`),
    pruneSubmissions: prepare(`DELETE FROM ${t.submissions} WHERE at <= ?`),
    pruneEvents: prepare(`DELETE FROM ${t.events} WHERE until_ms <= ?`),
  };
}
