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
import { isCrossSite } from '../../src/http/csrf.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import { harness } from '../support/harness.js';
import { rawRequest } from './raw-socket.js';
import { bearerAuth, listen, track } from './serve.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** The status code of a raw answer. */
const statusOf = (answer: string) => Number(answer.split(' ')[1]);

/**
 * A form on https://evil.example posting to a request-target that names evil.example: an older browser
 * (no Sec-Fetch-Site) sends only `Origin`. The own origin must come from `Host`, never from the target.
 */
const forged = (target: string, host: string) => [
  `POST ${target} HTTP/1.1`,
  `Host: ${host}`,
  'Origin: https://evil.example',
  'Authorization: Bearer user_1',
];

async function servers() {
  const h = await harness({ webhooks: false });
  const authenticate = () => ({ id: 'user_1' });
  const node = await listen(toNodeListener(createVerificationRoutes(h.service, bearerAuth).fetch));
  const app = express();
  app.use('/identity', createExpressRouter(h.service, { authenticate }));
  const server = createServer(app);
  track(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const ex = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fastify = Fastify();
  closers.push(() => fastify.close());
  await fastify.register(createFastifyPlugin(h.service, { authenticate }), { prefix: '/identity' });
  const fa = await fastify.listen({ port: 0, host: '127.0.0.1' });
  const hono = new Hono();
  hono.route('/identity', createHonoApp(h.service, { authenticate }));
  const ho = await new Promise<string>((resolve) => {
    const served: ServerType = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    closers.push(
      () =>
        new Promise<void>((done) => {
          (served as { closeAllConnections?: () => void }).closeAllConnections?.();
          served.close(() => done());
        }),
    );
  });
  return { h, bases: { node, express: ex, fastify: fa, hono: ho } };
}

describe('the own origin comes from the Host header, never from the request-target', () => {
  test('toNodeListener refuses //evil.example/… (the double slash a browser keeps) before any Stripe call', async () => {
    const { h, bases } = await servers();
    const answer = await rawRequest(
      bases.node,
      forged('//evil.example/identity/start', new URL(bases.node).host),
    );
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('"error":"invalid_input"');
    expect(h.created()).toBe(0);
  });

  test.each(['node', 'express', 'fastify', 'hono'] as const)(
    '%s: an absolute-form target naming the attacker is refused, no session is created',
    async (name) => {
      const { h, bases } = await servers();
      const base = bases[name];
      const answer = await rawRequest(base, forged('http://evil.example/identity/start', new URL(base).host));
      expect([400, 403, 404]).toContain(statusOf(answer));
      expect(h.created()).toBe(0);
    },
  );

  test.each(['node', 'express', 'fastify', 'hono'] as const)(
    '%s control: a same-origin POST with its own Origin starts',
    async (name) => {
      const { h, bases } = await servers();
      const base = bases[name];
      const answer = await rawRequest(base, [
        'POST /identity/start HTTP/1.1',
        `Host: ${new URL(base).host}`,
        `Origin: ${base}`,
        'Authorization: Bearer user_1',
      ]);
      expect(statusOf(answer)).toBe(200);
      expect(h.created()).toBe(1);
    },
  );

  test('isCrossSite compares with the Host header when the URL was built from the target', () => {
    const request = new Request('http://evil.example/identity/start', {
      method: 'POST',
      headers: { host: 'app.example.com', origin: 'https://evil.example' },
    });
    expect(isCrossSite(request, new Set())).toBe(true);
    const own = new Request('http://evil.example/identity/start', {
      method: 'POST',
      headers: { host: 'app.example.com', origin: 'https://app.example.com' },
    });
    expect(isCrossSite(own, new Set())).toBe(false);
  });

  test('a Host header smuggling a path or credentials is nobody’s origin', () => {
    for (const host of ['evil.example/x', 'app.example.com@evil.example', 'evil.example?x']) {
      const request = new Request('http://app.example.com/identity/start', {
        method: 'POST',
        headers: { host, origin: 'https://evil.example' },
      });
      expect(isCrossSite(request, new Set())).toBe(true);
    }
  });
});
