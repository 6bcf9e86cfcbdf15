import type { Pool } from 'pg';
import type { NewSessionRecord } from '../../domain.js';
import { StoreUnavailableError } from '../../errors.js';
import type { LinkTakeInput, ReleaseSlotOptions, ReserveSlotInput, SlotReservation } from '../contract.js';
import { newReservationId } from '../shared/records.js';
import type { PostgresTables } from './schema.js';
import { inTransaction } from './transaction.js';

/** The ledger row as a reservation that lost sees it. */
interface LedgerView {
  pending_id: string | null;
  pending_until: number | null;
  times: number[];
}

/** A reservation races other callers at most this many times before giving up as unavailable. */
const RESERVE_ROUNDS = 20;

/** The ten values of a session insert, in column order (`version` is always 1). */
export function sessionValues(record: NewSessionRecord): unknown[] {
  return [
    record.sessionId,
    record.owner,
    record.status,
    record.lastErrorCode,
    record.reportId,
    record.observedAt,
    record.createdAt,
    record.updatedAt,
    record.livemode,
    record.redaction,
  ];
}

/** The attempt ledger: one row per subject, changed by single conditional statements where possible. */
export class PostgresLedger {
  readonly #pool: Pool;
  readonly #t: PostgresTables;
  readonly #timeoutMs: number;

  constructor(pool: Pool, tables: PostgresTables, timeoutMs: number) {
    this.#pool = pool;
    this.#t = tables;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * See `IdentityStore.reserveSessionSlot`. The reservation is one UPDATE whose WHERE holds the whole rule
   * (no live reservation, fewer than `limit` sessions in the window); only a caller that did not get the
   * slot reads the row to say why, and decides again if the row changed in between.
   */
  async reserve(subject: string, input: ReserveSlotInput): Promise<SlotReservation> {
    const since = input.now - input.windowMs;
    const reservationId = newReservationId();
    for (let round = 0; round < RESERVE_ROUNDS; round += 1) {
      const taken = await this.#pool.query<{ ordinals: number; reconcile: boolean }>(
        `UPDATE ${this.#t.ledgers}
         SET pending_id = $2, pending_until = $3,
           session_times = ARRAY(SELECT t FROM unnest(session_times) AS t WHERE t > $4 ORDER BY t)
         WHERE subject = $1 AND (pending_id IS NULL OR pending_until <= $5)
           AND (SELECT count(*) FROM unnest(session_times) AS t WHERE t > $4) < $6
         RETURNING ordinals, reconcile`,
        [subject, reservationId, input.now + input.leaseMs, since, input.now, input.limit],
      );
      const won = taken.rows[0];
      if (won)
        return { outcome: 'reserved', reservationId, ordinal: won.ordinals + 1, reconcile: won.reconcile };
      const view = await this.#view(subject, since);
      if (!view) {
        await this.#ensure(subject);
        continue;
      }
      if (view.pending_id !== null && view.pending_until !== null && view.pending_until > input.now) {
        return { outcome: 'busy', until: view.pending_until };
      }
      if (view.times.length >= input.limit) {
        const oldest = view.times[view.times.length - input.limit] ?? input.now;
        return { outcome: 'limit', retryAt: oldest + input.windowMs };
      }
    }
    throw new StoreUnavailableError(
      `The postgres store could not decide a reservation in ${RESERVE_ROUNDS} rounds`,
    );
  }

