import type { SessionRecord } from '../../domain.js';
import type { EventClaim, EventSettlement, SessionWrite, SessionWriteResult } from '../contract.js';
import { newestFirst } from '../shared/records.js';
import { rowToRecord, type SessionRow } from '../shared/sql-rows.js';
import { insertParams, recordColumns } from '../sqlite/params.js';
import type { SqliteTables } from '../sqlite/schema.js';
import type { D1ResultLike, D1Value } from './binding.js';
import type { D1Sql } from './sql.js';

/**
 * SQL of the optional fused operations on D1. A fused write runs as one batch (one transaction, one round
 * trip). Its extras (a submission count, an event claim, a ledger count) must happen only if the write
 * takes effect, and a batch cannot branch; so they run first, each guarded by the condition under which
 * the write that follows will succeed (the stored version still equals the expected one; no record with
 * the id yet). Inside the transaction nothing changes in between, so the guard and the write agree.
 */
export function d1FusedSql(t: SqliteTables) {
  const versionHolds = `EXISTS (SELECT 1 FROM ${t.sessions} WHERE session_id = ?4 AND version = ?5)`;
  const idIsFree = `NOT EXISTS (SELECT 1 FROM ${t.sessions} WHERE session_id = ?4)`;
  /** ?1 subject, ?2 report id, ?3 time; then the guard's parameters. */
  const submission = (guard: string) => `INSERT INTO ${t.submissions} (subject, report_id, at)
      SELECT ?1, ?2, ?3 WHERE ${guard} ON CONFLICT (subject, report_id) DO NOTHING`;
  /** ?1 event id, ?2 now, ?3 lease end; then the guard's parameters. */
  const claim = (guard: string) => `INSERT INTO ${t.events} (event_id, state, until_ms)
      SELECT ?1, 'in_flight', ?3 WHERE ${guard}
      ON CONFLICT (event_id) DO UPDATE SET state = 'in_flight', until_ms = excluded.until_ms
      WHERE ${t.events}.until_ms <= ?2`;
  /** ?1 event id, ?2 until when the done marker is kept; then the guard's parameters (?3 unused). */
  const complete = (guard: string) => `INSERT INTO ${t.events} (event_id, state, until_ms)
      SELECT ?1, 'done', ?2 WHERE ${guard}
      ON CONFLICT (event_id) DO UPDATE SET state = 'done', until_ms = excluded.until_ms`;
  return {
    completeIfVersion: complete(versionHolds),
    completeIfNew: complete(idIsFree),
    submissionIfVersion: submission(versionHolds),
    claimIfVersion: claim(versionHolds),
    submissionIfNew: submission(idIsFree),
    claimIfNew: claim(idIsFree),
    /** ?1 subject, ?4 session id: the ordinal moves once per counted id, and only for a new record. */
    countCommitIfNew: `UPDATE ${t.ledgers} SET ordinals = ordinals + 1, reconcile = 0
      WHERE subject = ?1 AND ${idIsFree} AND NOT EXISTS (
        SELECT 1 FROM ${t.ledgerSessions} WHERE subject = ?1 AND session_id = ?4)`,
    /** ?1 subject, ?3 created at, ?4 session id. */
    countSessionIfNew: `INSERT OR IGNORE INTO ${t.ledgerSessions} (subject, session_id, created_at)
      SELECT ?1, ?4, ?3 WHERE ${idIsFree}`,
  };
}

/** The statements of {@link d1FusedSql}. */
export type D1FusedSql = ReturnType<typeof d1FusedSql>;

type Statement = [string, ...D1Value[]];

/** A fused write as one batch, and how to read its results. */
export interface SessionWritePlan {
  statements: Statement[];
  read(results: Array<D1ResultLike | undefined>): SessionWriteResult;
}

const NOTHING: SessionWriteResult = { record: null, submissionCounted: false, claim: null, sessions: null };

/**
 * `writeSession` in one batch: the guarded extras (ledger count, submission, claim, the event's
 * completion), the event's state (to answer a refused claim), the write itself with `RETURNING`, and the
 * owner's listing for an insert that asks for it.
 */
