import type { NewSessionRecord, SessionRecord } from '../../domain.js';
import type { EventClaim } from '../contract.js';
import { newestFirst } from '../shared/records.js';
import { decodeRecord, encodeBody, num, ttl } from './codec.js';
import { type RedisKeys, slotTag } from './keys.js';
import { type RedisClient, runScript } from './runner.js';
import * as scripts from './scripts.js';

/**
 * Session records in their subject's slot, found by id through the pointer `session-slot:<id>`.
 *
 * Why the pointer, the one key outside the subject's slot, is safe on a cluster:
 * - It is written before the record (claimed with "set if missing") and never deleted, and a session id
 *   belongs to one subject forever (a tombstone owner keeps the subject's tag), so it never points
 *   anywhere else than where the record is or will be.
 * - A crash between the pointer and the record leaves a pointer to nothing: `getSession` answers `null`,
 *   exactly as before the insert, and the next insert of the id (same subject) goes ahead.
 * - An insert of an id that another subject's pointer holds is refused, as "the id exists already".
 * - Every decision the contract makes atomic (counting, the pending reservation, the CAS on the record,
 *   the owner index) is one script in the subject's slot.
 * On a single Redis the same scripts also read or claim the pointer, saving a round trip.
 */
export class RedisSessions {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #cluster: boolean;

  constructor(redis: RedisClient, keys: RedisKeys, cluster: boolean) {
    this.#redis = redis;
    this.#keys = keys;
    this.#cluster = cluster;
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    if (!this.#cluster) {
      const found = (await runScript(
        this.#redis,
        scripts.getSession,
        [this.#keys.sessionPointer(sessionId)],
        [this.#keys.sessionPrefix, sessionId],
      )) as [string, string, string] | null;
      return found ? decodeRecord(sessionId, found[0], found[1], found[2]) : null;
    }
    const tag = await this.#redis.get(this.#keys.sessionPointer(sessionId));
    if (!tag) return null;
    const [owner, version, body] = await this.#redis.hmget(this.#keys.session(tag, sessionId), 'u', 'v', 'd');
    return owner && version && body ? decodeRecord(sessionId, owner, version, body) : null;
  }

  async list(owner: string): Promise<SessionRecord[]> {
    const flat = (await runScript(
      this.#redis,
      scripts.listSessions,
      [this.#keys.owner(owner)],
      [`${this.#keys.sessionPrefix}{${slotTag(owner)}}:`, owner],
    )) as string[];
    const records: SessionRecord[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      records.push(decodeRecord(flat[i] as string, owner, flat[i + 1] as string, flat[i + 2] as string));
    }
    return records.sort(newestFirst);
  }

  async insert(record: NewSessionRecord): Promise<SessionRecord | null> {
    const tag = slotTag(record.owner);
    const keys = [this.#keys.session(tag, record.sessionId), this.#keys.owner(record.owner)];
    if (this.#cluster) {
      if ((await this.claimPointer(record.sessionId, tag)) !== tag) return null;
    } else {
      keys.push(this.#keys.sessionPointer(record.sessionId));
    }
    const body = encodeBody(record);
    const inserted = await runScript(this.#redis, scripts.insertSession, keys, [
      record.owner,
      body,
      num(record.createdAt),
      record.sessionId,
      tag,
    ]);
    return inserted === 1 ? decodeRecord(record.sessionId, record.owner, 1, body) : null;
  }

  /** The record's slot follows its stored owner; a caller's other `owner` costs one pointer read. */
  async update(record: SessionRecord): Promise<SessionRecord | null> {
    const body = encodeBody(record);
    const attempt = (tag: string) =>
      runScript(
        this.#redis,
        scripts.updateSession,
        [this.#keys.session(tag, record.sessionId)],
        [
          num(record.version),
          body,
          num(record.createdAt),
          record.sessionId,
          `${this.#keys.ownerPrefix}{${tag}}:`,
        ],
      );
    const guess = slotTag(record.owner);
    let stored = await attempt(guess);
    if (stored === -1) {
      const tag = await this.#redis.get(this.#keys.sessionPointer(record.sessionId));
      if (!tag || tag === guess) return null;
      stored = await attempt(tag);
    }
    if (!Array.isArray(stored)) return null;
    return decodeRecord(record.sessionId, stored[0] as string, stored[1] as number, body);
  }

  async delete(sessionId: string): Promise<boolean> {
    const tag = await this.#redis.get(this.#keys.sessionPointer(sessionId));
    if (!tag) return false;
    const deleted = await runScript(
      this.#redis,
      scripts.deleteSession,
      [this.#keys.session(tag, sessionId)],
      [`${this.#keys.ownerPrefix}{${tag}}:`, sessionId],
    );
    return deleted === 1;
  }

  /** Claims the id's pointer for `tag`; returns the tag that holds the id (another one: taken). */
  async claimPointer(sessionId: string, tag: string): Promise<string> {
    return (await runScript(
      this.#redis,
      scripts.claimPointer,
      [this.#keys.sessionPointer(sessionId)],
      [tag],
    )) as string;
  }

  /** `claimEvent` and `get`: one script on a single Redis; on a cluster, the claim beside the pointer read. */
  async claimEventWithSession(
    eventId: string,
    claim: { now: number; leaseMs: number },
    sessionId: string,
  ): Promise<{ claim: EventClaim; session: SessionRecord | null }> {
    const claimArgs = [num(claim.now), num(claim.now + claim.leaseMs), ttl(claim.leaseMs)];
    if (this.#cluster) {
      const eventKey = this.#keys.event(eventId);
      const [outcome, session] = await Promise.allSettled([
        runScript(this.#redis, scripts.claimEvent, [eventKey], claimArgs),
        this.get(sessionId),
      ]);
      if (outcome.status === 'rejected') throw outcome.reason;
      if (session.status === 'rejected') {
        // The caller never learns it holds the claim: give it back so that a redelivery is not refused.
        if (outcome.value === 'claimed') {
          await runScript(this.#redis, scripts.releaseEvent, [eventKey], []).catch(() => undefined);
        }
        throw session.reason;
      }
      return { claim: outcome.value as EventClaim, session: session.value };
    }
    const found = (await runScript(
      this.#redis,
      scripts.claimEventWithSession,
      [this.#keys.event(eventId), this.#keys.sessionPointer(sessionId)],
      [...claimArgs, this.#keys.sessionPrefix, sessionId],
    )) as [EventClaim, string?, string?, string?];
    const [outcome, owner, version, body] = found;
    const session = owner && version && body ? decodeRecord(sessionId, owner, version, body) : null;
    return { claim: outcome, session };
  }
}
