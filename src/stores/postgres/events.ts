import type { Pool } from 'pg';
import type { EventClaim } from '../contract.js';

/** Claims racing a release can miss each other; a few rounds settle it. */
const CLAIM_ROUNDS = 5;

/** Webhook event claims and done-markers: one row per event id. */
export class PostgresEvents {
  readonly #pool: Pool;
  readonly #table: string;

  constructor(pool: Pool, table: string) {
    this.#pool = pool;
    this.#table = table;
  }

  /**
   * See `IdentityStore.claimEvent`. Insert-or-nothing takes no lock on an existing row, so a burst of
   * redeliveries does not queue; an expired claim is taken over by a conditional UPDATE that only one
   * caller can win.
   */
  async claim(eventId: string, now: number, until: number): Promise<EventClaim> {
    for (let round = 0; round < CLAIM_ROUNDS; round += 1) {
      const inserted = await this.#pool.query(
        `INSERT INTO ${this.#table} (event_id, state, until_ms) VALUES ($1, 'in_flight', $2)
         ON CONFLICT (event_id) DO NOTHING`,
        [eventId, until],
      );
      if (inserted.rowCount === 1) return 'claimed';
      const { rows } = await this.#pool.query<{ state: EventClaim; until_ms: number }>(
        `SELECT state, until_ms FROM ${this.#table} WHERE event_id = $1`,
        [eventId],
      );
      const current = rows[0];
      if (current && current.until_ms > now) return current.state;
      if (!current) continue;
      const renewed = await this.#pool.query(
        `UPDATE ${this.#table} SET state = 'in_flight', until_ms = $3 WHERE event_id = $1 AND until_ms <= $2`,
        [eventId, now, until],
      );
      if (renewed.rowCount === 1) return 'claimed';
    }
    // Still contended: "in flight" makes Stripe deliver again later, which is always safe.
    return 'in_flight';
  }

  /** See `IdentityStore.completeEvent`. */
  async complete(eventId: string, until: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#table} (event_id, state, until_ms) VALUES ($1, 'done', $2)
       ON CONFLICT (event_id) DO UPDATE SET state = 'done', until_ms = EXCLUDED.until_ms`,
      [eventId, until],
    );
  }

  /** See `IdentityStore.releaseEvent`: a done-marker is never dropped. */
  async release(eventId: string): Promise<void> {
    await this.#pool.query(`DELETE FROM ${this.#table} WHERE event_id = $1 AND state = 'in_flight'`, [
      eventId,
    ]);
  }

  /** Deletes claims and done-markers whose time has passed; returns how many. */
  async prune(now: number): Promise<number> {
    const result = await this.#pool.query(`DELETE FROM ${this.#table} WHERE until_ms <= $1`, [now]);
    return result.rowCount ?? 0;
  }
}
