import type { NewSessionRecord, SessionRecord } from '../../domain.js';

/**
 * Copies exactly the fields a store may keep. A caller that passes a richer object (a Stripe session,
 * say) must not get its `url` or `client_secret` persisted by accident.
 */
export function pickRecordFields(record: NewSessionRecord): NewSessionRecord {
  const { version: _version, ...fields } = storedRecord(record, record.owner, 0);
  return fields;
}

/** A stored record with exactly the record's fields, in one allocation (the hot path of every write). */
export function storedRecord(record: NewSessionRecord, owner: string, version: number): SessionRecord {
  return {
    sessionId: record.sessionId,
    owner,
    status: record.status,
    lastErrorCode: record.lastErrorCode,
    reportId: record.reportId,
    observedAt: record.observedAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    livemode: record.livemode,
    redaction: record.redaction,
    version,
  };
}

/** The order of `listSessions`: newest `createdAt` first, ties by session id descending (as MemoryStore). */
export function newestFirst(a: SessionRecord, b: SessionRecord): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.sessionId === b.sessionId) return 0;
  return a.sessionId < b.sessionId ? 1 : -1;
}

/** A fresh, unguessable reservation id; nothing in it identifies the user. */
export function newReservationId(): string {
  return `res_${globalThis.crypto.randomUUID()}`;
}
