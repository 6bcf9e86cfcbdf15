/**
 * The app's one `VerificationService`. Next.js bundles each route separately and reloads modules in
 * development, so the instance lives on `globalThis`: one service, one store, one simulator per process.
 */
import { VerificationService } from 'stripe-identity-kit';
import { type Backend, createBackend } from '../../shared/backend.js';
import { createDemoAuth, type DemoAuth } from '../../shared/demo-auth.js';

/** Where the app is served (the return URL and, with the simulator, the webhook URL derive from it). */
export const appUrl = process.env.APP_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

interface App {
  backend: Backend;
  identity: VerificationService;
  auth: DemoAuth;
}

async function createApp(): Promise<App> {
  const backend = await createBackend();
  backend.deliverWebhooksTo(`${appUrl}/api/webhooks/stripe`);
  const identity = new VerificationService({
    stripe: backend.stripe,
    webhookSecret: backend.webhookSecret,
    returnUrl: `${appUrl}/api/identity/return`,
  });
  return { backend, identity, auth: createDemoAuth(process.env.DEMO_COOKIE_SECRET) };
}

const shared = globalThis as typeof globalThis & { __stripeIdentityExample?: Promise<App> };
shared.__stripeIdentityExample ??= createApp();

export const { backend, identity, auth } = await shared.__stripeIdentityExample;

/** The signed-in user of a request (your Auth.js `auth()`, Clerk, … in a real app). */
export const currentUser = (request: Request) => auth.userFrom(request.headers.get('cookie'));
