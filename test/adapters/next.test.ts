import { describe, expect, test } from 'vitest';
import { createNextRouteHandlers, createNextWebhookHandlers } from '../../src/next.js';
import { toNodeListener } from '../../src/node.js';
import { listen } from '../http/serve.js';
import { harness } from '../support/harness.js';
import { checkAdapter } from './journey.js';

/** Stands in for Next.js's own routing: the App Router calls the exported handler of a method with a Request. */
type RouteModule = Partial<Record<string, (request: Request) => Promise<Response>>>;
function appRouter(routes: Record<string, RouteModule>) {
  return async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const match = Object.keys(routes).find((prefix) => pathname.startsWith(prefix));
    const handler = match ? routes[match]?.[request.method] : undefined;
    return handler ? handler(request) : new Response(null, { status: match ? 405 : 404 });
  };
}

/** A cookie session: the user id signed in is the cookie value (test only). */
const cookieAuth = (request: Request) => {
  const id = /(?:^|;\s*)uid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
  return id ? { id } : null;
};

describe('Next.js App Router handlers', () => {
  test('over 127.0.0.1: the whole contract, with the webhook route handler', async () => {
    const h = await harness({ webhooks: false });
    const origin = await listen(
      toNodeListener(
        appRouter({
          '/api/webhooks/stripe': createNextWebhookHandlers(h.service),
          '/api/identity/': createNextRouteHandlers(h.service, { authenticate: cookieAuth }),
        }),
      ),
    );
    await checkAdapter({
      h,
      base: `${origin}/api/identity`,
      webhookUrl: `${origin}/api/webhooks/stripe`,
      as: (id) => ({ cookie: `uid=${id}` }),
    });
  });

  test('called directly with Web Requests, as Next.js does; returnTo makes /return a 303', async () => {
    const h = await harness();
    const { GET, POST, DELETE } = createNextRouteHandlers(h.service, {
      authenticate: cookieAuth,
      returnTo: '/verify/done',
    });
    const url = (path: string) => `https://app.example/api/identity/${path}`;
    expect((await POST(new Request(url('start'), { method: 'POST' }))).status).toBe(401);
    const started = await POST(new Request(url('start'), { method: 'POST', headers: { cookie: 'uid=u1' } }));
    expect(await started.json()).toMatchObject({ status: 'redirect' });
    const back = await GET(new Request(url('return'), { headers: { cookie: 'uid=u1' } }));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/verify/done');
    const wrong = await DELETE(
      new Request(url('status'), { method: 'DELETE', headers: { cookie: 'uid=u1' } }),
    );
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    const webhook = await createNextWebhookHandlers(h.service).POST(
      new Request('https://app.example/api/webhooks/stripe', { method: 'POST', body: '{}' }),
    );
    expect(webhook.status).toBe(400);
    expect(await webhook.json()).toMatchObject({ error: 'webhook_signature_invalid' });
  });
});
