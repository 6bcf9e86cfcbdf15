import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { describe, expect, test } from 'vitest';
import { createExpressRouter } from '../../src/express.js';
import { track } from '../http/serve.js';
import { harness } from '../support/harness.js';
import { checkAdapter } from './journey.js';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
  }
}

async function listenApp(app: express.Express): Promise<string> {
  const server = createServer(app);
  track(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An app whose own middleware puts the user on `req.user`, as Passport does. */
type WithUser = express.Request & { user?: { id: string } };
const bearerUser: express.RequestHandler = (req, _res, next) => {
  const token = req.get('authorization')?.replace(/^Bearer /, '');
  if (token) (req as WithUser).user = { id: token };
  next();
};

describe('createExpressRouter on Express 5 over 127.0.0.1', () => {
  test.each([
    ['mounted after express.json(), webhook behind express.raw()', 'after'],
    ['mounted before any parser, webhook before express.json()', 'before'],
  ])('%s', async (_name, order) => {
    const h = await harness({ webhooks: false, service: {} });
    const app = express();
    if (order === 'after') {
      app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), h.service.webhooks.node);
      app.use(express.json());
      app.use(bearerUser);
      app.use(
        '/identity',
        createExpressRouter(h.service, { authenticate: (req) => (req as WithUser).user ?? null }),
      );
    } else {
      app.post('/webhooks/stripe', h.service.webhooks.node);
      app.use(bearerUser);
      app.use(
        '/identity',
        createExpressRouter(h.service, { authenticate: (req) => (req as WithUser).user ?? null }),
      );
      app.use(express.json());
    }
    const origin = await listenApp(app);
    await checkAdapter({
      h,
      base: `${origin}/identity`,
      webhookUrl: `${origin}/webhooks/stripe`,
      as: (id) => ({ authorization: `Bearer ${id}` }),
    });
  });

  test('the webhook behind express.json() is refused with the fix, and nothing is applied', async () => {
    const h = await harness({ webhooks: false });
    const app = express();
    app.use(express.json());
    app.post('/webhooks/stripe', h.service.webhooks.node);
    const origin = await listenApp(app);
    const answer = await fetch(`${origin}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{"id":"evt_1"}',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ reason: 'body_not_raw' });
  });

  test('express-session: authenticate reads req.session, with returnTo and allowedOrigins', async () => {
    const h = await harness({ webhooks: false });
    const app = express();
    app.use(session({ secret: 'test-session-secret-0123456789', resave: false, saveUninitialized: false }));
    app.post('/login/:id', (req, res) => {
      req.session.userId = req.params.id;
      res.json({ ok: true });
    });
    app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), h.service.webhooks.node);
    app.use(express.json());
    app.use(
      '/identity',
      createExpressRouter(h.service, {
        authenticate: (req) => (req.session.userId ? { id: req.session.userId } : null),
        allowedOrigins: ['https://app.example.com'],
        returnTo: (status) => `/verify/${status.state}`,
      }),
    );
    const origin = await listenApp(app);
    const cookieOf = async (id: string) => {
      const login = await fetch(`${origin}/login/${id}`, { method: 'POST' });
      return { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
    };
    await checkAdapter({
      h,
      base: `${origin}/identity`,
      webhookUrl: `${origin}/webhooks/stripe`,
      as: cookieOf,
    });
    const carol = await cookieOf('carol');
    const fromApp = await fetch(`${origin}/identity/start`, {
      method: 'POST',
      headers: { ...carol, origin: 'https://app.example.com' },
    });
    expect(fromApp.status).toBe(200);
    const back = await fetch(`${origin}/identity/return`, { headers: carol, redirect: 'manual' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/verify/requires_input');
  });

  test('Passport: authenticate reads req.user, set by passport.session() from the login', async () => {
    const h = await harness({ webhooks: false });
    const passport = new Passport();
    passport.serializeUser((user, done) => done(null, (user as { id: string }).id));
    passport.deserializeUser((id: string, done) => done(null, { id }));
    const app = express();
    app.use(session({ secret: 'test-session-secret-0123456789', resave: false, saveUninitialized: false }));
    app.use(passport.initialize());
    app.use(passport.session());
    app.post('/login/:id', (req, res, next) => {
      req.login({ id: req.params.id }, (error) => (error ? next(error) : res.json({ ok: true })));
    });
    app.post('/webhooks/stripe', h.service.webhooks.node);
    app.use(
      '/identity',
      createExpressRouter(h.service, {
        authenticate: (req) => (req.user ? { id: (req.user as { id: string }).id } : null),
      }),
    );
    app.use(express.json());
    const origin = await listenApp(app);
    await checkAdapter({
      h,
      base: `${origin}/identity`,
      webhookUrl: `${origin}/webhooks/stripe`,
      as: async (id) => {
        const login = await fetch(`${origin}/login/${id}`, { method: 'POST' });
        return { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
      },
    });
  });
});
