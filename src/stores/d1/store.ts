import type { NewSessionRecord, SessionRecord } from '../../domain.js';
import type {
  AttemptUsage,
  EventClaim,
  EventSettlement,
  IdentityStore,
  LinkTakeInput,
  ReleaseSlotOptions,
  ReserveSlotInput,
  SessionWrite,
  SessionWriteResult,
  SlotReservation,
  StoreCapabilities,
} from '../contract.js';
import { bounded } from '../shared/bounded.js';
import { resolveTablePrefix, resolveTimeout } from '../shared/options.js';
import { newestFirst, newReservationId } from '../shared/records.js';
import { rowToRecord, type SessionRow } from '../shared/sql-rows.js';
import { insertParams, recordColumns } from '../sqlite/params.js';
import { sqliteTables } from '../sqlite/schema.js';
import type { D1DatabaseLike, D1ResultLike, D1StatementLike, D1Value } from './binding.js';
import { classifyD1Error } from './errors.js';
import {
  type D1FusedSql,
  d1FusedSql,
  planClaimWithSession,
  planSessionWrite,
  planSettlement,
} from './fused.js';
import { readLinkTake, readReservation } from './ledger.js';
import type { D1PruneResult, D1StoreOptions } from './options.js';
import { changes, rows, times } from './results.js';
import { type D1Sql, d1MigrationStatements, d1Sql } from './sql.js';

/**
 * An {@link IdentityStore} on Cloudflare D1, for Workers: durable, and shared by every Worker instance
 * bound to the database. Every multi-step call is one conditional statement or one `batch` (which D1 runs
 * as a transaction), so concurrent instances never interleave inside a call. Apply the migration first
 * ({@link D1Store.migrationSql}, or {@link D1Store.migrate}).
 */
export class D1Store implements IdentityStore {
  readonly name = 'd1';
  readonly capabilities: StoreCapabilities = { atomic: true, sharedAcrossProcesses: true, durable: true };

  readonly #db: D1DatabaseLike;
  readonly #prefix: string;
  readonly #sql: D1Sql;
  readonly #fused: D1FusedSql;
  readonly #timeoutMs: number;

  /** @param db the D1 binding, such as `env.DB`. */
  constructor(db: D1DatabaseLike, options: D1StoreOptions = {}) {
    this.#db = db;
    this.#prefix = resolveTablePrefix(options.tablePrefix, 'sik_');
    this.#sql = d1Sql(sqliteTables(this.#prefix));
    this.#fused = d1FusedSql(sqliteTables(this.#prefix));
    this.#timeoutMs = resolveTimeout(options.timeoutMs);
  }

  /**
   * The migration for `wrangler d1 migrations` (a `migrations/0001_identity.sql` file): the tables and
   * indexes for `tablePrefix` (default `sik_`), idempotent.
   */
  static migrationSql(options: { tablePrefix?: string } = {}): string {
    const prefix = resolveTablePrefix(options.tablePrefix, 'sik_');
    return `${d1MigrationStatements(prefix).join(';\n')};\n`;
  }

