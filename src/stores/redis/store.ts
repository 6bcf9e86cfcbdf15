import type { Cluster, Redis } from 'ioredis';
import type { NewSessionRecord, SessionRecord } from '../../domain.js';
import { ConfigError, StoreUnsupportedError } from '../../errors.js';
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
import { resolveTimeout } from '../shared/options.js';
import { num, ttl } from './codec.js';
import { RedisFused } from './fused.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { RedisLedger } from './ledger.js';
import { classifyRedisError, type RedisClient, runScript } from './runner.js';
import * as scripts from './scripts.js';
import { RedisSessions } from './sessions.js';
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
 * operation is one Lua script; claims, done-markers and idle ledgers expire by TTL. Runs on a single
 * Redis (or a primary with replicas) through `new Redis()`, and on Redis Cluster through `new Cluster()`:
 * every key of one user carries the same hash tag, so each script touches one slot (see `keys.ts`).
 * Needs scripting allowed. The client stays yours: the store never connects, quits or closes it.
 */
export class RedisStore implements IdentityStore {
  readonly name = 'redis';
  readonly capabilities: StoreCapabilities = { atomic: true, sharedAcrossProcesses: true, durable: true };

  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #timeoutMs: number;
  readonly #ledger: RedisLedger;
  readonly #sessions: RedisSessions;
  readonly #fused: RedisFused;
  #ready: Promise<void> | null = null;

  constructor(redis: Redis | Cluster, options: RedisStoreOptions = {}) {
    this.#redis = redis;
    const cluster = (redis as Partial<Cluster>).isCluster === true;
    const prefix = options.prefix ?? 'sik:';
    const clientPrefix = redis.options?.keyPrefix ?? '';
    if (cluster && /[{}]/.test(`${clientPrefix}${prefix}`)) {
      // A brace in the prefix would become the hash tag of every key, or cut the store's own tags.
      throw new ConfigError(
        'prefix',
        `The Redis store's prefix ${JSON.stringify(prefix)} (with the client's keyPrefix) holds "{" or "}", which Redis Cluster reads as a hash tag; use a prefix without braces.`,
      );
    }
    this.#keys = redisKeys(prefix, clientPrefix);
    this.#timeoutMs = resolveTimeout(options.timeoutMs);
    this.#sessions = new RedisSessions(redis, this.#keys, cluster);
    this.#ledger = new RedisLedger(redis, this.#keys, this.#sessions, cluster);
    this.#fused = new RedisFused(redis, this.#keys, this.#sessions, cluster, this);
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
    return this.#call('getSession', () => this.#sessions.get(sessionId));
  }

  async listSessions(owner: string): Promise<SessionRecord[]> {
    return this.#call('listSessions', () => this.#sessions.list(owner));
  }

  async insertSession(record: NewSessionRecord): Promise<SessionRecord | null> {
    return this.#call('insertSession', () => this.#sessions.insert(record));
  }

  async updateSession(record: SessionRecord): Promise<SessionRecord | null> {
    return this.#call('updateSession', () => this.#sessions.update(record));
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    return this.#call('deleteSession', () => this.#sessions.delete(sessionId));
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

  /** See `IdentityStore.claimEventWithSession`: one script on a single Redis. */
  async claimEventWithSession(
    eventId: string,
    claim: { now: number; leaseMs: number },
    sessionId: string,
  ): Promise<{ claim: EventClaim; session: SessionRecord | null }> {
    return this.#call('claimEventWithSession', () =>
      this.#sessions.claimEventWithSession(eventId, claim, sessionId),
    );
  }

  /** See `IdentityStore.writeSession`: one script on a single Redis. */
  async writeSession(write: SessionWrite): Promise<SessionWriteResult> {
    return this.#call('writeSession', () => this.#fused.writeSession(write));
  }

  /** See `IdentityStore.settleEvents`: one script on a single Redis. */
  async settleEvents(settlement: EventSettlement): Promise<void> {
    await this.#call('settleEvents', () => this.#fused.settleEvents(settlement));
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
