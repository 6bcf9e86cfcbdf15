import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { afterEach, describe, expect, test } from 'vitest';
import { createHonoApp } from '../../src/hono.js';
import { harness } from '../support/harness.js';
import { checkAdapter } from './journey.js';

type AppEnv = { Variables: { user: { id: string } | null } };

const servers: ServerType[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

async function build() {
  const h = await harness({ webhooks: false });
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    const id = getCookie(c, 'uid');
    c.set('user', id ? { id } : null);
    await next();
  });
  app.route('/identity', createHonoApp<AppEnv>(h.service, { authenticate: (c) => c.get('user') }));
  return { h, app };
}

describe('createHonoApp on Hono 4', () => {
  test('on Node through @hono/node-server over 127.0.0.1: the whole contract', async () => {
    const { h, app } = await build();
    const origin = await new Promise<string>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve(`http://127.0.0.1:${info.port}`),
      );
      servers.push(server);
    });
    await checkAdapter({
      h,
      base: `${origin}/identity`,
      webhookUrl: `${origin}/identity/webhooks/stripe`,
      as: (id) => ({ cookie: `uid=${id}` }),
    });
  });

  test('as a Web-standard fetch handler (Bun, Deno, Workers): Request in, Response out', async () => {
    const { h, app } = await build();
    const anonymous = await app.fetch(new Request('https://app.example/identity/start', { method: 'POST' }));
    expect(anonymous.status).toBe(401);
    const forged = await app.fetch(
      new Request('https://app.example/identity/start', {
        method: 'POST',
        headers: { cookie: 'uid=u1', origin: 'https://evil.example' },
      }),
    );
    expect(forged.status).toBe(403);
    const own = await app.fetch(
      new Request('https://app.example/identity/start', {
        method: 'POST',
        headers: { cookie: 'uid=u1', origin: 'https://app.example' },
      }),
    );
    expect(await own.json()).toMatchObject({ status: 'redirect' });
    const webhook = await app.fetch(
      new Request('https://app.example/identity/webhooks/stripe', { method: 'GET' }),
    );
    expect(webhook.status).toBe(405);
    expect(h.created()).toBe(1);
  });
});
