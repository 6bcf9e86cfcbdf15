/**
 * stripe-identity-kit on Express 5: the routes as a `Router` whose `authenticate` receives Express's own
 * `req`, and the webhook behind `express.raw()` (Stripe signs the exact bytes, so no JSON parser may run
 * before it). `npx tsx examples/express/server.ts`.
 */
import express from 'express';
import { VerificationService } from 'stripe-identity-kit';
import { createExpressRouter } from 'stripe-identity-kit/express';
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

const app = express();
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), identity.webhooks.node);
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
app.use(
  '/identity',
  createExpressRouter(identity, {
    // Your own session: req.user (Passport), req.session (express-session), … Here: the demo cookie.
    authenticate: (req) => auth.userFrom(req.headers.cookie),
    returnTo: '/verify/returned',
  }),
);

app.get('/', (req, res) => {
  res.type('html').send(homePage(auth.userFrom(req.headers.cookie)?.id ?? null, '/identity'));
});
app.post('/sign-in', (req, res) => {
  if (isCrossSitePost(new Headers(req.headers as Record<string, string>), origin)) {
    res.status(403).send('Cross-site request refused.');
    return;
  }
  const userId = demoUserId(String(req.body?.name ?? ''));
  if (userId) res.setHeader('set-cookie', auth.signIn(userId));
  res.redirect(303, '/');
});
app.get('/verify/returned', async (req, res) => {
  const user = auth.userFrom(req.headers.cookie);
  if (!user) return res.redirect(303, '/');
  res.type('html').send(returnedPage(await identity.status(user.id)));
});
app.get('/status', async (req, res) => {
  const user = auth.userFrom(req.headers.cookie);
  if (!user) return res.redirect(303, '/');
  res.type('html').send(statusPage(await identity.status(user.id)));
});

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`express example: ${origin} (${backend.deliverWebhooksTo(`${origin}/webhooks/stripe`)})`);
});
process.once('SIGTERM', () => {
  server.close();
  void backend.close();
});
