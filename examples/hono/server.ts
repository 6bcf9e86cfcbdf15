/**
 * stripe-identity-kit on Hono 4 (here on Node through `@hono/node-server`; the same app runs on Bun, Deno
 * and Workers): one sub-app with the routes and the webhook. `npx tsx examples/hono/server.ts`.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { VerificationService } from 'stripe-identity-kit';
import { createHonoApp } from 'stripe-identity-kit/hono';
import { createBackend } from '../shared/backend.js';
import { createDemoAuth, demoUserId, isCrossSitePost } from '../shared/demo-auth.js';
import { homePage, returnedPage, statusPage } from '../shared/pages.js';

const port = Number(process.env.PORT ?? 3000);
const origin = `http://127.0.0.1:${port}`;
const backend = await createBackend();
const auth = createDemoAuth();

const identity = new VerificationService({
  stripe: backend.stripe,
  webhookSecret: backend.webhookSecret,
  returnUrl: `${origin}/identity/return`,
});

const app = new Hono();
app.route(
  '/identity',
  createHonoApp(identity, {
    // Your own auth: c.get('user'), a session cookie, a JWT… Here: the demo cookie.
    authenticate: (c) => auth.userFrom(c.req.header('cookie')),
    returnTo: '/verify/returned',
    webhookPath: '/webhooks/stripe',
  }),
);
app.get('/', (c) => c.html(homePage(auth.userFrom(c.req.header('cookie'))?.id ?? null, '/identity')));
app.post('/sign-in', async (c) => {
  if (isCrossSitePost(c.req.raw.headers, origin)) return c.text('Cross-site request refused.', 403);
  const form = await c.req.parseBody();
  const userId = demoUserId(String(form.name ?? ''));
  if (userId) c.header('set-cookie', auth.signIn(userId));
  return c.redirect('/', 303);
});
app.get('/verify/returned', async (c) => {
  const user = auth.userFrom(c.req.header('cookie'));
  if (!user) return c.redirect('/', 303);
  return c.html(returnedPage(await identity.status(user.id)));
});
app.get('/status', async (c) => {
  const user = auth.userFrom(c.req.header('cookie'));
  if (!user) return c.redirect('/', 303);
  return c.html(statusPage(await identity.status(user.id)));
});

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  console.log(`hono example: ${origin} (${backend.deliverWebhooksTo(`${origin}/identity/webhooks/stripe`)})`);
});
process.once('SIGTERM', () => {
  server.close();
  void backend.close();
});
