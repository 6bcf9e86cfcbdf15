/**
 * stripe-identity-kit on Fastify 5: one plugin registers the routes and the webhook route (whose scope
 * leaves the body raw for the signature check). `npx tsx examples/fastify/server.ts`.
 */
import Fastify from 'fastify';
import { VerificationService } from 'stripe-identity-kit';
import { createFastifyPlugin } from 'stripe-identity-kit/fastify';
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

const app = Fastify();
await app.register(
  createFastifyPlugin(identity, {
    // Your own auth: request.user, request.session, … Here: the demo cookie.
    authenticate: (request) => auth.userFrom(request.headers.cookie),
    returnTo: '/verify/returned',
    webhookPath: '/webhooks/stripe',
  }),
  { prefix: '/identity' },
);
// The sign-in form; the kit's routes and webhook read their bodies with parsers of their own.
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
  done(null, Object.fromEntries(new URLSearchParams(String(body)))),
);

app.get('/', async (request, reply) =>
  reply.type('text/html').send(homePage(auth.userFrom(request.headers.cookie)?.id ?? null, '/identity')),
);
app.post<{ Body: { name?: string } }>('/sign-in', async (request, reply) => {
  if (isCrossSitePost(new Headers(request.headers as Record<string, string>), origin)) {
    return reply.code(403).send('Cross-site request refused.');
  }
  const userId = demoUserId(String(request.body?.name ?? ''));
  if (userId) reply.header('set-cookie', auth.signIn(userId));
  return reply.redirect('/', 303);
});
app.get('/verify/returned', async (request, reply) => {
  const user = auth.userFrom(request.headers.cookie);
  if (!user) return reply.redirect('/', 303);
  return reply.type('text/html').send(returnedPage(await identity.status(user.id)));
});
app.get('/status', async (request, reply) => {
  const user = auth.userFrom(request.headers.cookie);
  if (!user) return reply.redirect('/', 303);
  return reply.type('text/html').send(statusPage(await identity.status(user.id)));
});

await app.listen({ port, host: '127.0.0.1' });
console.log(
  `fastify example: ${origin} (${backend.deliverWebhooksTo(`${origin}/identity/webhooks/stripe`)})`,
);
process.once('SIGTERM', () => {
  void app.close().then(() => backend.close());
});
