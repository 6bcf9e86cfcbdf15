import type { NewSessionRecord, SessionRecord } from '../../domain.js';
import { pickRecordFields } from '../shared/records.js';

/** The mutable part of a record, stored as JSON in the session hash (owner and version live beside it). */
type StoredBody = Omit<NewSessionRecord, 'sessionId' | 'owner'>;

/** Encodes exactly the fields a store may keep; anything else on the object is dropped. */
export function encodeBody(record: NewSessionRecord): string {
  const { sessionId: _sessionId, owner: _owner, ...body }: NewSessionRecord = pickRecordFields(record);
  return JSON.stringify(body satisfies StoredBody);
}

/** Rebuilds a record from the session hash fields `u` (owner), `v` (version) and `d` (body). */
export function decodeRecord(
  sessionId: string,
  owner: string,
  version: string | number,
  body: string,
): SessionRecord {
  const stored = JSON.parse(body) as StoredBody;
  return {
    sessionId,
    owner: owner,
    status: stored.status,
    lastErrorCode: stored.lastErrorCode,
    reportId: stored.reportId,
    observedAt: stored.observedAt,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    livemode: stored.livemode,
    redaction: stored.redaction,
    version: Number(version),
  };
}

/** A number as Redis and Lua will parse it back exactly. */
export function num(value: number): string {
  return String(value);
}

/** Keys outlive their decisions by this much, so that a skew between Redis's clock and `now` is harmless. */
const GC_MARGIN_MS = 24 * 60 * 60 * 1000;

/** A PEXPIRE argument: `ms` plus the margin, as an integer string. TTLs only collect garbage. */
export function ttl(ms: number): string {
  return num(Math.ceil(ms + GC_MARGIN_MS));
}
