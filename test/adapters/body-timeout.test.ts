import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { createExpressRouter } from '../../src/express.js';
import { createFastifyPlugin } from '../../src/fastify.js';
import { createHonoApp } from '../../src/hono.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { createNextRouteHandlers } from '../../src/next.js';
import { toNodeListener } from '../../src/node.js';
import { endlessBody, trickle } from '../http/raw-socket.js';
import { bearerAuth, listen, track } from '../http/serve.js';
import { harness } from '../support/harness.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const fast = { service: { webhooks: { bodyTimeoutSeconds: 1 } } } as const;
const json = { 'content-type': 'application/json' };

async function listenExpress(app: express.Express): Promise<string> {
  const server = createServer(app);
  track(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function serveHono(app: Hono): Promise<string> {
  return new Promise<string>((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    closers.push(
      () =>
        new Promise<void>((done) => {
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          server.close(() => done());
        }),
    );
  });
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'no answer'> {
  return Promise.race([promise, new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), ms))]);
}

/** A Web request whose body never ends. */
const endless = (url: string, headers: Record<string, string>) =>
  new Request(url, { method: 'POST', headers, body: endlessBody(), duplex: 'half' } as RequestInit);

describe('a route body that trickles in is released after webhooks.bodyTimeoutSeconds (408)', () => {
  test('express router: /cancel answers 408', async () => {
    const h = await harness({ webhooks: false, ...fast });
    const app = express();
    app.use('/identity', createExpressRouter(h.service, { authenticate: () => ({ id: 'u1' }) }));
    expect(await trickle(await listenExpress(app), '/identity/cancel', json)).toMatch(/^HTTP\/1\.1 408/);
  }, 10_000);

  test('fastify: an anonymous /start is released by the parser (which runs before authentication)', async () => {
    const h = await harness({ webhooks: false, ...fast });
    const app = Fastify();
    closers.push(() => app.close());
    await app.register(createFastifyPlugin(h.service, { authenticate: () => null }), { prefix: '/identity' });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    expect(await trickle(base, '/identity/start', json)).toMatch(/^HTTP\/1\.1 408/);
    expect(await trickle(base, '/identity/cancel', json, { chunked: true })).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  test('hono on @hono/node-server: /cancel answers 408, chunked or not', async () => {
    const h = await harness({ webhooks: false, ...fast });
    const app = new Hono();
    app.route('/identity', createHonoApp(h.service, { authenticate: () => ({ id: 'u1' }) }));
    const base = await serveHono(app);
    expect(await trickle(base, '/identity/cancel', json)).toMatch(/^HTTP\/1\.1 408/);
    expect(await trickle(base, '/identity/return', json, { chunked: true })).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  test('web routes (Bun, Deno, Workers): an endless body answers 408 body_timeout', async () => {
    const h = await harness({ webhooks: false, ...fast });
    const routes = createVerificationRoutes(h.service, bearerAuth);
    const answer = await within(
      routes.cancel(endless('https://app.example/identity/cancel', { ...json, authorization: 'Bearer u1' })),
      4000,
    );
    expect(answer).not.toBe('no answer');
    if (answer === 'no answer') return;
    expect(answer.status).toBe(408);
    expect(await answer.json()).toMatchObject({ error: 'body_timeout' });
  }, 10_000);

  test('next: POST /return with an endless body answers 408', async () => {
    const h = await harness({ webhooks: false, ...fast });
    const { POST } = createNextRouteHandlers(h.service, { authenticate: () => ({ id: 'u1' }) });
    const answer = await within(POST(endless('https://app.example/api/identity/return', json)), 4000);
    expect(answer).not.toBe('no answer');
    if (answer !== 'no answer') expect(answer.status).toBe(408);
    expect(h.calls()).toBe(0);
  }, 10_000);

  test('a body that arrives in time is still read (control)', async () => {
    const h = await harness({ webhooks: false, ...fast });
    const routes = createVerificationRoutes(h.service, bearerAuth);
    const answer = await routes.cancel(
      new Request('https://app.example/identity/cancel', {
        method: 'POST',
        headers: { ...json, authorization: 'Bearer u1' },
        body: JSON.stringify({ sessionId: 42 }),
      }),
    );
    expect(answer.status).toBe(400);
  });
});

describe('requests aborted mid-body leave the server answering', () => {
  test('toNodeListener, the Express router and the webhook: 20 aborts each, then requests work', async () => {
    const { connect } = await import('node:net');
    const abortMidBody = (base: string, path: string) =>
      new Promise<void>((resolve) => {
        const url = new URL(base);
        const socket = connect(Number(url.port), url.hostname, () => {
          socket.write(
            `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer u1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sess`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 20);
        });
        socket.on('error', () => resolve());
      });
    const h = await harness({ webhooks: false });
    const node = await listen(toNodeListener(createVerificationRoutes(h.service, bearerAuth).fetch));
    const app = express();
    app.use('/identity', createExpressRouter(h.service, { authenticate: () => ({ id: 'u1' }) }));
    app.post('/webhooks/stripe', h.service.webhooks.node);
    const ex = await listenExpress(app);
    for (let i = 0; i < 20; i += 1) {
      await Promise.all([
        abortMidBody(node, '/identity/cancel'),
        abortMidBody(ex, '/identity/cancel'),
        abortMidBody(ex, '/webhooks/stripe'),
      ]);
    }
    const headers = { authorization: 'Bearer u1' };
    expect((await fetch(`${node}/identity/status`, { headers })).status).toBe(200);
    expect((await fetch(`${ex}/identity/status`)).status).toBe(200);
  });
});
