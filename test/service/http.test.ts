import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import { harness } from '../support/harness.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Users authenticate with a bearer token equal to their id (test only). */
const auth = {
  async authenticate(request: Request) {
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
    return token ? { id: token } : null;
  },
};

async function serve() {
  const h = await harness();
  const routes = createVerificationRoutes(h.service, auth);
  const server = createServer(toNodeListener(routes.fetch));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { ...h, base: `http://127.0.0.1:${port}/identity` };
}

describe('route handlers over node:http on 127.0.0.1', () => {
  test('no user: 401 before any Stripe call', async () => {
    const h = await serve();
    const answer = await fetch(`${h.base}/start`, { method: 'POST' });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'unauthenticated' });
    expect(h.calls()).toBe(0);
  });

  test('start, status and return for an authenticated user', async () => {
    const h = await serve();
    const headers = { authorization: 'Bearer user_1' };
    const started = await fetch(`${h.base}/start`, { method: 'POST', headers });
    expect(started.status).toBe(200);
    expect(started.headers.get('cache-control')).toBe('no-store');
    const body = (await started.json()) as { status: string; sessionId: string };
    expect(body.status).toBe('redirect');
    const status = await (await fetch(`${h.base}/status`, { headers })).json();
    expect(status).toMatchObject({ state: 'requires_input', sessionId: body.sessionId, next: 'resume' });
    await h.sim.submit(body.sessionId, 'verified');
    const back = await fetch(`${h.base}/return?session_id=${body.sessionId}`, { headers });
    expect(await back.json()).toMatchObject({ state: 'verified', next: 'done' });
  });

  test("another user's session id on return: 403 and nothing touched", async () => {
    const h = await serve();
    const started = (await (
      await fetch(`${h.base}/start`, { method: 'POST', headers: { authorization: 'Bearer alice' } })
    ).json()) as { sessionId: string };
    const calls = h.calls();
    const answer = await fetch(`${h.base}/return?session_id=${started.sessionId}`, {
      headers: { authorization: 'Bearer mallory' },
    });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ error: 'session_not_owned' });
    expect(h.calls()).toBe(calls);
  });

  test('wrong method and unknown route', async () => {
    const h = await serve();
    const wrong = await fetch(`${h.base}/start`, { headers: { authorization: 'Bearer u' } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await fetch(`${h.base}/nope`)).status).toBe(404);
  });

  test('Stripe down: a typed 503 answer with Retry-After, not a crash', async () => {
    const h = await serve();
    h.sim.failNext({ kind: 'http_500', match: { method: 'POST' }, count: 5 });
    const answer = await fetch(`${h.base}/start`, {
      method: 'POST',
      headers: { authorization: 'Bearer user_1' },
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(await answer.json()).toMatchObject({ error: 'stripe_api', retryable: true });
  });
});
