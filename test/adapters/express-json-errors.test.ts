import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, test } from 'vitest';
import { createExpressRouter, identityErrorHandler } from '../../src/express.js';
import { track } from '../http/serve.js';
import { harness } from '../support/harness.js';

async function listenApp(app: express.Express): Promise<string> {
  const server = createServer(app);
  track(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const authenticate = () => ({ id: 'u1' });
const post = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
});

describe('the Express router answers JSON where Express would answer HTML', () => {
  test('an unknown path under the mount point: 404 not_found as JSON', async () => {
    const h = await harness({ webhooks: false });
    const app = express();
    app.use('/identity', createExpressRouter(h.service, { authenticate }));
    const base = await listenApp(app);
    for (const [method, path] of [
      ['GET', '/identity/nope'],
      ['POST', '/identity/start/extra'],
    ] as const) {
      const answer = await fetch(`${base}${path}`, { method });
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await answer.json()).toMatchObject({ error: 'not_found' });
    }
  });

  test("mounted at the root, the app's own later routes stay reachable", async () => {
    const h = await harness({ webhooks: false });
    const app = express();
    app.use(createExpressRouter(h.service, { authenticate }));
    app.get('/health', (_req, res) => void res.send('ok'));
    const base = await listenApp(app);
    expect(await (await fetch(`${base}/health`)).text()).toBe('ok');
    expect((await fetch(`${base}/status`)).status).toBe(200);
  });

  test('behind an app-level express.json(), with identityErrorHandler(): malformed JSON → 400 invalid_input, too large → 413 body_too_large', async () => {
    const h = await harness({ webhooks: false });
    const app = express();
    app.use(express.json({ limit: '64b' }));
    app.use('/identity', createExpressRouter(h.service, { authenticate }), identityErrorHandler());
    const base = await listenApp(app);
    const malformed = await fetch(`${base}/identity/cancel`, post('{"sessionId":'));
    expect(malformed.status).toBe(400);
    const body = await malformed.text();
    expect(JSON.parse(body)).toMatchObject({ error: 'invalid_input' });
    expect(body).not.toMatch(/at |SyntaxError|node_modules/);
    const large = await fetch(
      `${base}/identity/cancel`,
      post(JSON.stringify({ sessionId: 'x'.repeat(100) })),
    );
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: 'body_too_large' });
    expect(h.calls()).toBe(0);
  });

  test("identityErrorHandler() on the app's own paths; other errors go on to the next handler", async () => {
    const app = express();
    app.use(express.json());
    app.post('/mine', (_req, res) => void res.send('ok'));
    app.get('/boom', () => {
      throw new Error('not a parser error');
    });
    app.use(identityErrorHandler());
    app.use(((_error, _req, res, _next) => void res.status(599).send('mine')) as express.ErrorRequestHandler);
    const base = await listenApp(app);
    expect((await fetch(`${base}/mine`, post('{'))).status).toBe(400);
    expect((await fetch(`${base}/boom`)).status).toBe(599);
  });
});
