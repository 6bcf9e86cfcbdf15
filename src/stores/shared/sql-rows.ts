import type { RedactionState, SessionRecord, SessionStatus } from '../../domain.js';

/**
 * One row of the SQL `sessions` table, as the SQLite and PostgreSQL drivers return it (SQLite gives
 * 0/1 for booleans; numbers may arrive as strings from some column types).
 */
export interface SessionRow {
  session_id: string;
  owner: string;
  status: string;
  last_error_code: string | null;
  report_id: string | null;
  observed_at: number | string;
  created_at: number | string;
  updated_at: number | string;
  livemode: boolean | number;
  redaction: string | null;
  version: number | string;
}

/** Column names in insert order, shared by both SQL stores. */
export const SESSION_COLUMNS = [
  'session_id',
  'owner',
  'status',
  'last_error_code',
  'report_id',
  'observed_at',
  'created_at',
  'updated_at',
  'livemode',
  'redaction',
  'version',
] as const;

/** Converts a row back into the library's record. */
export function rowToRecord(row: SessionRow): SessionRecord {
  return {
    sessionId: row.session_id,
    owner: row.owner,
    status: row.status as SessionStatus,
    lastErrorCode: row.last_error_code,
    reportId: row.report_id,
    observedAt: Number(row.observed_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    livemode: Boolean(row.livemode),
    redaction: row.redaction as RedactionState | null,
    version: Number(row.version),
  };
}
