import type { NewSessionRecord, SessionRecord } from '../../domain.js';
import { ConfigError } from '../../errors.js';
import type {
  AttemptUsage,
  EventClaim,
  IdentityStore,
  LinkTakeInput,
  ReleaseSlotOptions,
  ReserveSlotInput,
  SlotReservation,
  StoreCapabilities,
} from '../contract.js';
import { unavailable } from '../shared/bounded.js';
import { resolveTablePrefix, resolveTimeout } from '../shared/options.js';
import { newestFirst, newReservationId } from '../shared/records.js';
import { rowToRecord, type SessionRow } from '../shared/sql-rows.js';
import { openSqlite, rollback } from './connection.js';
import type { SqliteDriver, SqliteSource } from './drivers/index.js';
import type { SqlitePruneResult, SqliteStoreOptions } from './options.js';
import { insertParams, numbers, recordColumns } from './params.js';
import { sqliteTables } from './schema.js';
import { prepareStatements, type SqliteStatements } from './statements.js';

interface LedgerRow {
  ordinals: number;
  reconcile: number;
  pending_id: string | null;
  pending_until: number | null;
}

interface EventRow {
  state: 'in_flight' | 'done';
  until_ms: number;
}

/**
 * An {@link IdentityStore} in SQLite, through better-sqlite3 or Node's built-in `node:sqlite`: a file
 * shared by every process on one machine (WAL mode, `BEGIN IMMEDIATE` around each multi-step call), or
 * `:memory:` for one process. Tables are created on construction.
 */
export class SqliteStore implements IdentityStore {
  readonly name = 'sqlite';
  readonly capabilities: StoreCapabilities;

  /** The driver that opened the database: `better-sqlite3` or `node:sqlite`. */
  readonly driver: SqliteDriver['name'];

  readonly #db: SqliteDriver;
  readonly #ownsDb: boolean;
  readonly #sql: SqliteStatements;

