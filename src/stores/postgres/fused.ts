import type { Pool } from 'pg';
import type { SessionRecord } from '../../domain.js';
import type { EventClaim, EventSettlement, SessionWrite, SessionWriteResult } from '../contract.js';
import { newestFirst } from '../shared/records.js';
import { rowToRecord, type SessionRow } from '../shared/sql-rows.js';
import { sessionValues } from './ledger.js';
import type { PostgresTables } from './schema.js';

type Claimed = { claim: EventClaim | null };

/**
 * The optional fused operations of the webhook path, each one statement (one round trip, atomic).
 * An event claim is an upsert that takes over only a claim whose time has passed, the same rule as
 * `claimEvent`; a row another statement inserted after this one's snapshot reads as `in_flight`, which
 * makes Stripe deliver again: always safe.
 */
export class PostgresFused {
  readonly #pool: Pool;
  readonly #t: PostgresTables;

  constructor(pool: Pool, tables: PostgresTables) {
    this.#pool = pool;
    this.#t = tables;
  }

  /** Claim CTE `c` for `$id`, lease end `$until`, now `$now` (placeholders given by the caller). */
  #claim(id: string, until: string, now: string, from: string): string {
    return `c AS (
      INSERT INTO ${this.#t.events} AS e (event_id, state, until_ms)
      SELECT ${id}::text, 'in_flight', ${until}::double precision ${from}
      ON CONFLICT (event_id) DO UPDATE SET state = 'in_flight', until_ms = EXCLUDED.until_ms
      WHERE e.until_ms <= ${now}::double precision
      RETURNING 'claimed'::text AS claim
    )`;
  }

  #claimResult(id: string): string {
    return `CASE WHEN ${id}::text IS NULL THEN NULL ELSE COALESCE((SELECT claim FROM c),
      (SELECT state FROM ${this.#t.events} WHERE event_id = ${id}::text), 'in_flight') END AS claim`;
  }

  async claimEventWithSession(
    eventId: string,
    claim: { now: number; leaseMs: number },
    sessionId: string,
  ): Promise<{ claim: EventClaim; session: SessionRecord | null }> {
    const { rows } = await this.#pool.query<Partial<SessionRow> & { claim: EventClaim }>(
      `WITH ${this.#claim('$1', '$2', '$3', '')}
       SELECT ${this.#claimResult('$1')}, s.*
       FROM (SELECT 1) AS one LEFT JOIN ${this.#t.sessions} AS s ON s.session_id = $4`,
      [eventId, claim.now + claim.leaseMs, claim.now, sessionId],
    );
    const row = rows[0];
    const session = row?.session_id ? rowToRecord(row as SessionRow) : null;
    return { claim: row?.claim ?? 'in_flight', session };
  }

  async writeSession(write: SessionWrite): Promise<SessionWriteResult> {
    const t = this.#t;
    const [sessionId, owner, ...rest] = sessionValues(write.record);
    const extras = [
      write.submission?.subject ?? null,
      write.submission?.reportId ?? null,
      write.submission?.at ?? null,
      write.claim?.eventId ?? null,
      write.claim ? write.claim.now + write.claim.leaseMs : null,
      write.claim?.now ?? null,
      write.complete?.eventId ?? null,
      write.complete ? write.complete.now + write.complete.retainMs : null,
    ];
    // $11-$16: submission subject, report, time; claim id, lease end, now; $17-$18: event to complete, until.
    const tail = `d AS (
        INSERT INTO ${t.events} AS e (event_id, state, until_ms)
        SELECT $17::text, 'done', $18::double precision FROM w WHERE $17::text IS NOT NULL
        ON CONFLICT (event_id) DO UPDATE SET state = 'done', until_ms = EXCLUDED.until_ms
      ), sub AS (
        INSERT INTO ${t.submissions} (subject, report_id, at)
        SELECT $11::text, $12::text, $13::double precision FROM w WHERE $12::text IS NOT NULL
        ON CONFLICT (subject, report_id) DO NOTHING RETURNING 1
      ), ${this.#claim('$14', '$15', '$16', 'FROM w WHERE $14::text IS NOT NULL')}`;
    const results = `(SELECT count(*) FROM sub)::int AS counted, ${this.#claimResult('$14')}`;
    let rows: Array<SessionRow & Claimed & { counted: number; others: SessionRow[] | null }>;
    if (write.kind === 'update') {
      ({ rows } = await this.#pool.query(
        `WITH w AS (
           UPDATE ${t.sessions} SET status = $3, last_error_code = $4, report_id = $5, observed_at = $6,
             created_at = $7, updated_at = $8, livemode = $9, redaction = $10, version = version + 1
           WHERE session_id = $1 AND version = $2 RETURNING *
         ), ${tail}
         SELECT w.*, ${results}, NULL AS others FROM w`,
        [sessionId, write.record.version, ...rest, ...extras],
      ));
    } else {
      // $19: the subject to count the inserted session for; $20: list the owner's records.
      ({ rows } = await this.#pool.query(
        `WITH w AS (
           INSERT INTO ${t.sessions} (session_id, owner, status, last_error_code, report_id, observed_at,
             created_at, updated_at, livemode, redaction, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)
           ON CONFLICT (session_id) DO NOTHING RETURNING *
         ), k AS (
           INSERT INTO ${t.counted} (subject, session_id, created_at)
           SELECT $19::text, session_id, created_at FROM w WHERE $19::text IS NOT NULL
           ON CONFLICT (subject, session_id) DO NOTHING RETURNING created_at
         ), l AS (
           INSERT INTO ${t.ledgers} AS l (subject, ordinals, session_times)
           SELECT $19::text, 1, ARRAY[created_at] FROM k
           ON CONFLICT (subject) DO UPDATE SET ordinals = l.ordinals + 1, reconcile = false,
             session_times = array_append(l.session_times, EXCLUDED.session_times[1])
         ), ${tail}
         SELECT w.*, ${results},
           CASE WHEN $20::boolean THEN (SELECT json_agg(o) FROM ${t.sessions} AS o WHERE o.owner = w.owner) END
             AS others
         FROM w`,
        [sessionId, owner, ...rest, ...extras, write.countFor, write.list === true],
      ));
    }
    const row = rows[0];
    if (!row) return { record: null, submissionCounted: false, claim: null, sessions: null };
    const record = rowToRecord(row);
    // The listing's snapshot predates the insert: the new record joins the others.
    const sessions =
      write.kind === 'insert' && write.list
        ? [record, ...(row.others ?? []).map(rowToRecord)].sort(newestFirst)
        : null;
    const completed = write.complete != null;
    return { record, submissionCounted: row.counted === 1, claim: row.claim ?? null, sessions, completed };
  }

  async settleEvents(settlement: EventSettlement): Promise<void> {
    if (settlement.complete.length === 0 && settlement.release.length === 0) return;
    await this.#pool.query(
      `WITH d AS (
         INSERT INTO ${this.#t.events} (event_id, state, until_ms)
         SELECT id, 'done', $2::double precision FROM unnest($1::text[]) AS id
         ON CONFLICT (event_id) DO UPDATE SET state = 'done', until_ms = EXCLUDED.until_ms
       )
       DELETE FROM ${this.#t.events} WHERE event_id = ANY($3::text[]) AND state = 'in_flight'`,
      [settlement.complete, settlement.now + settlement.retainMs, settlement.release],
    );
  }
}
