/**
 * The demo web app: a sign-in, an account page that verifies the user through the kit's routes (redirect
 * and modal flows), the webhook route, a deletion button and an admin view. One `node:http` server; the
 * kit's Web-standard handlers are mounted with `toNodeListener`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createVerificationRoutes,
  MemoryStore,
  VerificationService,
  type VerificationServiceOptions,
} from 'stripe-identity-kit';
import { toNodeListener } from 'stripe-identity-kit/node';
import { type Backend, createBackend } from '../shared/backend.js';
import { createDemoAuth, demoUserId, isCrossSitePost } from '../shared/demo-auth.js';
import { ActivityLog } from './activity.js';
import { accountPage, adminPage, manualReviewPage, type PageContext, signInPage } from './pages.js';

const CLIENT_SCRIPT = readFileSync(new URL('./public/app.js', import.meta.url), 'utf8');

/** Where and how to run the demo. */
export interface DemoOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Read for STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_PUBLISHABLE_KEY (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** A running demo. */
export interface RunningDemo {
  url: string;
  backend: Backend;
  /** What to tell the person who started it about webhooks. */
  webhookNote: string;
  close(): Promise<void>;
}

/** Start the demo and resolve once it listens. */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const env = options.env ?? process.env;
  const backend = await createBackend(env);
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  // A wildcard address is not somewhere a browser can go back to: links and the return URL use loopback.
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const log = new ActivityLog();
  const auth = createDemoAuth(env.DEMO_COOKIE_SECRET);
  const alternative = {
    url: `${origin}/manual-review`,
    description: 'Our support team can verify you by hand instead.',
  };
  const common: VerificationServiceOptions = {
    stripe: backend.stripe,
    // Both flows share one store, so limits and sessions are counted once per user.
    store: new MemoryStore(),
    webhookSecret: backend.webhookSecret,
    redaction: { hashSecret: env.IDENTITY_HASH_SECRET ?? randomBytes(32).toString('hex') },
    session: { type: 'document', options: { document: { require_matching_selfie: true } } },
    limits: { maxSubmissions: 3, maxSessions: 5, windowDays: 30 },
    alternative,
    onAlternative: log.onAlternative,
    on: log.hooks,
  };
  const identity = new VerificationService({ ...common, returnUrl: `${origin}/identity/return` });
  const modalIdentity = new VerificationService({ ...common, flow: 'modal' });
  const authenticate = async (request: Request) => auth.userFrom(request.headers.get('cookie'));
  const routes = createVerificationRoutes(identity, { authenticate }, { returnTo: '/?returned=1' });
  const modalRoutes = createVerificationRoutes(modalIdentity, { authenticate });

  const context: PageContext = {
    backend: backend.kind,
    simulatorUrl: backend.simulatorUrl,
    stripeJsUrl: backend.simulator || env.STRIPE_PUBLISHABLE_KEY ? backend.stripeJsUrl : null,
    publishableKey: env.STRIPE_PUBLISHABLE_KEY ?? 'pk_test_simulator',
    alternative,
  };

  const pages = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const user = auth.userFrom(request.headers.get('cookie'));
    if (request.method === 'POST') {
      if (isCrossSitePost(request.headers, origin)) return text(403, 'Cross-site request refused.');
      if (url.pathname === '/sign-in') {
        const name = new URLSearchParams(await request.text()).get('name') ?? '';
        const userId = demoUserId(name);
        if (!userId) return redirect('/');
        log.signedIn(userId);
        return redirect('/', auth.signIn(userId));
      }
      if (url.pathname === '/sign-out') return redirect('/', auth.signOut());
      return text(404, 'Not found.');
    }
    if (request.method !== 'GET') return text(405, 'Method not allowed.');
    switch (url.pathname) {
      case '/':
        if (!user) return html(signInPage(context));
        log.signedIn(user.id);
        return html(accountPage(context, user.id, await identity.status(user.id)));
      case '/admin': {
        const statuses = await Promise.all(log.userIds().map((id) => identity.status(id)));
        return html(adminPage(context, statuses, log));
      }
      case '/manual-review':
        return html(manualReviewPage(context, user?.id ?? null));
      case '/app.js':
        return new Response(CLIENT_SCRIPT, {
          headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
        });
      default:
        return text(404, 'Not found.');
    }
  };

  const listeners = {
    routes: toNodeListener(routes.fetch),
    modal: toNodeListener(modalRoutes.fetch),
    pages: toNodeListener(pages),
  };
  handle = (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/webhooks/stripe') return void identity.webhooks.node(req, res);
    if (path.startsWith('/identity/')) return void listeners.routes(req, res);
    if (path.startsWith('/identity-modal/')) return void listeners.modal(req, res);
    return void listeners.pages(req, res);
  };
  const webhookNote = backend.deliverWebhooksTo(`${origin}/webhooks/stripe`);

  return {
    url: origin,
    backend,
    webhookNote,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
    },
  };
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

function html(body: string): Response {
  return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS } });
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
  });
}

function redirect(location: string, cookie?: string): Response {
  const headers = new Headers({ location, ...SECURITY_HEADERS });
  if (cookie) headers.set('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}
