import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { createExpressRouter } from '../../src/express.js';
import { createFastifyPlugin } from '../../src/fastify.js';
import { track } from '../http/serve.js';
import { harness } from '../support/harness.js';

const apps: Array<ReturnType<typeof Fastify>> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/**
 * What nginx sends upstream by default (Host: the upstream address) plus the usual forwarding headers,
 * for a same-origin fetch from `origin`.
 */
const proxied = (origin: string, host = 'app.example.com') => ({
  'x-forwarded-host': host,
  'x-forwarded-proto': 'https',
  origin,
  'sec-fetch-site': 'same-origin',
});

async function expressBase(trust: boolean) {
  const h = await harness({ webhooks: false });
  const app = express();
  if (trust) app.set('trust proxy', true);
  app.use('/identity', createExpressRouter(h.service, { authenticate: () => ({ id: 'u1' }) }));
  const server = createServer(app);
  track(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { h, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('behind a trusted proxy that rewrites Host, the own origin is the forwarded one', () => {
  test("express with app.set('trust proxy', true): a same-origin POST starts", async () => {
    const { h, base } = await expressBase(true);
    const answer = await fetch(`${base}/identity/start`, {
      method: 'POST',
      headers: proxied('https://app.example.com'),
    });
    expect(answer.status).toBe(200);
    expect(h.created()).toBe(1);
  });

  test('express keeps the forwarded port (req.host): app.example.com:8443', async () => {
    const { base } = await expressBase(true);
    const answer = await fetch(`${base}/identity/start`, {
      method: 'POST',
      headers: proxied('https://app.example.com:8443', 'app.example.com:8443'),
    });
    expect(answer.status).toBe(200);
  });

  test('express without trust proxy ignores the forwarded host: that Origin is foreign', async () => {
    const { h, base } = await expressBase(false);
    const answer = await fetch(`${base}/identity/start`, {
      method: 'POST',
      headers: proxied('https://app.example.com'),
    });
    expect(answer.status).toBe(403);
    expect(h.created()).toBe(0);
  });

  test('fastify with trustProxy: true: a same-origin POST starts', async () => {
    const h = await harness({ webhooks: false });
    const app = Fastify({ trustProxy: true });
    apps.push(app);
    await app.register(createFastifyPlugin(h.service, { authenticate: () => ({ id: 'u1' }) }), {
      prefix: '/identity',
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const answer = await fetch(`${base}/identity/start`, {
      method: 'POST',
      headers: proxied('https://app.example.com'),
    });
    expect(answer.status).toBe(200);
  });
});
