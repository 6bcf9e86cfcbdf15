import type { NewSessionRecord } from '../../domain.js';
import { pickRecordFields } from '../shared/records.js';

/** A value both SQLite drivers and D1 bind. */
type Bindable = string | number | null;

/**
 * The record's columns after the session id, in the order of the insert and update statements of the
 * SQLite and D1 stores (which share the table layout). Only the record's own fields are read.
 */
export function recordColumns(record: NewSessionRecord): Bindable[] {
  const fields = pickRecordFields(record);
  return [
    fields.status,
    fields.lastErrorCode,
    fields.reportId,
    fields.observedAt,
    fields.createdAt,
    fields.updatedAt,
    fields.livemode ? 1 : 0,
    fields.redaction,
  ];
}

/** The parameters of the insert statement: the id, the owner, then {@link recordColumns}. */
export function insertParams(record: NewSessionRecord): Bindable[] {
  return [record.sessionId, record.owner, ...recordColumns(record)];
}

/** One numeric column of the rows, as numbers. */
export function numbers(rows: ReadonlyArray<Record<string, unknown>>, name: string): number[] {
  return rows.map((row) => Number(row[name]));
}