  /** See `IdentityStore.commitSessionSlot`. */
  commit(subject: string, reservationId: string, record: NewSessionRecord): Promise<boolean> {
    const t = this.#t;
    return inTransaction(this.#pool, this.#timeoutMs, async (client) => {
      await client.query(`INSERT INTO ${t.ledgers} (subject) VALUES ($1) ON CONFLICT (subject) DO NOTHING`, [
        subject,
      ]);
      const released = await client.query(
        `UPDATE ${t.ledgers} SET pending_id = NULL, pending_until = NULL WHERE subject = $1 AND pending_id = $2`,
        [subject, reservationId],
      );
      // A session is counted once by its id, even if its lease ran out or a webhook recorded it first.
      await client.query(
        `WITH counted AS (
           INSERT INTO ${t.counted} (subject, session_id, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (subject, session_id) DO NOTHING RETURNING created_at
         )
         UPDATE ${t.ledgers} SET ordinals = ordinals + 1, reconcile = false,
           session_times = array_append(session_times, (SELECT created_at FROM counted))
         WHERE subject = $1 AND EXISTS (SELECT 1 FROM counted)`,
        [subject, record.sessionId, record.createdAt],
      );
      await client.query(
        `INSERT INTO ${t.sessions} (session_id, owner, status, last_error_code, report_id, observed_at,
           created_at, updated_at, livemode, redaction, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)
         ON CONFLICT (session_id) DO NOTHING`,
        sessionValues(record),
      );
      return released.rowCount === 1;
    });
  }

  /** See `IdentityStore.releaseSessionSlot`: one statement. */
  async release(subject: string, reservationId: string, options: ReleaseSlotOptions): Promise<void> {
    await this.#pool.query(
      `UPDATE ${this.#t.ledgers} SET pending_id = NULL, pending_until = NULL,
         ordinals = ordinals + CASE WHEN $3 THEN 1 ELSE 0 END,
         reconcile = CASE WHEN $3 THEN false WHEN $4 THEN true ELSE reconcile END
       WHERE subject = $1 AND pending_id = $2`,
      [subject, reservationId, options.retireKey === true, options.indeterminate === true],
    );
  }

  /**
   * See `IdentityStore.takeLinkRefresh`: one statement. The row lock of `ON CONFLICT DO UPDATE` serializes
   * takes of one subject; `refused_at` says whether this statement's take was refused.
   */
  async takeLink(subject: string, take: LinkTakeInput): Promise<number | null> {
    const { rows } = await this.#pool.query<{ times: number[]; refused_at: number | null }>(
      `INSERT INTO ${this.#t.links} AS l (subject, times) VALUES ($1, ARRAY[$2]::double precision[])
       ON CONFLICT (subject) DO UPDATE SET
         refused_at = CASE WHEN (SELECT count(*) FROM unnest(l.times) AS t WHERE t > $3 AND t <= $2) >= $4
           THEN $2 ELSE NULL END,
         times = ARRAY(SELECT t FROM unnest(l.times) AS t WHERE t > $3 AND t <= $2 ORDER BY t) ||
           CASE WHEN (SELECT count(*) FROM unnest(l.times) AS t WHERE t > $3 AND t <= $2) >= $4
           THEN '{}'::double precision[] ELSE ARRAY[$2]::double precision[] END
       RETURNING times, refused_at`,
      [subject, take.now, take.now - take.windowMs, take.limit],
    );
    const row = rows[0];
    if (!row || row.refused_at === null) return null;
    return (row.times[row.times.length - take.limit] ?? take.now) + take.windowMs;
  }

  /** See `IdentityStore.attemptUsage`: one statement, so both lists come from one snapshot. */
  async usage(subject: string, since: number): Promise<{ sessions: number[]; submissions: number[] }> {
    const { rows } = await this.#pool.query<{ sessions: number[]; submissions: number[] }>(
      `SELECT
         COALESCE((SELECT ARRAY(SELECT t FROM unnest(session_times) AS t WHERE t > $2 ORDER BY t)
           FROM ${this.#t.ledgers} WHERE subject = $1), '{}') AS sessions,
         ARRAY(SELECT at FROM ${this.#t.submissions} WHERE subject = $1 AND at > $2 ORDER BY at) AS submissions`,
      [subject, since],
    );
    return { sessions: rows[0]?.sessions ?? [], submissions: rows[0]?.submissions ?? [] };
  }

  /** Drops counted-session times at or before `since` from every ledger; returns how many went. */
  async prune(since: number): Promise<number> {
    await this.#pool.query(`DELETE FROM ${this.#t.counted} WHERE created_at <= $1`, [since]);
    const { rows } = await this.#pool.query<{ dropped: number }>(
      `WITH old AS (
         SELECT subject, cardinality(session_times) AS before FROM ${this.#t.ledgers}
         WHERE EXISTS (SELECT 1 FROM unnest(session_times) AS t WHERE t <= $1) FOR UPDATE
       ), pruned AS (
         UPDATE ${this.#t.ledgers} AS l
         SET session_times = ARRAY(SELECT t FROM unnest(l.session_times) AS t WHERE t > $1 ORDER BY t)
         FROM old WHERE l.subject = old.subject
         RETURNING old.before - cardinality(l.session_times) AS dropped
       )
       SELECT COALESCE(sum(dropped), 0)::int AS dropped FROM pruned`,
      [since],
    );
    return rows[0]?.dropped ?? 0;
  }

  async #view(subject: string, since: number): Promise<LedgerView | undefined> {
    const { rows } = await this.#pool.query<LedgerView>(
      `SELECT pending_id, pending_until,
         ARRAY(SELECT t FROM unnest(session_times) AS t WHERE t > $2 ORDER BY t) AS times
       FROM ${this.#t.ledgers} WHERE subject = $1`,
      [subject, since],
    );
    return rows[0];
  }

  async #ensure(subject: string): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#t.ledgers} (subject) VALUES ($1) ON CONFLICT (subject) DO NOTHING`,
      [subject],
    );
  }
}
