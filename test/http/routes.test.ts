import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import type { IdentityStore } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory.js';
import type { StatusResult } from '../../src/types.js';
import { harness } from '../support/harness.js';
import { bearerAuth, listen } from './serve.js';

const headers = { authorization: 'Bearer user_1' };

async function serve(options: Parameters<typeof createVerificationRoutes>[2] = {}, store?: IdentityStore) {
  const h = await harness(
    store ? { store, service: { concurrency: { leaseSeconds: 30, waitSeconds: 0.2 } } } : {},
  );
  const routes = createVerificationRoutes(h.service, bearerAuth, options);
  return { h, routes, base: await listen(toNodeListener(routes.fetch), '/identity') };
}

async function startLink(base: string, who = headers): Promise<string> {
  const answer = await fetch(`${base}/start`, { method: 'POST', headers: who });
  const body = (await answer.json()) as { status: string; sessionId: string };
  expect(body.status).toBe('redirect');
  return body.sessionId;
}

describe('the five routes', () => {
  test('POST /cancel cancels the open session: its link stops working, the status says canceled', async () => {
    const { h, base } = await serve();
    const sessionId = await startLink(base);
    const answer = await fetch(`${base}/cancel`, { method: 'POST', headers });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ state: 'canceled', sessionId });
    expect(h.sim.sessions().find((session) => session.id === sessionId)?.status).toBe('canceled');
    const again = await fetch(`${base}/cancel`, { method: 'POST', headers });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: 'no_open_session' });
  });

  test('POST /cancel takes the session from a JSON body or the session_id query, and checks ownership', async () => {
    const { base } = await serve();
    const alice = await startLink(base, { authorization: 'Bearer alice' });
    const mallory = { authorization: 'Bearer mallory', 'content-type': 'application/json' };
    const viaBody = await fetch(`${base}/cancel`, {
      method: 'POST',
      headers: mallory,
      body: JSON.stringify({ sessionId: alice }),
    });
    expect(viaBody.status).toBe(403);
    expect(await viaBody.json()).toMatchObject({ error: 'session_not_owned' });
    const viaQuery = await fetch(`${base}/cancel?session_id=${alice}`, { method: 'POST', headers: mallory });
    expect(viaQuery.status).toBe(403);
    const own = await fetch(`${base}/cancel`, {
      method: 'POST',
      headers: { authorization: 'Bearer alice', 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: alice }),
    });
    expect(await own.json()).toMatchObject({ state: 'canceled' });
    const unknown = await fetch(`${base}/cancel?session_id=vs_unknown`, { method: 'POST', headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'session_not_found' });
  });

  test('bad route bodies: 400 for broken JSON or a non-string id, 413 past the limit', async () => {
    const { base } = await serve();
    const json = { ...headers, 'content-type': 'application/json' };
    const broken = await fetch(`${base}/cancel`, { method: 'POST', headers: json, body: '{"sessionId":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: 'invalid_input' });
    const numeric = await fetch(`${base}/cancel`, { method: 'POST', headers: json, body: '{"sessionId":1}' });
    expect(numeric.status).toBe(400);
    const huge = await fetch(`${base}/cancel`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ sessionId: 'x'.repeat(70_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: 'body_too_large' });
  });

  test('POST /redact answers the RedactionReport and the user is gone from the store', async () => {
    const { h, base } = await serve();
    const sessionId = await startLink(base);
    await h.sim.submit(sessionId, 'verified');
    await h.sim.flushWebhooks();
    const answer = await fetch(`${base}/redact`, { method: 'POST', headers });
    expect(answer.status).toBe(200);
    const report = (await answer.json()) as { sessions: Array<{ sessionId: string }>; complete: boolean };
    expect(report.sessions.map((session) => session.sessionId)).toEqual([sessionId]);
    expect(typeof report.complete).toBe('boolean');
    expect(report).toHaveProperty('message');
    const status = await (await fetch(`${base}/status`, { headers })).json();
    expect(status).toMatchObject({ state: 'none', sessionId: null });
  });

  test('GET /return with returnTo reconciles once and answers 303 to the page; POST stays JSON', async () => {
    const seen: StatusResult[] = [];
    const { h, base } = await serve({
      returnTo: (status) => {
        seen.push(status);
        return `/verify/done?state=${status.state}`;
      },
    });
    const sessionId = await startLink(base);
    await h.sim.submit(sessionId, 'verified');
    const calls = h.calls();
    const back = await fetch(`${base}/return?session_id=${sessionId}`, { headers, redirect: 'manual' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/verify/done?state=verified');
    expect(back.headers.get('cache-control')).toBe('no-store');
    expect(seen).toHaveLength(1);
    expect(h.calls() - calls).toBe(1); // one retrieve: reconciled once
    const posted = await fetch(`${base}/return`, { method: 'POST', headers, redirect: 'manual' });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ state: 'verified', next: 'done' });
  });

  test('returnTo as a path; without returnTo a GET answers JSON', async () => {
    const fixed = await serve({ returnTo: '/verify/done' });
    await startLink(fixed.base);
    const back = await fetch(`${fixed.base}/return`, { headers, redirect: 'manual' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/verify/done');
    const plain = await serve();
    await startLink(plain.base);
    const json = await fetch(`${plain.base}/return`, { headers, redirect: 'manual' });
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ state: 'requires_input', next: 'resume' });
  });

  test('returnTo must be a path or an absolute URL: never a protocol-relative open redirect', async () => {
    const h = await harness();
    for (const bad of ['//evil.example', '/\\evil.example', 'javascript:alert(1)', 'verify', '', 42]) {
      expect(() => createVerificationRoutes(h.service, bearerAuth, { returnTo: bad as string })).toThrow(
        ConfigError,
      );
    }
    const routes = createVerificationRoutes(h.service, bearerAuth, { returnTo: () => '//evil.example' });
    const answer = await routes.return(new Request('http://app.example/identity/return', { headers }));
    expect(answer.status).toBe(500);
    expect(answer.headers.get('location')).toBeNull();
  });

  test('wrong methods answer 405 with Allow; unknown routes 404', async () => {
    const { base } = await serve();
    const cases: Array<[string, string, string]> = [
      ['/start', 'GET', 'POST'],
      ['/status', 'POST', 'GET'],
      ['/return', 'PUT', 'GET, POST'],
      ['/cancel', 'GET', 'POST'],
      ['/redact', 'DELETE', 'POST'],
    ];
    for (const [path, method, allow] of cases) {
      const answer = await fetch(`${base}${path}`, { method, headers });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(await answer.json()).toMatchObject({ error: 'method_not_allowed' });
    }
    expect((await fetch(`${base}/nope`, { headers })).status).toBe(404);
  });

  test('another request starting for the user: 409 with Retry-After, and the message names no user', async () => {
    const inner = new MemoryStore();
    const busy = new Proxy(inner, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property !== 'reserveSessionSlot') return value.bind(target);
        // Another instance holds the user's slot for longer than this one waits.
        return async () => ({ outcome: 'busy', until: Date.now() + 60_000 });
      },
    });
    const { base } = await serve({}, busy);
    const answer = await fetch(`${base}/start`, { method: 'POST', headers });
    expect(answer.status).toBe(409);
    expect(answer.headers.get('retry-after')).toBe('1');
    const text = await answer.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'attempt_in_progress', retryable: true });
    expect(text).not.toContain('user_1');
  });
});
