// Runtime smoke suite for Bun and Deno (run by .ci/run after the build): the BUILT package (dist/) in the
// runtime, against the simulator over HTTP. Prints one line per case, then "<runtime>: N passed, N failed",
// and writes the counts as JSON to the path given as the first argument (for .ci/count.mjs).
// Usage: bun test/runtimes/smoke.mjs report.json | deno run -A test/runtimes/smoke.mjs report.json
import { writeFileSync } from 'node:fs';
import { createVerificationRoutes, MemoryStore, VerificationService } from '../../dist/index.js';
import { createTestStripe, IdentitySimulator } from '../../dist/testing.js';

const runtime = globalThis.Bun
  ? `bun ${globalThis.Bun.version}`
  : globalThis.Deno
    ? `deno ${globalThis.Deno.version.deno}`
    : `node ${process.version}`;
const SECRET = 'whsec_runtime_smoke_0123456789';
const USER = { 'x-user': 'user_smoke' };
const CASE_TIMEOUT_MS = 30_000;

/** The runtime's own HTTP server (Bun.serve, Deno.serve), or node:http where neither exists. */
async function serve(handler) {
  if (globalThis.Bun) {
    const server = globalThis.Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler });
    return { url: `http://127.0.0.1:${server.port}`, stop: async () => server.stop(true) };
  }
  if (globalThis.Deno) {
    const server = globalThis.Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, handler);
    return { url: `http://127.0.0.1:${server.addr.port}`, stop: () => server.shutdown() };
  }
  const { toNodeListener } = await import('../../dist/node.js');
  const { createServer } = await import('node:http');
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

/** One app on `store`: the service, its Web routes and `webhooks.fetch` behind the runtime's server. */
async function app(store) {
  const sim = new IdentitySimulator({ seed: 7, webhooks: { autoDeliver: false } });
  const stripe = createTestStripe(await sim.listen());
  const identity = new VerificationService({
    stripe,
    store,
    webhookSecret: SECRET,
    returnUrl: 'https://app.example/verify/return',
    now: () => sim.now(),
  });
  const routes = createVerificationRoutes(identity, {
    authenticate: async (request) => {
      const id = request.headers.get('x-user');
      return id ? { id } : null;
    },
  });
  const server = await serve((request) =>
    new URL(request.url).pathname === '/webhooks/stripe'
      ? identity.webhooks.fetch(request)
      : routes.fetch(request),
  );
  sim.addWebhookEndpoint({ url: `${server.url}/webhooks/stripe`, secret: SECRET });
  return {
    sim,
    identity,
    call: (path, init = {}) => fetch(`${server.url}${path}`, init),
    close: async () => {
      await server.stop();
      await sim.close();
    },
  };
}

const expectEqual = (actual, expected, what) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
};

/** start → submission → signed webhooks through webhooks.fetch → verified → redact, on the service API. */
async function journey(store) {
  const a = await app(store);
  try {
    const started = await a.identity.start({ id: 'user_smoke' });
    expectEqual(started.status, 'redirect', 'start');
    const again = await a.identity.start({ id: 'user_smoke' });
    expectEqual(again.sessionId, started.sessionId, 'a second start resumes the session');
    await a.sim.submit(started.sessionId, 'verified');
    await a.sim.flushWebhooks();
    const statuses = a.sim.deliveries.map((delivery) => delivery.status);
    if (statuses.length === 0) throw new Error('no webhook was delivered');
    expectEqual(
      statuses,
      statuses.map(() => 200),
      'webhook answers',
    );
    expectEqual((await a.identity.status('user_smoke')).state, 'verified', 'status after the webhook');
    const report = await a.identity.redact('user_smoke');
    expectEqual(report.sessions.length, 1, 'redacted sessions');
    await a.sim.completeRedactions();
    await a.sim.flushWebhooks();
  } finally {
    await a.close();
  }
}

/** The Web routes over HTTP: 401, 403, start, status, redact. */
async function webRoutes() {
  const a = await app(new MemoryStore());
  try {
    expectEqual((await a.call('/identity/start', { method: 'POST' })).status, 401, 'anonymous start');
    const crossSite = await a.call('/identity/start', {
      method: 'POST',
      headers: { ...USER, origin: 'https://evil.example' },
    });
    expectEqual(crossSite.status, 403, 'cross-site start');
    const started = await a.call('/identity/start', { method: 'POST', headers: USER });
    expectEqual(started.status, 200, 'start');
    const { sessionId } = await started.json();
    await a.sim.submit(sessionId, 'verified');
    await a.sim.flushWebhooks();
    const status = await (await a.call('/identity/status', { headers: USER })).json();
    expectEqual(status.state, 'verified', 'status');
    expectEqual((await a.call('/identity/redact', { method: 'POST', headers: USER })).status, 200, 'redact');
  } finally {
    await a.close();
  }
}

const unique = `smoke_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;

async function redisJourney() {
  const { Redis } = await import('ioredis');
  const { RedisStore } = await import('../../dist/redis.js');
  const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, enableOfflineQueue: false });
  client.on('error', () => {});
  await client.connect();
  const prefix = `sik:${unique}:`;
  try {
    await journey(new RedisStore(client, { prefix }));
  } finally {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  }
}

async function postgresJourney() {
  const { default: pg } = await import('pg');
  const { PostgresStore } = await import('../../dist/postgres.js');
  const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 4 });
  pool.on('error', () => {});
  const prefix = `${unique}_`;
  try {
    const store = new PostgresStore(pool, { tablePrefix: prefix });
    await store.migrate();
    await journey(store);
  } finally {
    const { rows } = await pool.query(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND left(table_name, length($1)) = $1`,
      [prefix],
    );
    if (rows.length > 0) await pool.query(`DROP TABLE IF EXISTS ${rows.map((row) => row.name).join(', ')}`);
    await pool.end();
  }
}

/** SQLite without a native addon: Node's `node:sqlite` API, which Bun and Deno both provide. */
async function sqliteJourney() {
  const { SqliteStore } = await import('../../dist/sqlite.js');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'sik-smoke-'));
  const store = new SqliteStore(join(dir, 'identity.db'), { driver: 'node:sqlite' });
  try {
    expectEqual(
      store.capabilities,
      { atomic: true, sharedAcrossProcesses: true, durable: true },
      'capabilities',
    );
    await journey(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases = [
  [
    'journey over HTTP on MemoryStore (start, submission, signed webhooks, verified, redact)',
    () => journey(new MemoryStore()),
  ],
  ['Web routes (createVerificationRoutes().fetch): 401, 403, start, status, redact', webRoutes],
  ['journey on RedisStore (ioredis)', redisJourney],
  ['journey on PostgresStore (pg)', postgresJourney],
  ['journey on SqliteStore (node:sqlite driver, a WAL file)', sqliteJourney],
];

const results = [];
for (const [name, run] of cases) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
  });
  try {
    await Promise.race([run(), timeout]);
    results.push({ name, ok: true });
    console.log(`ok - ${runtime}: ${name}`);
  } catch (error) {
    results.push({ name, ok: false, error: String(error?.stack ?? error) });
    console.log(
      `not ok - ${runtime}: ${name}\n  ${String(error?.stack ?? error)
        .split('\n')
        .join('\n  ')}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
const passed = results.filter((result) => result.ok).length;
const failed = results.length - passed;
console.log(`${runtime}: ${passed} passed, ${failed} failed`);
if (process.argv[2]) writeFileSync(process.argv[2], JSON.stringify({ runtime, passed, failed, results }));
process.exit(failed > 0 ? 1 : 0);