  /** Creates the tables if they are missing, in one batch; safe to run from every instance at once. */
  async migrate(): Promise<void> {
    await this.#call('migrate', () =>
      this.#db.batch(d1MigrationStatements(this.#prefix).map((sql) => this.#db.prepare(sql))),
    );
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    const result = await this.#call('getSession', () =>
      this.#all<SessionRow>(this.#sql.getSession, sessionId),
    );
    const row = rows(result)[0];
    return row ? rowToRecord(row) : null;
  }

  async listSessions(owner: string): Promise<SessionRecord[]> {
    const result = await this.#call('listSessions', () =>
      this.#all<SessionRow>(this.#sql.listSessions, owner),
    );
    return rows(result).map(rowToRecord).sort(newestFirst);
  }

  async insertSession(record: NewSessionRecord): Promise<SessionRecord | null> {
    const result = await this.#call('insertSession', () =>
      this.#all<SessionRow>(
        this.#sql.insertSession,
        record.sessionId,
        record.owner,
        ...recordColumns(record),
      ),
    );
    const row = rows(result)[0];
    return row ? rowToRecord(row) : null;
  }

  async updateSession(record: SessionRecord): Promise<SessionRecord | null> {
    const result = await this.#call('updateSession', () =>
      this.#all<SessionRow>(
        this.#sql.updateSession,
        ...recordColumns(record),
        record.sessionId,
        record.version,
      ),
    );
    const row = rows(result)[0];
    return row ? rowToRecord(row) : null;
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    return (
      changes(await this.#call('deleteSession', () => this.#all(this.#sql.deleteSession, sessionId))) > 0
    );
  }

  async reserveSessionSlot(subject: string, input: ReserveSlotInput): Promise<SlotReservation> {
    const since = input.now - input.windowMs;
    const reservationId = newReservationId();
    const [, , reserved, ledger, inWindow] = await this.#batch('reserveSessionSlot', [
      [this.#sql.ensureLedger, subject],
      [this.#sql.pruneLedgerSessions, subject, since],
      [this.#sql.reserve, subject, since, input.now, input.limit, reservationId, input.now + input.leaseMs],
      [this.#sql.getLedger, subject],
      [this.#sql.sessionsInWindow, subject, since],
    ]);
    return readReservation({ reserved, ledger, inWindow }, input, reservationId);
  }

  async commitSessionSlot(
    subject: string,
    reservationId: string,
    record: NewSessionRecord,
  ): Promise<boolean> {
    const [, held] = await this.#batch('commitSessionSlot', [
      [this.#sql.ensureLedger, subject],
      [this.#sql.clearPending, subject, reservationId],
      // A session is counted once by its id, even if its lease ran out or a webhook recorded it first.
      [this.#sql.countCommit, subject, record.sessionId],
      [this.#sql.countSession, subject, record.sessionId, record.createdAt],
      [this.#sql.insertSession, ...insertParams(record)],
    ]);
    return changes(held) > 0;
  }

  async releaseSessionSlot(
    subject: string,
    reservationId: string,
    options: ReleaseSlotOptions = {},
  ): Promise<void> {
    const sql = options.retireKey
      ? this.#sql.releaseRetire
      : options.indeterminate
        ? this.#sql.releaseIndeterminate
        : this.#sql.releasePlain;
    await this.#call('releaseSessionSlot', () => this.#all(sql, subject, reservationId));
  }

  async takeLinkRefresh(subject: string, take: LinkTakeInput): Promise<number | null> {
    const since = take.now - take.windowMs;
    const [, taken, inWindow] = await this.#batch('takeLinkRefresh', [
      // Idle windows of every subject go too, so the table holds at most a window of takes.
      [this.#sql.pruneLinks, since],
      [this.#sql.takeLink, subject, since, take.now, take.limit],
      [this.#sql.linksInWindow, subject, since, take.now],
    ]);
    return readLinkTake(taken, inWindow, take);
  }

  async recordSubmission(subject: string, submission: { reportId: string; at: number }): Promise<boolean> {
    const result = await this.#call('recordSubmission', () =>
      this.#all(this.#sql.insertSubmission, subject, submission.reportId, submission.at),
    );
    return changes(result) > 0;
  }

  async attemptUsage(subject: string, window: { now: number; windowMs: number }): Promise<AttemptUsage> {
    const since = window.now - window.windowMs;
    // One batch, so that both lists come from the same transaction.
    const [sessions, submissions] = await this.#batch('attemptUsage', [
      [this.#sql.sessionsInWindow, subject, since],
      [this.#sql.submissionsSince, subject, since],
    ]);
    return { sessions: times(sessions, 'created_at'), submissions: times(submissions, 'at') };
  }

  async claimEvent(eventId: string, claim: { now: number; leaseMs: number }): Promise<EventClaim> {
    const [claimed, current] = await this.#batch('claimEvent', [
      [this.#sql.claimEvent, eventId, claim.now, claim.now + claim.leaseMs],
      [this.#sql.getEvent, eventId],
    ]);
    if (changes(claimed) > 0) return 'claimed';
    return rows(current)[0]?.state === 'done' ? 'done' : 'in_flight';
  }

  async completeEvent(eventId: string, done: { now: number; retainMs: number }): Promise<void> {
    await this.#call('completeEvent', () =>
      this.#all(this.#sql.completeEvent, eventId, done.now + done.retainMs),
    );
  }

  async releaseEvent(eventId: string): Promise<void> {
    await this.#call('releaseEvent', () => this.#all(this.#sql.releaseEvent, eventId));
  }

  /** `claimEvent` and `getSession` in one batch: one round trip per webhook delivery's first step. */
  async claimEventWithSession(
    eventId: string,
    claim: { now: number; leaseMs: number },
    sessionId: string,
  ): Promise<{ claim: EventClaim; session: SessionRecord | null }> {
    const plan = planClaimWithSession(this.#sql, eventId, claim, sessionId);
    return plan.read(await this.#batch('claimEventWithSession', plan.statements));
  }

  /** A session write and, only if it takes effect, its submission, claim and listing: one batch. */
  async writeSession(write: SessionWrite): Promise<SessionWriteResult> {
    const plan = planSessionWrite(write, this.#sql, this.#fused);
    return plan.read(await this.#batch('writeSession', plan.statements));
  }

  /** Completes and releases several events in one batch. */
  async settleEvents(settlement: EventSettlement): Promise<void> {
    const statements = planSettlement(this.#sql, settlement);
    if (statements.length > 0) await this.#batch('settleEvents', statements);
  }

  /**
   * Deletes what no decision needs any more: ledger entries at or before `now - windowMs` (the ordinal
   * counters stay) and event markers whose time has passed. Run it from a Cron Trigger with your longest
   * window.
   */
  async prune(input: { now: number; windowMs: number }): Promise<D1PruneResult> {
    const since = input.now - input.windowMs;
    const [entries, submissions, events] = await this.#batch('prune', [
      [this.#sql.pruneLedgerEntries, since],
      [this.#sql.pruneSubmissions, since],
      [this.#sql.pruneEvents, input.now],
    ]);
    return { ledgerEntries: changes(entries) + changes(submissions), events: changes(events) };
  }

  #statement(sql: string, values: D1Value[]): D1StatementLike {
    return this.#db.prepare(sql).bind(...values);
  }

  #all<Row = Record<string, unknown>>(sql: string, ...values: D1Value[]): Promise<D1ResultLike<Row>> {
    return this.#statement(sql, values).all<Row>();
  }

  /** Runs the statements as one D1 batch: one transaction, all or nothing. */
  #batch(
    operation: string,
    statements: Array<[string, ...D1Value[]]>,
  ): Promise<Array<D1ResultLike | undefined>> {
    return this.#call(operation, () =>
      this.#db.batch(statements.map(([sql, ...values]) => this.#statement(sql, values))),
    );
  }

  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return bounded({ store: this.name, operation }, this.#timeoutMs, run, classifyD1Error);
  }
}

export type { D1PruneResult, D1StoreOptions } from './options.js';
