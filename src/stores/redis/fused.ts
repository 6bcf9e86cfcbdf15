import type { EventSettlement, IdentityStore, SessionWrite, SessionWriteResult } from '../contract.js';
import { writeSessionInSteps } from '../shared/fused.js';
import { newestFirst } from '../shared/records.js';
import { decodeRecord, encodeBody, num, ttl } from './codec.js';
import * as fusedScripts from './fused-scripts.js';
import { type RedisKeys, slotTag } from './keys.js';
import { type RedisClient, runScript } from './runner.js';
import * as scripts from './scripts.js';
import type { RedisSessions } from './sessions.js';

/** TTL of ledger keys of a subject that never reserved (the same fallback as the ledger's). */
const FALLBACK_LEDGER_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * The optional fused operations of the webhook path. On a single Redis each is one script. On a cluster
 * the write and its ledger entries are one script in the subject's slot; the id pointer (before) and the
 * hook's claim (after, only if the write took effect) are separate calls, exactly as the required methods
 * would make them.
 */
export class RedisFused {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #sessions: RedisSessions;
  readonly #cluster: boolean;
  readonly #store: IdentityStore;

  constructor(
    redis: RedisClient,
    keys: RedisKeys,
    sessions: RedisSessions,
    cluster: boolean,
    store: IdentityStore,
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#sessions = sessions;
    this.#cluster = cluster;
    this.#store = store;
  }

  async writeSession(write: SessionWrite): Promise<SessionWriteResult> {
    const { record } = write;
    const tag = slotTag(record.owner);
    const countFor = write.kind === 'insert' ? write.countFor : null;
    const subjects = [countFor, write.submission?.subject].filter((subject) => subject != null);
    const subject = subjects[0] ?? record.owner;
    // Every ledger this write touches must share the record's slot (and one another's) to be one script.
    if (subjects.some((other) => other !== subject || slotTag(other) !== tag)) {
      return writeSessionInSteps(this.#store, write);
    }
    const sessionKey = this.#keys.session(tag, record.sessionId);
    let pointer = false;
    if (write.kind === 'insert') {
      if (this.#cluster) {
        if ((await this.#sessions.claimPointer(record.sessionId, tag)) !== tag) return missed();
      } else {
        pointer = true;
      }
    }
    const claimHere = write.claim != null && !this.#cluster;
    const completeHere = write.complete != null && !this.#cluster;
    const keys = [
      sessionKey,
      this.#keys.owner(record.owner),
      this.#keys.ledger(subject),
      this.#keys.ledgerSessions(subject),
      this.#keys.submissions(subject),
      pointer ? this.#keys.sessionPointer(record.sessionId) : sessionKey,
      claimHere && write.claim ? this.#keys.event(write.claim.eventId) : sessionKey,
      completeHere && write.complete ? this.#keys.event(write.complete.eventId) : sessionKey,
    ];
    const body = encodeBody(record);
    const claim = write.claim;
    const reply = (await runScript(this.#redis, fusedScripts.writeSession, keys, [
      write.kind,
      record.owner,
      body,
      num(record.createdAt),
      record.sessionId,
      write.kind === 'update' ? num(write.record.version) : '0',
      `${this.#keys.ownerPrefix}{${tag}}:`,
      countFor === null ? '0' : '1',
      ttl(FALLBACK_LEDGER_TTL_MS),
      write.submission?.reportId ?? '',
      num(write.submission?.at ?? 0),
      claimHere ? '1' : '0',
      num(claim?.now ?? 0),
      num((claim?.now ?? 0) + (claim?.leaseMs ?? 0)),
      ttl(claim?.leaseMs ?? 0),
      write.kind === 'insert' && write.list ? '1' : '0',
      `${this.#keys.sessionPrefix}{${tag}}:`,
      pointer ? '1' : '0',
      tag,
      completeHere ? '1' : '0',
      num((write.complete?.now ?? 0) + (write.complete?.retainMs ?? 0)),
      ttl(write.complete?.retainMs ?? 0),
    ])) as unknown[];
    if (reply[0] !== 1) return missed();
    const owner = reply[1] as string;
    const stored = decodeRecord(record.sessionId, owner, reply[2] as number, body);
    let claimed = claimHere ? ((reply[4] as SessionWriteResult['claim']) ?? null) : null;
    if (claim && !claimHere) claimed = await this.#store.claimEvent(claim.eventId, claim);
    const { complete } = write;
    if (complete && !completeHere) await this.#store.completeEvent(complete.eventId, complete);
    let sessions: SessionWriteResult['sessions'] = null;
    if (write.kind === 'insert' && write.list) {
      sessions = [];
      for (let i = 5; i + 2 < reply.length; i += 3) {
        sessions.push(
          decodeRecord(reply[i] as string, owner, reply[i + 1] as string, reply[i + 2] as string),
        );
      }
      sessions.sort(newestFirst);
    }
    const completed = complete != null;
    return { record: stored, submissionCounted: reply[3] === 1, claim: claimed, sessions, completed };
  }

  async settleEvents(settlement: EventSettlement): Promise<void> {
    const until = num(settlement.now + settlement.retainMs);
    const keep = ttl(settlement.retainMs);
    if (this.#cluster) {
      // Each claim is its own slot: one request per id, all in flight at once.
      await Promise.all([
        ...settlement.complete.map((id) =>
          runScript(this.#redis, scripts.completeEvent, [this.#keys.event(id)], [until, keep]),
        ),
        ...settlement.release.map((id) =>
          runScript(this.#redis, scripts.releaseEvent, [this.#keys.event(id)], []),
        ),
      ]);
      return;
    }
    const keys = [...settlement.complete, ...settlement.release].map((id) => this.#keys.event(id));
    if (keys.length === 0) return;
    await runScript(this.#redis, fusedScripts.settleEvents, keys, [
      num(settlement.complete.length),
      until,
      keep,
    ]);
  }
}

const missed = (): SessionWriteResult => ({
  record: null,
  submissionCounted: false,
  claim: null,
  sessions: null,
});
