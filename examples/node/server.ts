/**
 * stripe-identity-kit on plain `node:http`: the kit's Web-standard routes through `toNodeListener`, the
 * webhook through `identity.webhooks.node`, and three pages. `npx tsx examples/node/server.ts`.
 */
import { createServer } from 'node:http';
import { createVerificationRoutes, VerificationService } from 'stripe-identity-kit';
import { toNodeListener } from 'stripe-identity-kit/node';
import { createBackend } from '../shared/backend.js';
import { createDemoAuth, demoUserId, isCrossSitePost } from '../shared/demo-auth.js';
import { homePage, htmlResponse, returnedPage, statusPage } from '../shared/pages.js';

const port = Number(process.env.PORT ?? 3000);
const origin = `http://127.0.0.1:${port}`;
const backend = await createBackend();
const auth = createDemoAuth();

const identity = new VerificationService({
  stripe: backend.stripe,
  webhookSecret: backend.webhookSecret,
  returnUrl: `${origin}/identity/return`,
});
const routes = createVerificationRoutes(
  identity,
  { authenticate: async (request) => auth.userFrom(request.headers.get('cookie')) },
  { returnTo: '/verify/returned' },
);

/** The app's own pages, Web-standard too. */
async function pages(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const user = auth.userFrom(request.headers.get('cookie'));
  if (request.method === 'POST' && pathname === '/sign-in') {
    if (isCrossSitePost(request.headers, origin))
      return new Response('Cross-site request refused.', { status: 403 });
    const userId = demoUserId(new URLSearchParams(await request.text()).get('name') ?? '');
    const headers = new Headers({ location: '/' });
    if (userId) headers.set('set-cookie', auth.signIn(userId));
    return new Response(null, { status: 303, headers });
  }
  if (request.method !== 'GET') return new Response('Method not allowed.', { status: 405 });
  if (pathname === '/') return htmlResponse(homePage(user?.id ?? null, '/identity'));
  if (!user) return new Response(null, { status: 303, headers: { location: '/' } });
  if (pathname === '/verify/returned') return htmlResponse(returnedPage(await identity.status(user.id)));
  if (pathname === '/status') return htmlResponse(statusPage(await identity.status(user.id)));
  return new Response('Not found.', { status: 404 });
}

const routeListener = toNodeListener(routes.fetch);
const pageListener = toNodeListener(pages);
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/webhooks/stripe') return void identity.webhooks.node(req, res);
  if (path.startsWith('/identity/')) return void routeListener(req, res);
  return void pageListener(req, res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`node example: ${origin} (${backend.deliverWebhooksTo(`${origin}/webhooks/stripe`)})`);
});
process.once('SIGTERM', () => {
  server.close();
  void backend.close();
});
