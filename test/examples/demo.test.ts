/**
 * The demo app over HTTP (the browser journey is test/browser/demo.test.ts): its session cookie, its
 * cross-site refusals, and the page saying which backend it runs against.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningExample, startExample } from './support/spawn.js';

let simulated: RunningExample;
let stripeTestMode: RunningExample;

beforeAll(async () => {
  [simulated, stripeTestMode] = await Promise.all([
    startExample('examples/demo/main.ts'),
    // No Stripe call happens before someone starts a verification, so a made-up test key is enough here.
    startExample('examples/demo/main.ts', {
      STRIPE_SECRET_KEY: 'sk_test_demo_mode_check',
      STRIPE_WEBHOOK_SECRET: 'whsec_demo_mode_check',
    }),
  ]);
}, 40_000);

afterAll(async () => {
  await Promise.all([simulated?.stop(), stripeTestMode?.stop()]);
});

async function signIn(base: string, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra },
    body: 'name=Ada Lovelace',
    redirect: 'manual',
  });
}

describe('the demo over HTTP', () => {
  test('says on the page which backend it runs against', async () => {
    expect(await (await fetch(simulated.url)).text()).toContain('built-in Stripe Identity simulator');
    const page = await (await fetch(stripeTestMode.url)).text();
    expect(page).toContain('Stripe test mode');
    expect(stripeTestMode.output()).toContain('stripe listen --forward-to');
  });

  test('signs in with a signed HttpOnly SameSite=Lax cookie; a tampered one is anonymous', async () => {
    const response = await signIn(simulated.url);
    expect(response.status).toBe(303);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sik_demo_user=demo_ada-lovelace\.[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const value = cookie.split(';')[0] ?? '';
    const ok = await fetch(`${simulated.url}/identity/status`, { headers: { cookie: value } });
    expect(ok.status).toBe(200);
    const forged = value.replace('demo_ada-lovelace', 'demo_grace');
    const refused = await fetch(`${simulated.url}/identity/status`, { headers: { cookie: forged } });
    expect(refused.status).toBe(401);
  });

  test('refuses cross-site posts: its own sign-in and the kit routes', async () => {
    expect((await signIn(simulated.url, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await signIn(simulated.url, { origin: 'https://evil.example' })).status).toBe(403);
    const cookie = (await signIn(simulated.url)).headers.get('set-cookie')?.split(';')[0] ?? '';
    for (const route of ['start', 'redact', 'cancel']) {
      const response = await fetch(`${simulated.url}/identity/${route}`, {
        method: 'POST',
        headers: { cookie, origin: 'https://evil.example' },
      });
      expect(response.status).toBe(403);
    }
    const modal = await fetch(`${simulated.url}/identity-modal/start`, {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(modal.status).toBe(403);
  });

  test('the modal route answers a client secret, never stored or shown in the admin view', async () => {
    const cookie = (await signIn(simulated.url)).headers.get('set-cookie')?.split(';')[0] ?? '';
    const started = await fetch(`${simulated.url}/identity-modal/start`, {
      method: 'POST',
      headers: { cookie },
    });
    const result = (await started.json()) as { status: string; clientSecret?: string };
    expect(result.status).toBe('modal');
    expect(result.clientSecret).toMatch(/^vs_\w+_secret_/);
    const admin = await (await fetch(`${simulated.url}/admin`)).text();
    expect(admin).toContain('demo_ada-lovelace');
    expect(admin).not.toContain(result.clientSecret);
    const script = await fetch(
      `${new URL(simulated.output().match(/simulator at (\S+)/)?.[1] ?? '').origin}/verify/stripe.js`,
    );
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('verifyIdentity');
  });
});
