import Fastify from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { createFastifyPlugin } from '../../src/fastify.js';
import { harness } from '../support/harness.js';

const apps: Array<ReturnType<typeof Fastify>> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe("fastify plugin: a wrong method answers the routes' 405 with Allow", () => {
  test.each([
    ['OPTIONS', '/identity/start', 'POST'],
    ['HEAD', '/identity/start', 'POST'],
    ['OPTIONS', '/identity/return', 'GET, POST'],
    ['PUT', '/identity/status', 'GET'],
  ])('%s %s', async (method, path, allow) => {
    const h = await harness({ webhooks: false });
    const app = Fastify();
    apps.push(app);
    await app.register(createFastifyPlugin(h.service, { authenticate: () => ({ id: 'u1' }) }), {
      prefix: '/identity',
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const answer = await fetch(`${base}${path}`, { method });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe(allow);
  });
});
