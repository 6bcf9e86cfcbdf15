import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { createExpressRouter } from '../../src/express.js';
import { createFastifyPlugin } from '../../src/fastify.js';
import { toNodeListener } from '../../src/node.js';
import { harness } from '../support/harness.js';
import { listen, recordingLogger, track } from './serve.js';

const apps: Array<ReturnType<typeof Fastify>> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** Only the safe fields reach the logger: no message, stack or request detail. */
function expectSafe(line: { level: string; fields?: Record<string, unknown> } | undefined, reason: string) {
  expect(line?.level).toBe('error');
  expect(line?.fields).toEqual({ code: 'internal_error', statusCode: 500, reason });
}

describe('5xx answers are logged (safe fields only)', () => {
  test('toNodeListener: a handler that throws', async () => {
    const { lines, logger } = recordingLogger();
    const base = await listen(
      toNodeListener(
        async () => {
          throw new RangeError('secret detail https://verify.stripe.com/start/xyz');
        },
        { logger },
      ),
    );
    const answer = await fetch(`${base}/identity/status`);
    expect(answer.status).toBe(500);
    expect(lines).toHaveLength(1);
    expectSafe(lines[0], 'RangeError');
  });

  test('the Express router: a body a middleware left that cannot be serialized', async () => {
    const { lines, logger } = recordingLogger();
    const h = await harness({ webhooks: false, service: { logger } });
    const app = express();
    app.use((req, _res, next) => {
      (req as { body?: unknown }).body = { n: 1n };
      next();
    });
    app.use('/identity', createExpressRouter(h.service, { authenticate: () => ({ id: 'u1' }) }));
    const server = createServer(app);
    track(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answer = await fetch(`${base}/identity/cancel`, { method: 'POST' });
    expect(answer.status).toBe(500);
    expectSafe(
      lines.find((line) => line.level === 'error'),
      'TypeError',
    );
  });

  test("Fastify's error sender: a hook of the app that throws inside the plugin's routes", async () => {
    const { lines, logger } = recordingLogger();
    const h = await harness({ webhooks: false, service: { logger } });
    const app = Fastify();
    apps.push(app);
    app.addHook('preHandler', async () => {
      throw new SyntaxError('boom');
    });
    await app.register(createFastifyPlugin(h.service, { authenticate: () => ({ id: 'u1' }) }), {
      prefix: '/identity',
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const answer = await fetch(`${base}/identity/status`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toMatchObject({ error: 'internal_error' });
    expectSafe(
      lines.find((line) => line.level === 'error'),
      'SyntaxError',
    );
  });
});
