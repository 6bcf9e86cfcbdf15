import { describe, expect, test } from 'vitest';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import { harness } from '../support/harness.js';
import { bearerAuth, listen } from './serve.js';

const user = { authorization: 'Bearer user_1' };

/** A user who has started (and holds a live link), with the routes served under /identity. */
async function started(options: { returnTo?: string; allowedOrigins?: string[] } = { returnTo: '/verify' }) {
  const h = await harness();
  const routes = createVerificationRoutes(h.service, bearerAuth, options);
  const base = await listen(toNodeListener(routes.fetch), '/identity');
  const answer = await fetch(`${base}/start`, { method: 'POST', headers: user });
  const { url } = (await answer.json()) as { url: string };
  return { h, base, url, callsAfterStart: h.calls() };
}

const back = (base: string, headers: Record<string, string>) =>
  fetch(`${base}/return`, { headers: { ...user, ...headers }, redirect: 'manual' });

describe('GET /return from another site answers from the store: it cannot revoke the current link', () => {
  test.each([
    [
      '<img> (Safari, Firefox)',
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
    ],
    ['<script>', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' }],
    [
      'hidden <iframe>',
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' },
    ],
    [
      'fetch()',
      {
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'cors',
        'sec-fetch-dest': 'empty',
        origin: 'https://evil.example',
      },
    ],
  ])('%s: 303 to returnTo, no Stripe call, the link still opens', async (_name, headers) => {
    const { h, base, url, callsAfterStart } = await started();
    const answer = await back(base, headers);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/verify');
    expect(h.calls()).toBe(callsAfterStart);
    expect((await fetch(url)).status).toBe(200);
  });

  test('30 such loads leave the user able to resume (the link cap is not spent)', async () => {
    const { h, base, callsAfterStart } = await started();
    for (let i = 0; i < 30; i += 1) {
      await back(base, {
        'sec-fetch-site': 'cross-site',
        'sec-fetch-dest': 'image',
        'sec-fetch-mode': 'no-cors',
      });
    }
    expect(h.calls()).toBe(callsAfterStart);
    const resumed = await fetch(`${base}/start`, { method: 'POST', headers: user });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).not.toMatchObject({ status: 'limit_reached' });
  });

  test('without returnTo the JSON answer is the stored status', async () => {
    const { h, base, callsAfterStart } = await started({});
    const answer = await back(base, { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ userId: 'user_1' });
    expect(h.calls()).toBe(callsAfterStart);
  });
});

describe('GET /return reconciles with Stripe where it must', () => {
  test.each([
    [
      "Stripe's redirect back: a cross-site top-level navigation",
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
    ],
    [
      'a same-origin fetch() of the app itself',
      { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' },
    ],
    ['no Sec-Fetch-* at all (an older browser, a server)', {}],
  ])('%s', async (_name, headers) => {
    const { h, base, callsAfterStart } = await started();
    const answer = await back(base, headers);
    expect(answer.status).toBe(303);
    expect(h.calls()).toBeGreaterThan(callsAfterStart);
  });

  test('a fetch() from a frontend listed in allowedOrigins reconciles', async () => {
    const frontend = 'https://frontend.example.net';
    const { h, base, callsAfterStart } = await started({ allowedOrigins: [frontend] });
    const answer = await back(base, {
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'cors',
      'sec-fetch-dest': 'empty',
      origin: frontend,
    });
    expect(answer.status).toBe(200);
    expect(h.calls()).toBeGreaterThan(callsAfterStart);
  });
});