  /**
   * @param filename a path, `:memory:`, or an open better-sqlite3 `Database` or node:sqlite `DatabaseSync`
   * (which stays yours to close; its `busy_timeout` is set to `timeoutMs`).
   */
  constructor(filename: SqliteSource, options: SqliteStoreOptions = {}) {
    const prefix = resolveTablePrefix(options.tablePrefix, 'sik_');
    if (/^sqlite_/i.test(prefix)) {
      // SQLite reserves these names for itself and refuses to create the tables.
      throw new ConfigError(
        'tablePrefix',
        `must not start with "sqlite_" (reserved by SQLite), got ${JSON.stringify(prefix)}`,
      );
    }
    const connection = openSqlite(filename, options.driver, prefix, resolveTimeout(options.timeoutMs));
    this.#db = connection.db;
    this.driver = connection.db.name;
    this.#ownsDb = connection.owned;
    this.capabilities = {
      atomic: true,
      sharedAcrossProcesses: !connection.inMemory,
      durable: !connection.inMemory,
    };
    this.#sql = prepareStatements(this.#db, sqliteTables(prefix));
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    const row = this.#guard(
      'getSession',
      () => this.#sql.getSession.get(sessionId) as SessionRow | undefined,
    );
    return row ? rowToRecord(row) : null;
  }

  async listSessions(owner: string): Promise<SessionRecord[]> {
    const rows = this.#guard(
      'listSessions',
      () => this.#sql.listSessions.all(owner) as unknown as SessionRow[],
    );
    return rows.map(rowToRecord).sort(newestFirst);
  }

  async insertSession(record: NewSessionRecord): Promise<SessionRecord | null> {
    const row = this.#guard(
      'insertSession',
      () => this.#sql.insertSession.get(...insertParams(record)) as SessionRow | undefined,
    );
    return row ? rowToRecord(row) : null;
  }

  async updateSession(record: SessionRecord): Promise<SessionRecord | null> {
    const row = this.#guard(
      'updateSession',
      () =>
        this.#sql.updateSession.get(...recordColumns(record), record.sessionId, record.version) as
          | SessionRow
          | undefined,
    );
    return row ? rowToRecord(row) : null;
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    return this.#guard('deleteSession', () => this.#sql.deleteSession.run(sessionId) > 0);
  }

  async reserveSessionSlot(subject: string, input: ReserveSlotInput): Promise<SlotReservation> {
    return this.#immediate('reserveSessionSlot', () => {
      const ledger = this.#ledger(subject);
      if (ledger.pending_id !== null && ledger.pending_until !== null && ledger.pending_until > input.now) {
        return { outcome: 'busy', until: ledger.pending_until };
      }
      const since = input.now - input.windowMs;
      this.#sql.pruneLedgerSessions.run(subject, since);
      const inWindow = numbers(this.#sql.ledgerSessionsSince.all(subject, since), 'at');
      if (inWindow.length >= input.limit) {
        const oldest = inWindow[inWindow.length - input.limit] ?? input.now;
        return { outcome: 'limit', retryAt: oldest + input.windowMs };
      }
      const reservationId = newReservationId();
      this.#sql.setPending.run(reservationId, input.now + input.leaseMs, subject);
      return {
        outcome: 'reserved',
        reservationId,
        ordinal: ledger.ordinals + 1,
        reconcile: ledger.reconcile === 1,
      };
    });
  }

  async commitSessionSlot(
    subject: string,
    reservationId: string,
    record: NewSessionRecord,
  ): Promise<boolean> {
    return this.#immediate('commitSessionSlot', () => {
      this.#sql.ensureLedger.run(subject);
      const held = this.#sql.clearPending.run(subject, reservationId) > 0;
      // A session is counted once by its id, even if its lease ran out or a webhook recorded it first.
      if (this.#sql.countSession.run(subject, record.sessionId, record.createdAt) > 0) {
        this.#sql.countCommit.run(subject);
      }
      this.#sql.insertSession.get(...insertParams(record));
      return held;
    });
  }

  async releaseSessionSlot(
    subject: string,
    reservationId: string,
    options: ReleaseSlotOptions = {},
  ): Promise<void> {
    this.#immediate('releaseSessionSlot', () => {
      const held = this.#sql.clearPending.run(subject, reservationId) > 0;
      if (!held) return;
      if (options.retireKey) this.#sql.retireKey.run(subject);
      else if (options.indeterminate) this.#sql.markReconcile.run(subject);
    });
  }

  async takeLinkRefresh(subject: string, take: LinkTakeInput): Promise<number | null> {
    return this.#immediate('takeLinkRefresh', () => {
      // Idle windows of every subject go too, so the table holds at most a minute of takes.
      this.#sql.pruneLinks.run(take.now - take.windowMs);
      const times = numbers(this.#sql.linksSince.all(subject, take.now - take.windowMs, take.now), 'at');
      if (times.length >= take.limit) return (times[times.length - take.limit] ?? take.now) + take.windowMs;
      this.#sql.insertLink.run(subject, take.now);
      return null;
    });
  }

  async recordSubmission(subject: string, submission: { reportId: string; at: number }): Promise<boolean> {
    return this.#guard(
      'recordSubmission',
      () => this.#sql.insertSubmission.run(subject, submission.reportId, submission.at) > 0,
    );
  }

  async attemptUsage(subject: string, window: { now: number; windowMs: number }): Promise<AttemptUsage> {
    const since = window.now - window.windowMs;
    // One read transaction, so that both lists come from the same snapshot.
    return this.#transaction('attemptUsage', 'BEGIN', () => ({
      sessions: numbers(this.#sql.ledgerSessionsSince.all(subject, since), 'at'),
      submissions: numbers(this.#sql.submissionsSince.all(subject, since), 'at'),
    }));
  }

  async claimEvent(eventId: string, claim: { now: number; leaseMs: number }): Promise<EventClaim> {
    return this.#immediate('claimEvent', () => {
      const current = this.#sql.getEvent.get(eventId) as EventRow | undefined;
      if (current && current.until_ms > claim.now) return current.state;
      this.#sql.putEvent.run(eventId, 'in_flight', claim.now + claim.leaseMs);
      return 'claimed';
    });
  }

  async completeEvent(eventId: string, done: { now: number; retainMs: number }): Promise<void> {
    this.#guard('completeEvent', () => this.#sql.putEvent.run(eventId, 'done', done.now + done.retainMs));
  }

  async releaseEvent(eventId: string): Promise<void> {
    this.#guard('releaseEvent', () => this.#sql.releaseEvent.run(eventId));
  }

  /**
   * Deletes what no decision needs any more: ledger entries at or before `now - windowMs` (the ordinal
   * counters stay) and event markers whose time has passed. Run it from a periodic job; use the longest
   * window your limits use. A report id pruned here would be counted again if it were ever re-recorded.
   */
  async prune(input: { now: number; windowMs: number }): Promise<SqlitePruneResult> {
    const since = input.now - input.windowMs;
    return this.#immediate('prune', () => ({
      ledgerEntries: this.#sql.pruneLedgerEntries.run(since) + this.#sql.pruneSubmissions.run(since),
      events: this.#sql.pruneEvents.run(input.now),
    }));
  }

  /** Closes the database if this store opened it (a `Database` you passed in stays open). */
  async close(): Promise<void> {
    if (this.#ownsDb) this.#db.close();
  }

  #ledger(subject: string): LedgerRow {
    this.#sql.ensureLedger.run(subject);
    return this.#sql.getLedger.get(subject) as unknown as LedgerRow;
  }

  /** A multi-step call: `BEGIN IMMEDIATE` takes the write lock first, so no other connection interleaves. */
  #immediate<T>(operation: string, run: () => T): T {
    return this.#transaction(operation, 'BEGIN IMMEDIATE', run);
  }

  /** Runs `run` between `begin` and `COMMIT`, rolled back if anything in it throws (both drivers alike). */
  #transaction<T>(operation: string, begin: 'BEGIN' | 'BEGIN IMMEDIATE', run: () => T): T {
    return this.#guard(operation, () => {
      this.#db.exec(begin);
      try {
        const result = run();
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        rollback(this.#db);
        throw error;
      }
    });
  }

  #guard<T>(operation: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw unavailable(error, { store: this.name, operation });
    }
  }
}

export type { SqlitePruneResult, SqliteStoreOptions } from './options.js';
