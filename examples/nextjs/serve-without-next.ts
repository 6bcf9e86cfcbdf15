/**
 * Serves this example's App Router route handlers on `node:http`, mapping paths to `app/**\/route.ts` the
 * way Next.js does, so that it runs (and is tested) without installing Next.js. In a Next.js app, copy
 * `app/` and `lib/` in and run `next dev` instead. `npx tsx examples/nextjs/serve-without-next.ts`.
 */
import { createServer } from 'node:http';
import { toNodeListener } from 'stripe-identity-kit/node';

const port = Number(process.env.PORT ?? 3000);
process.env.APP_URL ??= `http://127.0.0.1:${port}`;

/** A route file's exports: a handler per method, plus `runtime` and other config. */
type RouteModule = Record<string, unknown>;
const ROUTES: [RegExp, () => Promise<RouteModule>][] = [
  [/^\/api\/identity\/[^/]+$/, () => import('./app/api/identity/[action]/route.js')],
  [/^\/api\/webhooks\/stripe$/, () => import('./app/api/webhooks/stripe/route.js')],
  [/^\/sign-in$/, () => import('./app/sign-in/route.js')],
  [/^\/verify\/returned$/, () => import('./app/verify/returned/route.js')],
  [/^\/status$/, () => import('./app/status/route.js')],
  [/^\/$/, () => import('./app/route.js')],
];

async function dispatch(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const route = ROUTES.find(([pattern]) => pattern.test(pathname));
  if (!route) return new Response('Not found.', { status: 404 });
  const handler = (await route[1]())[request.method];
  if (typeof handler !== 'function') return new Response('Method not allowed.', { status: 405 });
  return (handler as (request: Request) => Promise<Response>)(request);
}

// Loading the identity module starts the service (and, without Stripe keys, the simulator).
const { backend } = await import('./lib/identity.js');
// Webhook bodies may be up to 1 MiB; the node listener hands the exact bytes on.
const server = createServer(toNodeListener(dispatch, { maxBodyBytes: 1_048_576 }));
server.listen(port, '127.0.0.1', () => {
  console.log(`nextjs example (route handlers without Next.js): ${process.env.APP_URL} (${backend.kind})`);
});
process.once('SIGTERM', () => {
  server.close();
  void backend.close();
});
