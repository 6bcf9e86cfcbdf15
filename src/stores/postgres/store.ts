import type { Pool } from 'pg';
import type { NewSessionRecord, SessionRecord } from '../../domain.js';
import { StoreUnsupportedError } from '../../errors.js';
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
import { newestFirst } from '../shared/records.js';
import { rowToRecord, type SessionRow } from '../shared/sql-rows.js';
import { classifyPostgresError } from './errors.js';
import { PostgresEvents } from './events.js';
import { PostgresFused } from './fused.js';
import { PostgresLedger, sessionValues } from './ledger.js';
import { type PostgresTables, postgresSchema, postgresTables } from './schema.js';
import { guardClient } from './transaction.js';

/** Options of {@link PostgresStore}. */
export interface PostgresStoreOptions {
  /** Prefix of every table name (identifier characters only; PostgreSQL folds it to lower case). Default `sik_`. */
  tablePrefix?: string;
  /** Upper bound of each call, after which it fails with `StoreUnavailableError`. Default 2000 ms. */
  timeoutMs?: number;
}

/** What {@link PostgresStore.prune} removed. */
export interface PostgresPruneResult {
  /** Ledger entries (sessions and submissions) older than the window. */
  ledgerEntries: number;
  /** Event claims and done-markers whose time has passed. */
  events: number;
}

/** PostgreSQL 12 is the oldest release still tested against. */
const MINIMUM_SERVER_VERSION = 120000;

/**
 * An {@link IdentityStore} in PostgreSQL through `pg`, shared by every app instance. Call
 * `await store.migrate()` once before use. Single statements with `ON CONFLICT` where one suffices,
 * transactions with row locks for reservations and commits. The pool stays yours: the store never ends it;
 * it adds a no-op 'error' listener to each client the pool opens from then on, so that a connection the
 * server terminates (failover, `pg_terminate_backend`) fails calls instead of crashing the process.
 */
export class PostgresStore implements IdentityStore {
  readonly name = 'postgres';
  readonly capabilities: StoreCapabilities = { atomic: true, sharedAcrossProcesses: true, durable: true };

  readonly #pool: Pool;
  readonly #t: PostgresTables;
  readonly #timeoutMs: number;
  readonly #ledger: PostgresLedger;
  readonly #events: PostgresEvents;
  readonly #fused: PostgresFused;
  readonly #prefix: string;

  constructor(pool: Pool, options: PostgresStoreOptions = {}) {
    this.#pool = pool;
    // A connection the server terminates between queries must fail the next call, not crash the process.
    if (typeof pool.on === 'function') pool.on('connect', guardClient);
    this.#prefix = resolveTablePrefix(options.tablePrefix, 'sik_').toLowerCase();
    this.#t = postgresTables(this.#prefix);
    this.#timeoutMs = resolveTimeout(options.timeoutMs);
    this.#ledger = new PostgresLedger(pool, this.#t, this.#timeoutMs);
    this.#events = new PostgresEvents(pool, this.#t.events);
    this.#fused = new PostgresFused(pool, this.#t);
  }

