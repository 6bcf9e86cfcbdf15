import { connect } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { openBackend } from '../instances/support/backends.js';
import { eventsOf, signed } from '../instances/support/deliveries.js';
import { startFleet } from '../instances/support/fleet.js';
import { exchange, serveInstances } from './support/http.js';
import { runSeed, scaled } from './support/seed.js';

const LIMITS = { maxSessions: 3, maxSubmissions: 3, windowDays: 30, linkRefreshesPerMinute: 10 };
/** Stripe's list price of one document check, for the printed worst case (USD; check your contract). */
const PRICE_PER_CHECK_USD = 1.5;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function servedFleet() {
  const fleet = await startFleet(await openBackend('redis'), {
    service: { limits: LIMITS, webhooks: { bodyTimeoutSeconds: 1 } },
  });
  const served = await serveInstances(fleet.instances);
  closers.push(served.close);
  return { fleet, ...served };
}

const bearer = (userId: string) => ({
  authorization: `Bearer ${userId}`,
  'content-type': 'application/json',
});

describe('one user hammering start over HTTP across four instances (redis)', () => {
  test('1,000 parallel starts in waves, failing each submission: sessions ≤ maxSessions, billed ≤ maxSubmissions', async () => {
    const { random } = runSeed('abuse: parallel starts', 1321);
    const { fleet, bases } = await servedFleet();
    const total = scaled(1000, 4000);
    const waves = 5;
    const statuses = new Map<number, number>();
    for (let wave = 0; wave < waves; wave += 1) {
      const answers = await Promise.all(
        Array.from({ length: total / waves }, (_, index) =>
          exchange(`${bases[Math.floor(random() * bases.length)]}/identity/start`, {
            method: 'POST',
            headers: bearer('mallory'),
            body: index % 2 ? '{}' : '',
          }),
        ),
      );
      for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      // Between waves the user fails the document check on whatever session is open, and Stripe tells us.
      for (const session of fleet.sim.sessions().filter((each) => each.status === 'requires_input')) {
        if (session.last_error === null || wave > 0)
          await fleet.sim.submit(session.id, 'document_unverified_other');
      }
      for (const event of fleet.sim.events.filter((each) => each.type.startsWith('identity.'))) {
        await fleet.pick(wave).webhooks.handle(signed(fleet.sim, event));
      }
      // …and cancels, so that the next wave asks for a fresh session.
      const base = bases[wave % bases.length] ?? '';
      await exchange(`${base}/identity/cancel`, {
        method: 'POST',
        headers: { ...bearer('mallory'), origin: base },
      });
    }
    const sessions = fleet.sim.sessions().filter((session) => session.client_reference_id === 'mallory');
    const billed = fleet.sim.reports().length;
    console.log(
      `[abuse] ${total} parallel starts over HTTP: answers ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `${sessions.length} sessions created, ${billed} submissions billed; worst case for one user per window: ` +
        `${LIMITS.maxSubmissions} × $${PRICE_PER_CHECK_USD} = $${(LIMITS.maxSubmissions * PRICE_PER_CHECK_USD).toFixed(2)}`,
    );
    expect(sessions.length).toBeLessThanOrEqual(LIMITS.maxSessions);
    expect(billed).toBeLessThanOrEqual(LIMITS.maxSubmissions);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect([...statuses.keys()].every((status) => status === 200 || status === 429)).toBe(true);
  }, 120_000);
});

describe('cross-user access with guessed and leaked session ids (redis, over HTTP)', () => {
  test('every route and method: zero reads or changes of another user’s session', async () => {
    const { fleet, bases } = await servedFleet();
    const victim = await fleet.pick(0).start({ id: 'alice' });
    if (victim.status !== 'redirect') throw new Error('expected a session');
    const leaked = victim.sessionId;
    const before = JSON.stringify(await fleet.stores[0]?.getSession(leaked));
    const ids = [leaked, `${leaked}x`, 'vs_000000000000000000000000', leaked.toUpperCase(), ` ${leaked}`];
    const answers: Array<{ status: number; body: string }> = [];
    for (const id of ids) {
      const query = `session_id=${encodeURIComponent(id)}`;
      for (const base of bases) {
        for (const [method, route] of [
          ['GET', 'status'],
          ['GET', 'return'],
          ['POST', 'return'],
          ['POST', 'cancel'],
          ['POST', 'start'],
        ] as const) {
          answers.push(
            await exchange(`${base}/identity/${route}?${query}`, {
              method,
              headers: { ...bearer('mallory'), origin: base },
              body: method === 'POST' ? JSON.stringify({ sessionId: id }) : undefined,
            }),
          );
        }
      }
    }
    for (const answer of answers) {
      expect(answer.status).not.toBe(500);
      expect(answer.body.includes(leaked) && !answer.body.includes('mallory')).toBe(false);
    }
    // Nothing of Alice's moved: the record, Stripe's session, and her status.
    expect(JSON.stringify(await fleet.stores[0]?.getSession(leaked))).toBe(before);
    expect(fleet.sim.session(leaked)?.status).toBe('requires_input');
    const mine = await fleet.pick(1).status('alice');
    expect(mine).toMatchObject({ state: 'requires_input', sessionId: leaked });
    const canceledAtStripe = fleet.sim.requests.filter((request) =>
      request.path.endsWith(`${leaked}/cancel`),
    );
    expect(canceledAtStripe).toEqual([]);
  }, 60_000);
});

describe('hostile webhook deliveries over HTTP (redis)', () => {
  test('replays, foreign secrets, 10 MB, deep nesting, invalid UTF-8, header injection, slow bodies: 4xx, nothing changed', async () => {
    const { fleet, bases } = await servedFleet();
    const started = (await fleet.pick(0).start({ id: 'bob' })) as { sessionId: string };
    await fleet.sim.submit(started.sessionId, 'verified');
    const [event] = eventsOf(fleet.sim, started.sessionId).filter((each) => each.type.endsWith('.verified'));
    if (!event) throw new Error('no event');
    const rawBody = JSON.stringify(event);
    const now = Math.floor(fleet.sim.now() / 1000);
    const sign = (body: string, secret = 'whsec_harness_secret_0123456789', at = now) =>
      fleet.sim.signPayload(body, secret, at);
    const hostile: Array<[string, { headers: Record<string, string>; body: string | Buffer }]> = [
      [
        'a replay past the tolerance',
        { headers: { 'stripe-signature': sign(rawBody, undefined, now - 3600) }, body: rawBody },
      ],
      [
        'another endpoint’s secret',
        { headers: { 'stripe-signature': sign(rawBody, 'whsec_other_endpoint_0000000') }, body: rawBody },
      ],
      [
        '10 MB body',
        { headers: { 'stripe-signature': sign('x') }, body: Buffer.alloc(10 * 1024 * 1024, 0x61) },
      ],
      [
        'deep nesting',
        {
          headers: { 'stripe-signature': sign(rawBody) },
          body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        },
      ],
      [
        'invalid UTF-8',
        { headers: { 'stripe-signature': sign(rawBody) }, body: Buffer.from([0xff, 0xfe, 0xc3, 0x28]) },
      ],
      [
        'a header with an injected second signature',
        { headers: { 'stripe-signature': `t=${now},v1=${'0'.repeat(64)}, t=${now}` }, body: rawBody },
      ],
      ['no signature', { headers: {}, body: rawBody }],
    ];
    const before = JSON.stringify(await fleet.stores[0]?.getSession(started.sessionId));
    for (const [name, attempt] of hostile) {
      const answer = await exchange(`${bases[0]}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...attempt.headers },
        body: attempt.body,
      });
      expect([name, answer.status >= 400 && answer.status < 500]).toEqual([name, true]);
    }
    // A body that trickles in, one byte every 300 ms: answered 408 once bodyTimeoutSeconds (1 s here) passes.
    expect(await slowBody(bases[0] ?? '', rawBody.length)).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.stringify(await fleet.stores[0]?.getSession(started.sessionId))).toBe(before);
    // Still healthy: the genuine delivery is applied.
    const genuine = await exchange(`${bases[1]}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': sign(rawBody) },
      body: rawBody,
    });
    expect(genuine.status).toBe(200);
    expect((await fleet.pick(2).status('bob')).state).toBe('verified');
  }, 60_000);
});

/** Sends headers at once, then one byte every 300 ms; resolves with the first line of the answer. */
function slowBody(base: string, length: number): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /webhooks HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
          `Stripe-Signature: t=1,v1=00\r\nContent-Length: ${length}\r\n\r\n`,
      );
      const timer = setInterval(() => socket.write('{'), 300);
      socket.once('data', (chunk) => {
        clearInterval(timer);
        socket.destroy();
        resolve(chunk.toString('latin1').split('\r\n')[0] ?? '');
      });
      socket.once('close', () => clearInterval(timer));
    });
    socket.on('error', reject);
  });
}