export function planSessionWrite(write: SessionWrite, sql: D1Sql, fused: D1FusedSql): SessionWritePlan {
  const id = write.record.sessionId;
  const guard: D1Value[] = write.kind === 'update' ? [id, write.record.version] : [id];
  const statements: Statement[] = [];
  if (write.kind === 'insert' && write.countFor !== null) {
    statements.push(
      [sql.ensureLedger, write.countFor],
      [fused.countCommitIfNew, write.countFor, null, null, id],
      [fused.countSessionIfNew, write.countFor, null, write.record.createdAt, id],
    );
  }
  const submissionAt = statements.length;
  if (write.submission) {
    const { subject, reportId, at } = write.submission;
    const submission = write.kind === 'update' ? fused.submissionIfVersion : fused.submissionIfNew;
    statements.push([submission, subject, reportId, at, ...guard]);
  }
  const claimAt = statements.length;
  if (write.claim) {
    const { eventId, now, leaseMs } = write.claim;
    const claim = write.kind === 'update' ? fused.claimIfVersion : fused.claimIfNew;
    statements.push([claim, eventId, now, now + leaseMs, ...guard], [sql.getEvent, eventId]);
  }
  if (write.complete) {
    const { eventId, now, retainMs } = write.complete;
    const complete = write.kind === 'update' ? fused.completeIfVersion : fused.completeIfNew;
    statements.push([complete, eventId, now + retainMs, null, ...guard]);
  }
  const writeAt = statements.length;
  statements.push(
    write.kind === 'update'
      ? [sql.updateSession, ...recordColumns(write.record), id, write.record.version]
      : [sql.insertSession, ...insertParams(write.record)],
  );
  const listed = write.kind === 'insert' && write.list === true;
  if (listed) statements.push([sql.listSessions, write.record.owner]);
  return {
    statements,
    read(results) {
      const row = results[writeAt]?.results?.[0] as SessionRow | undefined;
      if (!row) return NOTHING;
      const claimed = (results[claimAt]?.meta?.changes ?? 0) > 0;
      const state = results[claimAt + 1]?.results?.[0]?.state;
      return {
        record: rowToRecord(row),
        submissionCounted: write.submission ? (results[submissionAt]?.meta?.changes ?? 0) > 0 : false,
        claim: write.claim ? (claimed ? 'claimed' : state === 'done' ? 'done' : 'in_flight') : null,
        ...(write.complete ? { completed: true } : {}),
        sessions: listed
          ? ((results[writeAt + 1]?.results ?? []) as unknown as SessionRow[])
              .map(rowToRecord)
              .sort(newestFirst)
          : null,
      };
    },
  };
}

/** `claimEventWithSession` in one batch: the claim, the event's state, the session. */
export function planClaimWithSession(
  sql: D1Sql,
  eventId: string,
  claim: { now: number; leaseMs: number },
  sessionId: string,
): { statements: Statement[]; read(results: Array<D1ResultLike | undefined>): ClaimWithSession } {
  return {
    statements: [
      [sql.claimEvent, eventId, claim.now, claim.now + claim.leaseMs],
      [sql.getEvent, eventId],
      [sql.getSession, sessionId],
    ],
    read([claimed, current, session]) {
      const row = session?.results?.[0] as SessionRow | undefined;
      const state = current?.results?.[0]?.state;
      return {
        claim: (claimed?.meta?.changes ?? 0) > 0 ? 'claimed' : state === 'done' ? 'done' : 'in_flight',
        session: row ? rowToRecord(row) : null,
      };
    },
  };
}

/** `settleEvents` in one batch: every completion, then every release. */
export function planSettlement(sql: D1Sql, settlement: EventSettlement): Statement[] {
  return [
    ...settlement.complete.map(
      (id): Statement => [sql.completeEvent, id, settlement.now + settlement.retainMs],
    ),
    ...settlement.release.map((id): Statement => [sql.releaseEvent, id]),
  ];
}

/** What `claimEventWithSession` answers. */
type ClaimWithSession = { claim: EventClaim; session: SessionRecord | null };
