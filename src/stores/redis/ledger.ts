import type { NewSessionRecord } from '../../domain.js';
import type {
  AttemptUsage,
  LinkTakeInput,
  ReleaseSlotOptions,
  ReserveSlotInput,
  SlotReservation,
} from '../contract.js';
import { newReservationId } from '../shared/records.js';
import { encodeBody, num, ttl } from './codec.js';
import { type RedisKeys, slotTag } from './keys.js';
import { type RedisClient, runScript } from './runner.js';
import * as scripts from './scripts.js';
import type { RedisSessions } from './sessions.js';

/** TTL of ledger keys of a subject that never reserved (so its window is unknown). */
const FALLBACK_LEDGER_TTL_MS = 90 * 24 * 60 * 60 * 1000;

const scores = (pairs: unknown): number[] =>
  (pairs as string[]).filter((_, index) => index % 2 === 1).map((score) => Number(score));

/**
 * The attempt ledger of one subject: a hash (ordinal counter, reconcile flag, pending reservation, TTL)
 * and two sorted sets (counted sessions, submissions by report id). Every change is one script.
 */
export class RedisLedger {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #sessions: RedisSessions;
  readonly #cluster: boolean;

  constructor(redis: RedisClient, keys: RedisKeys, sessions: RedisSessions, cluster: boolean) {
    this.#redis = redis;
    this.#keys = keys;
    this.#sessions = sessions;
    this.#cluster = cluster;
  }

  /** See `IdentityStore.reserveSessionSlot`. Trims counted sessions that left the window. */
  async reserve(subject: string, input: ReserveSlotInput): Promise<SlotReservation> {
    const reservationId = newReservationId();
    const [outcome, value, reconcile] = (await runScript(
      this.#redis,
      scripts.reserveSlot,
      [this.#keys.ledger(subject), this.#keys.ledgerSessions(subject), this.#keys.submissions(subject)],
      [
        num(input.now),
        num(input.now - input.windowMs),
        num(input.limit),
        num(input.now + input.leaseMs),
        reservationId,
        ttl(Math.max(input.windowMs, input.leaseMs)),
      ],
    )) as [string, string | number | undefined, string | undefined];
    if (outcome === 'busy') return { outcome, until: Number(value) };
    if (outcome === 'limit') return { outcome, retryAt: Number(value ?? input.now) + input.windowMs };
    return { outcome: 'reserved', reservationId, ordinal: Number(value), reconcile: reconcile === '1' };
  }

  /**
   * See `IdentityStore.commitSessionSlot`. Counting and the record's insert are one script in the
   * subject's slot (the pointer is claimed first on a cluster). A record whose owner belongs to another
   * subject (the service never commits one) is counted here and inserted in its own slot after.
   */
  async commit(subject: string, reservationId: string, record: NewSessionRecord): Promise<boolean> {
    const tag = slotTag(record.owner);
    const sameSlot = tag === slotTag(subject);
    let insert = sameSlot;
    if (sameSlot && this.#cluster)
      insert = (await this.#sessions.claimPointer(record.sessionId, tag)) === tag;
    const ledger = this.#keys.ledger(subject);
    const keys = [
      ledger,
      this.#keys.ledgerSessions(subject),
      // Unused without the insert; the ledger key stands in so that every key stays in one slot.
      sameSlot ? this.#keys.session(tag, record.sessionId) : ledger,
      sameSlot ? this.#keys.owner(record.owner) : ledger,
    ];
    if (sameSlot && !this.#cluster) keys.push(this.#keys.sessionPointer(record.sessionId));
    const held = await runScript(this.#redis, scripts.commitSlot, keys, [
      reservationId,
      record.owner,
      encodeBody(record),
      num(record.createdAt),
      record.sessionId,
      ttl(FALLBACK_LEDGER_TTL_MS),
      insert ? '1' : '0',
      tag,
    ]);
    if (!sameSlot) await this.#sessions.insert(record);
    return held === 1;
  }

  /** See `IdentityStore.releaseSessionSlot`. */
  async release(subject: string, reservationId: string, options: ReleaseSlotOptions): Promise<void> {
    const mode = options.retireKey ? '2' : options.indeterminate ? '1' : '0';
    await runScript(
      this.#redis,
      scripts.releaseSlot,
      [this.#keys.ledger(subject)],
      [reservationId, mode, ttl(FALLBACK_LEDGER_TTL_MS)],
    );
  }

  /** See `IdentityStore.takeLinkRefresh`. */
  async takeLink(subject: string, take: LinkTakeInput): Promise<number | null> {
    const oldest = await runScript(
      this.#redis,
      scripts.takeLink,
      [this.#keys.links(subject)],
      [num(take.now), num(take.now - take.windowMs), num(take.limit), num(Math.ceil(take.windowMs * 2))],
    );
    return oldest === -1 ? null : Number(oldest) + take.windowMs;
  }

  /** See `IdentityStore.recordSubmission`. */
  async recordSubmission(subject: string, submission: { reportId: string; at: number }): Promise<boolean> {
    const added = await runScript(
      this.#redis,
      scripts.recordSubmission,
      [this.#keys.ledger(subject), this.#keys.submissions(subject)],
      [submission.reportId, num(submission.at), ttl(FALLBACK_LEDGER_TTL_MS)],
    );
    return added === 1;
  }

  /** See `IdentityStore.attemptUsage`: times after `since`, from one script (one snapshot). */
  async usage(subject: string, since: number): Promise<AttemptUsage> {
    const [sessions, submissions] = (await runScript(
      this.#redis,
      scripts.attemptUsage,
      [this.#keys.ledgerSessions(subject), this.#keys.submissions(subject)],
      [num(since)],
    )) as [unknown, unknown];
    return { sessions: scores(sessions), submissions: scores(submissions) };
  }
}
