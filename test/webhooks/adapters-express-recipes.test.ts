import { once } from 'node:events';
import { createServer, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, test } from 'vitest';
import { createExpressRouter } from '../../src/express.js';
import { trickle } from '../http/raw-socket.js';
import { track } from '../http/serve.js';
import { harness } from '../support/harness.js';

const fast = { service: { webhooks: { bodyTimeoutSeconds: 1 } } } as const;
const signed = { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' };

async function listenApp(app: express.Express, options: ServerOptions = {}): Promise<string> {
  const server = createServer(options, app);
  track(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the Express recipes of docs/http.md against a trickling body (bodyTimeoutSeconds = 1)', () => {
  test('primary recipe: webhook and router mounted before an app-wide express.json() answer 408', async () => {
    const h = await harness({ webhooks: false, ...fast });
    const app = express();
    app.post('/webhooks/stripe', h.service.webhooks.node);
    app.use('/identity', createExpressRouter(h.service, { authenticate: () => ({ id: 'u1' }) }));
    app.use(express.json());
    const base = await listenApp(app);
    const [webhook, cancel] = await Promise.all([
      trickle(base, '/webhooks/stripe', signed),
      trickle(base, '/identity/cancel', { 'content-type': 'application/json' }),
    ]);
    expect(webhook).toMatch(/^HTTP\/1\.1 408/);
    expect(cancel).toMatch(/^HTTP\/1\.1 408/);
  }, 10_000);

  test("behind a parser, only the server's requestTimeout releases it (body-parser has no time limit)", async () => {
    const h = await harness({ webhooks: false, ...fast });
    const app = express();
    app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), h.service.webhooks.node);
    const base = await listenApp(app, { requestTimeout: 1000, connectionsCheckingInterval: 200 });
    expect(await trickle(base, '/webhooks/stripe', signed)).toMatch(/^HTTP\/1\.1 408/);
  }, 10_000);
});
