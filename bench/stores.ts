/**
 * What each production store costs, next to MemoryStore measured in the same run: `start()` on the resume
 * path (the user already has an open session: store reads, one retrieve at the simulator over HTTP, a
 * fresh link) and verified webhook events per second through `webhooks.handle`. Rounds are interleaved
 * across stores so that drift in the machine's load hits every store alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type IdentityStore, MemoryStore, VerificationService } from '../src/index.js';
import { PostgresStore } from '../src/postgres.js';
import { RedisStore } from '../src/redis.js';
import { SqliteStore } from '../src/sqlite.js';
import { createTestStripe, IdentitySimulator } from '../src/testing/index.js';
import { type SignedDelivery, signedSessionEvents } from './signed-events.js';

const SECRET = 'whsec_bench_stores_0123456789';
const ROUNDS = 7;
const START_WARMUP = 20;
const START_CALLS = 400;
/** Per round and store: created, processing and verified for a third as many sessions. */
const EVENTS = 900;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TAG = `sik_bench_${process.pid}_`;

interface Candidate {
  label: string;
  store: IdentityStore;
  dispose(): Promise<void>;
}
type Opened = Candidate | { label: string; unreachable: string };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const reason = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

async function openRedis(): Promise<Opened> {
  const label = `redis (${REDIS_URL.replace(/\/\/[^@]*@/, '//')})`;
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  // The 'error' event says why (ECONNREFUSED); the rejected connect() only says the connection closed.
  let cause: unknown;
  client.on('error', (error) => {
    cause = error;
  });
  const store = new RedisStore(client, { prefix: `${TAG}:` });
  try {
    await client.connect();
    await store.verify();
  } catch (error) {
    client.disconnect();
    return { label, unreachable: reason(cause ?? error) };
  }
  const dispose = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${TAG}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
    await client.quit();
  };
  return { label, store, dispose };
}

async function openPostgres(): Promise<Opened> {
  const label = `postgres (${POSTGRES_URL.replace(/\/\/[^@]*@/, '//')})`;
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4, connectionTimeoutMillis: 2000 });
  pool.on('error', () => {});
  const store = new PostgresStore(pool, { tablePrefix: TAG });
  try {
    await store.migrate();
  } catch (error) {
    await pool.end().catch(() => {});
    return { label, unreachable: reason(error) };
  }
  const dispose = async () => {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND left(table_name, length($1)) = $1`,
      [TAG.toLowerCase()],
    );
    if (rows.length > 0) await pool.query(`DROP TABLE ${rows.map((row) => row.name).join(', ')}`);
    await pool.end();
  };
  return { label, store, dispose };
}

function openSqlite(): Opened {
  const dir = mkdtempSync(join(tmpdir(), 'sik-bench-'));
  const store = new SqliteStore(join(dir, 'identity.db'));
  const dispose = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { label: 'sqlite (file, WAL)', store, dispose };
}

/** Pre-signed events for fresh sessions: none has been seen by any store yet. */
function signedEvents(tag: string): SignedDelivery[] {
  return signedSessionEvents(EVENTS, SECRET, tag);
}

/** Mean ms per `start()` for a user whose session is open: every call resumes it. */
async function resumeMs(service: VerificationService, userId: string): Promise<number> {
  const started = performance.now();
  for (let call = 0; call < START_CALLS; call += 1) {
    const result = await service.start({ id: userId });
    if (result.status !== 'redirect') throw new Error(`expected the resume path, got ${result.status}`);
  }
  return (performance.now() - started) / START_CALLS;
}

async function eventsPerSecond(service: VerificationService, tag: string): Promise<number> {
  const batch = signedEvents(tag);
  const started = performance.now();
  for (const delivery of batch) {
    const answer = await service.webhooks.handle(delivery);
    if (answer.status !== 200) throw new Error(`unexpected ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return EVENTS / ((performance.now() - started) / 1000);
}

/** Run the store benchmark and print one markdown table. */
export async function runStoresBench(): Promise<void> {
  const sim = new IdentitySimulator({ seed: 5, webhooks: { autoDeliver: false } });
  const stripe = createTestStripe(await sim.listen());
  const opened: Opened[] = [
    { label: 'memory (baseline)', store: new MemoryStore(), dispose: async () => {} },
    openSqlite(),
    await openRedis(),
    await openPostgres(),
  ];
  const candidates = opened.filter((entry): entry is Candidate => 'store' in entry);
  try {
    const services = candidates.map(
      ({ store }) =>
        new VerificationService({
          stripe,
          store,
          returnUrl: 'https://app.example.com/verify/return',
          webhookSecret: SECRET,
          on: { verified: async () => {} },
          // The resume path is what is measured: the per-minute link cap (tested elsewhere) must not cut in.
          limits: { linkRefreshesPerMinute: 1_000_000 },
          logger: false,
        }),
    );
    for (const [index, service] of services.entries()) {
      for (let call = 0; call <= START_WARMUP; call += 1) await service.start({ id: `resumer_${index}` });
    }
    const resume = candidates.map((): number[] => []);
    const webhooks = candidates.map((): number[] => []);
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each round starts with another store, so that none always runs right after the slowest one.
      for (let offset = 0; offset < services.length; offset += 1) {
        const index = (round + offset) % services.length;
        const service = services[index] as VerificationService;
        resume[index]?.push(await resumeMs(service, `resumer_${index}`));
        webhooks[index]?.push(await eventsPerSecond(service, `r${round}s${index}`));
      }
    }
    const baseMs = median(resume[0] ?? []);
    const baseRate = median(webhooks[0] ?? []);
    console.log(
      `\n## Stores: start() on the resume path and webhook throughput (median of ${ROUNDS} interleaved rounds)\n`,
    );
    console.log(
      `start(): ${START_CALLS} sequential calls per round after ${START_WARMUP} warm-up, each retrieving the open ` +
        `session from the simulator over HTTP on 127.0.0.1 (in the baseline too). Webhooks: ${EVENTS} pre-signed ` +
        'events per round (created, processing, verified of fresh sessions; one `verified` hook), sequential.\n',
    );
    console.log(
      '| store | start() resume ms/call | added vs memory ms/call | webhook events/s | ratio to memory |',
    );
    console.log('|---|---|---|---|---|');
    for (const entry of opened) {
      const index = candidates.indexOf(entry as Candidate);
      if (index < 0) {
        console.log(
          `| ${entry.label} | unreachable: ${'unreachable' in entry ? entry.unreachable : ''} | | | |`,
        );
        continue;
      }
      const ms = median(resume[index] ?? []);
      const rate = median(webhooks[index] ?? []);
      const added = index === 0 ? '—' : `${ms - baseMs >= 0 ? '+' : ''}${(ms - baseMs).toFixed(3)}`;
      console.log(
        `| ${entry.label} | ${ms.toFixed(3)} | ${added} | ${rate.toFixed(0)} | ${(rate / baseRate).toFixed(2)} |`,
      );
    }
  } finally {
    for (const candidate of candidates) await candidate.dispose().catch(() => {});
    await sim.close();
  }
}