  /** Checks that the server is PostgreSQL 12 or later; `StoreUnsupportedError` otherwise. */
  async verify(): Promise<void> {
    await this.#call('verify', async () => {
      const { rows } = await this.#pool.query<{ version: number }>(
        `SELECT current_setting('server_version_num')::int AS version`,
      );
      const version = rows[0]?.version ?? 0;
      if (version < MINIMUM_SERVER_VERSION) {
        throw new StoreUnsupportedError(
          `The postgres store needs PostgreSQL 12 or later; this server reports version number ${version}.`,
        );
      }
    });
  }

  /**
   * Creates the tables if they do not exist. Safe to run from several instances at once: an advisory
   * lock per table prefix serialises them. Checks the server version first.
   */
  async migrate(): Promise<void> {
    await this.verify();
    await this.#call('migrate', async () => {
      const client = await this.#pool.connect();
      // See inTransaction: a checked-out client needs its own 'error' listener.
      const ignore = () => {};
      client.on('error', ignore);
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `stripe-identity-kit:${this.#prefix}`,
        ]);
        await client.query(postgresSchema(this.#t));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.off('error', ignore);
        client.release();
      }
    });
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    return this.#call('getSession', async () => {
      const { rows } = await this.#pool.query<SessionRow>(
        `SELECT * FROM ${this.#t.sessions} WHERE session_id = $1`,
        [sessionId],
      );
      return rows[0] ? rowToRecord(rows[0]) : null;
    });
  }

  async listSessions(owner: string): Promise<SessionRecord[]> {
    return this.#call('listSessions', async () => {
      const { rows } = await this.#pool.query<SessionRow>(
        `SELECT * FROM ${this.#t.sessions} WHERE owner = $1`,
        [owner],
      );
      return rows.map(rowToRecord).sort(newestFirst);
    });
  }

  async insertSession(record: NewSessionRecord): Promise<SessionRecord | null> {
    return this.#call('insertSession', async () => {
      const { rows } = await this.#pool.query<SessionRow>(
        `INSERT INTO ${this.#t.sessions} (session_id, owner, status, last_error_code, report_id, observed_at,
           created_at, updated_at, livemode, redaction, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)
         ON CONFLICT (session_id) DO NOTHING RETURNING *`,
        sessionValues(record),
      );
      return rows[0] ? rowToRecord(rows[0]) : null;
    });
  }

  async updateSession(record: SessionRecord): Promise<SessionRecord | null> {
    return this.#call('updateSession', async () => {
      const [sessionId, , ...rest] = sessionValues(record);
      const { rows } = await this.#pool.query<SessionRow>(
        `UPDATE ${this.#t.sessions} SET status = $3, last_error_code = $4, report_id = $5, observed_at = $6,
           created_at = $7, updated_at = $8, livemode = $9, redaction = $10, version = version + 1
         WHERE session_id = $1 AND version = $2 RETURNING *`,
        [sessionId, record.version, ...rest],
      );
      return rows[0] ? rowToRecord(rows[0]) : null;
    });
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    return this.#call('deleteSession', async () => {
      const result = await this.#pool.query(`DELETE FROM ${this.#t.sessions} WHERE session_id = $1`, [
        sessionId,
      ]);
      return result.rowCount === 1;
    });
  }

  async reserveSessionSlot(subject: string, input: ReserveSlotInput): Promise<SlotReservation> {
    return this.#call('reserveSessionSlot', () => this.#ledger.reserve(subject, input));
  }

  async commitSessionSlot(
    subject: string,
    reservationId: string,
    record: NewSessionRecord,
  ): Promise<boolean> {
    return this.#call('commitSessionSlot', () => this.#ledger.commit(subject, reservationId, record));
  }

  async releaseSessionSlot(
    subject: string,
    reservationId: string,
    options: ReleaseSlotOptions = {},
  ): Promise<void> {
    await this.#call('releaseSessionSlot', () => this.#ledger.release(subject, reservationId, options));
  }

  async recordSubmission(subject: string, submission: { reportId: string; at: number }): Promise<boolean> {
    return this.#call('recordSubmission', async () => {
      const result = await this.#pool.query(
        `INSERT INTO ${this.#t.submissions} (subject, report_id, at) VALUES ($1, $2, $3)
         ON CONFLICT (subject, report_id) DO NOTHING`,
        [subject, submission.reportId, submission.at],
      );
      return result.rowCount === 1;
    });
  }

  async attemptUsage(subject: string, window: { now: number; windowMs: number }): Promise<AttemptUsage> {
    return this.#call('attemptUsage', () => this.#ledger.usage(subject, window.now - window.windowMs));
  }

  async claimEvent(eventId: string, claim: { now: number; leaseMs: number }): Promise<EventClaim> {
    return this.#call('claimEvent', () => this.#events.claim(eventId, claim.now, claim.now + claim.leaseMs));
  }

  /** See `IdentityStore.claimEventWithSession`: one statement. */
  async claimEventWithSession(
    eventId: string,
    claim: { now: number; leaseMs: number },
    sessionId: string,
  ): Promise<{ claim: EventClaim; session: SessionRecord | null }> {
    return this.#call('claimEventWithSession', () =>
      this.#fused.claimEventWithSession(eventId, claim, sessionId),
    );
  }

  /** See `IdentityStore.writeSession`: one statement. */
  async writeSession(write: SessionWrite): Promise<SessionWriteResult> {
    return this.#call('writeSession', () => this.#fused.writeSession(write));
  }

  /** See `IdentityStore.settleEvents`: one statement. */
  async settleEvents(settlement: EventSettlement): Promise<void> {
    await this.#call('settleEvents', () => this.#fused.settleEvents(settlement));
  }

  async completeEvent(eventId: string, done: { now: number; retainMs: number }): Promise<void> {
    await this.#call('completeEvent', () => this.#events.complete(eventId, done.now + done.retainMs));
  }

  async takeLinkRefresh(subject: string, take: LinkTakeInput): Promise<number | null> {
    return this.#call('takeLinkRefresh', () => this.#ledger.takeLink(subject, take));
  }

  async releaseEvent(eventId: string): Promise<void> {
    await this.#call('releaseEvent', () => this.#events.release(eventId));
  }

  /**
   * Deletes what no decision needs any more: ledger entries at or before `now - windowMs` (the ordinal
   * counters stay) and event markers whose time has passed. Run it from a periodic job; use the longest
   * window your limits use. A report id pruned here would be counted again if it were ever re-recorded.
   */
  async prune(input: { now: number; windowMs: number }): Promise<PostgresPruneResult> {
    const since = input.now - input.windowMs;
    return this.#call('prune', async () => {
      const sessions = await this.#ledger.prune(since);
      const submissions = await this.#pool.query(`DELETE FROM ${this.#t.submissions} WHERE at <= $1`, [
        since,
      ]);
      const events = await this.#events.prune(input.now);
      return { ledgerEntries: sessions + (submissions.rowCount ?? 0), events };
    });
  }

  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return bounded({ store: this.name, operation }, this.#timeoutMs, run, classifyPostgresError);
  }
}
