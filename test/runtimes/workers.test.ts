import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type D1DatabaseLike, D1Store } from '../../src/d1.js';
import { IdentitySimulator } from '../../src/testing/index.js';

/*
 * The package inside workerd (miniflare from npm, no `nodejs_compat`): a Worker bundled from the package's
 * entries answers a journey driven from here. The simulator plays Stripe over real HTTP: the Worker's
 * stripe-node fetch client calls it, and it delivers signed webhooks to the Worker's `webhooks.fetch`.
 */
const SECRET = 'whsec_workers_test_0123456789';
const USER = { 'x-user': 'user_worker' };

let sim: IdentitySimulator;
let mf: Miniflare;
let base: URL;

beforeAll(async () => {
  sim = new IdentitySimulator({ seed: 14, wallClock: true, webhooks: { autoDeliver: false } });
  const target = await sim.listen();
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, 'fixtures/worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // stripe-node's Worker build (fetch and Web Crypto), as wrangler picks it.
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text ?? '',
    compatibilityDate: '2025-09-01',
    d1Databases: { DB: 'identity' },
    bindings: { STRIPE_URL: target.baseUrl, WEBHOOK_SECRET: SECRET },
  });
  base = await mf.ready;
  sim.addWebhookEndpoint({ url: new URL('/webhooks/stripe', base).href, secret: SECRET });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await sim?.close();
});

const call = (path: string, init: RequestInit = {}) => fetch(new URL(path, base), init);

describe('the package in workerd (Cloudflare Workers)', () => {
  test('runs as a Worker: the bundle loaded without nodejs_compat', async () => {
    const answer = await call('/runtime');
    expect(await answer.json()).toEqual({ navigator: 'Cloudflare-Workers' });
  });

  test('the Web routes answer 401 without a user and 403 to a cross-site request, before any Stripe call', async () => {
    const before = sim.requests.length;
    expect((await call('/identity/start', { method: 'POST' })).status).toBe(401);
    const crossSite = await call('/identity/start', {
      method: 'POST',
      headers: { ...USER, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(sim.requests.length).toBe(before);
  });

  test('a journey: start, submission, signed webhooks through webhooks.fetch, verified, redact', async () => {
    const started = await call('/identity/start', { method: 'POST', headers: USER });
    expect(started.status).toBe(200);
    const { sessionId, url } = (await started.json()) as { sessionId: string; url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/verify\//);
    // A second start resumes the same session instead of paying for a new one (the D1 ledger held it).
    const again = (await (await call('/identity/start', { method: 'POST', headers: USER })).json()) as {
      sessionId: string;
    };
    expect(again.sessionId).toBe(sessionId);

    await sim.submit(sessionId, 'verified');
    await sim.flushWebhooks();
    const statuses = sim.deliveries.map((delivery) => delivery.status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses).toEqual(statuses.map(() => 200));

    const status = (await (await call('/identity/status', { headers: USER })).json()) as { state: string };
    expect(status.state).toBe('verified');

    // A forged delivery is refused by the signature check on Web Crypto.
    const forged = await call('/webhooks/stripe', {
      method: 'POST',
      headers: { 'stripe-signature': 't=1,v1=00', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(forged.status).toBe(400);

    const redacted = await call('/identity/redact', { method: 'POST', headers: USER });
    expect(redacted.status).toBe(200);
    await sim.completeRedactions();
    await sim.flushWebhooks();
    const after = (await (await call('/identity/status', { headers: USER })).json()) as { state: string };
    expect(after.state).not.toBe('verified');

    // The Worker kept its state in D1, read here through miniflare's own binding: the session's record
    // under a pseudonym (never the user id), and every delivered event marked done.
    const db = (await mf.getD1Database('DB')) as unknown as D1DatabaseLike;
    const owners = await db.prepare('SELECT owner FROM sik_sessions').bind().all<{ owner: string }>();
    expect(owners.results?.length).toBe(1);
    expect(owners.results?.[0]?.owner).not.toContain('user_worker');
    const store = new D1Store(db);
    const claimed = await store.claimEvent(sim.events[0]?.id ?? 'evt_none', { now: Date.now(), leaseMs: 1 });
    expect(claimed).toBe('done');
  });
});
