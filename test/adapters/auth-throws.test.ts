import Fastify from 'fastify';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterEach, describe, expect, test } from 'vitest';
import { createFastifyPlugin } from '../../src/fastify.js';
import { createHonoApp } from '../../src/hono.js';
import { createNextRouteHandlers } from '../../src/next.js';
import { recordingLogger } from '../http/serve.js';
import { harness } from '../support/harness.js';

const apps: Array<ReturnType<typeof Fastify>> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** What @fastify/jwt's request.jwtVerify() throws without a token. */
const fastifyJwtError = () =>
  Object.assign(new Error('No Authorization was found in request.headers'), {
    statusCode: 401,
    code: 'FST_JWT_NO_AUTHORIZATION_IN_HEADER',
  });

describe("authenticate throwing the framework's own 401/403 answers it, typed", () => {
  test('fastify: a jwtVerify()-style { statusCode: 401 } answers 401 unauthenticated', async () => {
    const h = await harness({ webhooks: false });
    const app = Fastify();
    apps.push(app);
    await app.register(
      createFastifyPlugin(h.service, {
        authenticate: async () => {
          throw fastifyJwtError();
        },
      }),
      { prefix: '/identity' },
    );
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const answer = await fetch(`${base}/identity/status`);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'unauthenticated' });
  });

  test.each([
    [401, 'unauthenticated'],
    [403, 'forbidden'],
  ])('hono: HTTPException(%i) answers it, typed %s', async (status, error) => {
    const h = await harness({ webhooks: false });
    const app = new Hono();
    app.route(
      '/identity',
      createHonoApp(h.service, {
        authenticate: () => {
          throw new HTTPException(status as 401 | 403, { message: 'no' });
        },
      }),
    );
    const answer = await app.fetch(new Request('https://app.example/identity/status'));
    expect(answer.status).toBe(status);
    expect(await answer.json()).toMatchObject({ error });
    expect(h.calls()).toBe(0);
  });

  test('any other thrown error stays a logged 500 (a status of 500, 400 or none)', async () => {
    const { lines, logger } = recordingLogger();
    const h = await harness({ webhooks: false, service: { logger } });
    for (const thrown of [new Error('db down'), Object.assign(new Error('x'), { status: 400 }), 'text']) {
      const { GET } = createNextRouteHandlers(h.service, {
        authenticate: () => {
          throw thrown;
        },
      });
      const answer = await GET(new Request('https://app.example/api/identity/status'));
      expect(answer.status).toBe(500);
      expect(await answer.json()).toMatchObject({ error: 'internal_error' });
    }
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(3);
  });
});
