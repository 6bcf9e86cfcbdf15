import type { Redis } from 'ioredis';
import type { NewSessionRecord, SessionRecord } from '../../domain.js';
import { StoreUnsupportedError } from '../../errors.js';
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
import { bounded } from '../shared/bounded.js';
import { resolveTimeout } from '../shared/options.js';
import { newestFirst } from '../shared/records.js';
import { decodeRecord, encodeBody, num, ttl } from './codec.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { RedisLedger } from './ledger.js';
import { classifyRedisError, runScript } from './runner.js';
import * as scripts from './scripts.js';
import { verifyRedis } from './verify.js';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** Prefix of every key. Default `sik:`. Give each application (and each test) its own. */
  prefix?: string;
  /** Upper bound of each call, after which it fails with `StoreUnavailableError`. Default 2000 ms. */
  timeoutMs?: number;
}

/**
 * An {@link IdentityStore} in Redis through ioredis, shared by every app instance. Each multi-step
 * operation is one Lua script; claims, done-markers and idle ledgers expire by TTL. Needs a single
 * Redis (or a primary with replicas), not Redis Cluster, with scripting allowed. The client stays
 * yours: the store never connects, quits or closes it.
 */
export class RedisStore implements IdentityStore {
  readonly name = 'redis';
  readonly capabilities: StoreCapabilities = { atomic: true, sharedAcrossProcesses: true, durable: true };

  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #timeoutMs: number;
  readonly #ledger: RedisLedger;
  #ready: Promise<void> | null = null;

  constructor(redis: Redis, options: RedisStoreOptions = {}) {
    this.#redis = redis;
    this.#keys = redisKeys(options.prefix ?? 'sik:', redis.options?.keyPrefix ?? '');
    this.#timeoutMs = resolveTimeout(options.timeoutMs);
    this.#ledger = new RedisLedger(redis, this.#keys);
  }

  /**
   * Checks that the server runs Lua scripts and is recent enough (Redis 5+). Runs once by itself before
   * the first call; call it at startup to fail fast. Rejects with `StoreUnsupportedError` when the
   * server cannot serve this store, `StoreUnavailableError` when it cannot be reached.
   */
  async verify(): Promise<void> {
    await bounded(
      { store: this.name, operation: 'verify' },
      this.#timeoutMs,
      () => this.#probe(),
      classifyRedisError,
    );
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    return this.#call('getSession', async () => {
      const [owner, version, body] = await this.#redis.hmget(this.#keys.session(sessionId), 'u', 'v', 'd');
      return owner && version && body ? decodeRecord(sessionId, owner, version, body) : null;
    });
  }

  async listSessions(owner: string): Promise<SessionRecord[]> {
    return this.#call('listSessions', async () => {
      const flat = (await this.#script(
        scripts.listSessions,
        [this.#keys.owner(owner)],
        [this.#keys.sessionPrefix, owner],
      )) as string[];
      const records: SessionRecord[] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) {
        records.push(decodeRecord(flat[i] as string, owner, flat[i + 1] as string, flat[i + 2] as string));
      }
      return records.sort(newestFirst);
    });
  }

  async insertSession(record: NewSessionRecord): Promise<SessionRecord | null> {
    return this.#call('insertSession', async () => {
      const inserted = await this.#script(
        scripts.insertSession,
        [this.#keys.session(record.sessionId), this.#keys.owner(record.owner)],
        [record.owner, encodeBody(record), num(record.createdAt), record.sessionId],
      );
      return inserted === 1 ? decodeRecord(record.sessionId, record.owner, 1, encodeBody(record)) : null;
    });
  }

  async updateSession(record: SessionRecord): Promise<SessionRecord | null> {
    return this.#call('updateSession', async () => {
      const body = encodeBody(record);
      const stored = (await this.#script(
        scripts.updateSession,
        [this.#keys.session(record.sessionId)],
        [num(record.version), body, num(record.createdAt), record.sessionId, this.#keys.userPrefix],
      )) as [string, number] | null;
      return stored ? decodeRecord(record.sessionId, stored[0], stored[1], body) : null;
    });
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    return this.#call('deleteSession', async () => {
      const deleted = await this.#script(
        scripts.deleteSession,
        [this.#keys.session(sessionId)],
        [this.#keys.userPrefix, sessionId],
      );
      return deleted === 1;
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
    return this.#call('recordSubmission', () => this.#ledger.recordSubmission(subject, submission));
  }

  async attemptUsage(subject: string, window: { now: number; windowMs: number }): Promise<AttemptUsage> {
    return this.#call('attemptUsage', () => this.#ledger.usage(subject, window.now - window.windowMs));
  }

  async claimEvent(eventId: string, claim: { now: number; leaseMs: number }): Promise<EventClaim> {
    return this.#call('claimEvent', async () => {
      const outcome = await this.#script(
        scripts.claimEvent,
        [this.#keys.event(eventId)],
        [num(claim.now), num(claim.now + claim.leaseMs), ttl(claim.leaseMs)],
      );
      return outcome as EventClaim;
    });
  }

  async completeEvent(eventId: string, done: { now: number; retainMs: number }): Promise<void> {
    await this.#call('completeEvent', () =>
      this.#script(
        scripts.completeEvent,
        [this.#keys.event(eventId)],
        [num(done.now + done.retainMs), ttl(done.retainMs)],
      ),
    );
  }

  async takeLinkRefresh(subject: string, take: LinkTakeInput): Promise<number | null> {
    return this.#call('takeLinkRefresh', () => this.#ledger.takeLink(subject, take));
  }

  async releaseEvent(eventId: string): Promise<void> {
    await this.#call('releaseEvent', () =>
      this.#script(scripts.releaseEvent, [this.#keys.event(eventId)], []),
    );
  }

  /** One bounded call: the startup check (once) and the operation share the same deadline. */
  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return bounded(
      { store: this.name, operation },
      this.#timeoutMs,
      async () => {
        await this.#probe();
        return run();
      },
      classifyRedisError,
    );
  }

  /**
   * The startup check, shared by concurrent callers and unbounded here (each caller's own deadline
   * bounds its wait). A probe stuck in ioredis's offline queue is answered once the connection is back;
   * a failed one is forgotten so the next call probes again, except "unsupported", which stays.
   */
  #probe(): Promise<void> {
    this.#ready ??= verifyRedis(this.#redis).catch((error: unknown) => {
      if (!(error instanceof StoreUnsupportedError)) this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  #script(script: scripts.LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    return runScript(this.#redis, script, keys, args);
  }
}
