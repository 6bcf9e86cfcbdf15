/**
 * The checks every framework adapter must pass over real HTTP on 127.0.0.1, against the simulator with
 * signed webhooks: 401 without a user, 403 cross-site, the journey to `verified`, cancel, redact.
 */
import { expect } from 'vitest';
import type { Harness } from '../support/harness.js';
import { IDENTITY_EVENTS, WEBHOOK_SECRET } from '../support/harness.js';

export interface Mounted {
  h: Harness;
  /** Base URL of the routes, such as `http://127.0.0.1:1234/identity`. */
  base: string;
  /** URL of the webhook route. */
  webhookUrl: string;
  /** Request headers that sign `userId` in with this framework's auth. */
  as(userId: string): Promise<Record<string, string>> | Record<string, string>;
}

async function call(url: string, init: RequestInit = {}) {
  const answer = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init });
  const text = await answer.text();
  return {
    status: answer.status,
    headers: answer.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** Run the whole contract against one mounted adapter. */
export async function checkAdapter(mounted: Mounted): Promise<void> {
  const { h, base, webhookUrl } = mounted;
  h.sim.addWebhookEndpoint({ url: webhookUrl, secret: WEBHOOK_SECRET, enabledEvents: IDENTITY_EVENTS });

  // No user: 401 before any Stripe call.
  const anonymous = await call(`${base}/start`, { method: 'POST' });
  expect(anonymous.status).toBe(401);
  expect(anonymous.body).toMatchObject({ error: 'unauthenticated' });
  expect((await call(`${base}/status`)).status).toBe(401);
  expect(h.calls()).toBe(0);

  // A cross-site POST with the user's credentials: 403 before authentication.
  const alice = await mounted.as('alice');
  const forged = await call(`${base}/start`, {
    method: 'POST',
    headers: { ...alice, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
  });
  expect(forged.status).toBe(403);
  expect(forged.body).toMatchObject({ error: 'cross_site_request' });
  expect(h.calls()).toBe(0);

  // Wrong method: 405 with Allow.
  const wrong = await call(`${base}/start`, { headers: alice });
  expect(wrong.status).toBe(405);
  expect(wrong.headers.get('allow')).toBe('POST');

  // The journey: start, submit at Stripe, signed webhooks over HTTP, then the status and the return.
  const started = await call(`${base}/start`, {
    method: 'POST',
    headers: { ...alice, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(started.status).toBe(200);
  expect(started.body.status).toBe('redirect');
  const sessionId = started.body.sessionId as string;
  await h.sim.submit(sessionId, 'verified');
  await h.sim.flushWebhooks();
  expect(h.sim.deliveries.length).toBeGreaterThanOrEqual(3);
  expect(h.sim.deliveries.map((delivery) => delivery.status)).toEqual(h.sim.deliveries.map(() => 200));
  const status = await call(`${base}/status`, { headers: alice });
  expect(status.body).toMatchObject({ state: 'verified', sessionId, next: 'done' });
  const back = await call(`${base}/return?session_id=${sessionId}`, { headers: alice });
  expect([200, 303]).toContain(back.status);
  if (back.status === 200) expect(back.body).toMatchObject({ state: 'verified' });

  // Another user cancels their open session, and cannot touch alice's.
  const bob = await mounted.as('bob');
  // A same-origin browser request passes: the adapter rebuilt the request's own origin correctly.
  const bobs = await call(`${base}/start`, {
    method: 'POST',
    headers: { ...bob, origin: new URL(base).origin, 'sec-fetch-site': 'same-origin' },
  });
  expect(bobs.status).toBe(200);
  const stolen = await call(`${base}/cancel?session_id=${sessionId}`, { method: 'POST', headers: bob });
  expect(stolen.status).toBe(403);
  const canceled = await call(`${base}/cancel`, {
    method: 'POST',
    headers: { ...bob, 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId: bobs.body.sessionId }),
  });
  expect(canceled.status).toBe(200);
  expect(canceled.body).toMatchObject({ state: 'canceled', sessionId: bobs.body.sessionId });

  // Alice deletes her verification data.
  const redacted = await call(`${base}/redact`, { method: 'POST', headers: alice });
  expect(redacted.status).toBe(200);
  expect(redacted.body).toMatchObject({ sessions: [{ sessionId }] });
  expect(typeof redacted.body.message).toBe('string');
  expect((await call(`${base}/status`, { headers: alice })).body).toMatchObject({ state: 'none' });
}
