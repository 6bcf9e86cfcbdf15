import Fastify, { type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { createFastifyPlugin } from '../../src/fastify.js';
import { harness } from '../support/harness.js';
import { checkAdapter } from './journey.js';

type WithUser = FastifyRequest & { user: { id: string } | null };
const apps: Array<ReturnType<typeof Fastify>> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(options: Partial<Parameters<typeof createFastifyPlugin>[1]> = {}) {
  const h = await harness({ webhooks: false });
  const app = Fastify();
  apps.push(app);
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.headers.authorization?.replace(/^Bearer /, '');
    (request as WithUser).user = token ? { id: token } : null;
  });
  app.post('/echo', async (request) => ({ parsed: request.body }));
  await app.register(
    createFastifyPlugin(h.service, { authenticate: (request) => (request as WithUser).user, ...options }),
    { prefix: '/identity' },
  );
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { h, origin };
}

describe('createFastifyPlugin on Fastify 5 over 127.0.0.1', () => {
  test('401, 403, the journey to verified through signed webhooks, cancel, redact', async () => {
    const { h, origin } = await start();
    await checkAdapter({
      h,
      base: `${origin}/identity`,
      webhookUrl: `${origin}/identity/webhooks/stripe`,
      as: (id) => ({ authorization: `Bearer ${id}` }),
    });
  });

  test("the app's own JSON parser still works outside the plugin's scopes", async () => {
    const { origin } = await start();
    const answer = await fetch(`${origin}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await answer.json()).toEqual({ parsed: { a: 1 } });
  });

  test('a route body past the limit is 413 in the routes error shape; a form body is just ignored', async () => {
    const { origin } = await start({ maxBodyBytes: 64 });
    const headers = { authorization: 'Bearer u1', 'content-type': 'application/json' };
    const big = await fetch(`${origin}/identity/cancel`, { method: 'POST', headers, body: 'x'.repeat(500) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'body_too_large' });
    const form = await fetch(`${origin}/identity/start`, {
      method: 'POST',
      headers: { authorization: 'Bearer u1', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(200);
  });

  test('webhookPath: false leaves the webhook route out', async () => {
    const { origin } = await start({ webhookPath: false });
    const answer = await fetch(`${origin}/identity/webhooks/stripe`, { method: 'POST', body: '{}' });
    expect(answer.status).toBe(404);
  });
});
