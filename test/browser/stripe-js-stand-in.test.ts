/**
 * The simulator's stand-in for Stripe.js's modal flow, over HTTP (the Chromium journey through it is in
 * demo.test.ts): the script it serves, the hosted page opened by a client secret, single use, and the
 * answer the modal's iframe posts instead of a redirect.
 */
import { describe, expect, test } from 'vitest';
import { harness } from '../support/harness.js';

async function modalSession() {
  const h = await harness({ service: { flow: 'modal' }, sim: { webhooks: { autoDeliver: true } } });
  const started = await h.service.start({ id: 'user_modal' });
  if (started.status !== 'modal') throw new Error(started.status);
  const target = await h.sim.listen();
  return { h, started, page: `${target.baseUrl}/verify/modal/${encodeURIComponent(started.clientSecret)}` };
}

describe('the Stripe.js stand-in', () => {
  test('serves Stripe(key).verifyIdentity as a script next to the hosted pages', async () => {
    const { h } = await modalSession();
    const target = await h.sim.listen();
    const script = await fetch(`${target.baseUrl}/verify/stripe.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    const text = await script.text();
    expect(text).toContain('window.Stripe');
    expect(text).toContain('session_cancelled');
    expect(h.sim.pageVisits).toHaveLength(0);
  });

  test('the client secret opens the hosted page once; the answer is posted to the opener, not redirected', async () => {
    const { h, started, page } = await modalSession();
    const opened = await fetch(page);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('data-outcome="verified"');
    expect(h.sim.linkStatus(started.clientSecret)).toBe('used');
    expect((await fetch(page)).status).toBe(410);

    const answered = await fetch(page, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=verified',
      redirect: 'manual',
    });
    expect(answered.status).toBe(200);
    const body = await answered.text();
    expect(body).toContain('parent.postMessage(');
    expect(body).toContain('"result":{}');
    expect(body).not.toContain(started.clientSecret);
    await h.sim.flushWebhooks();
    expect(await h.service.handleReturn('user_modal', started.sessionId)).toMatchObject({
      state: 'verified',
    });
  });

  test('cancel in the modal resolves with session_cancelled and submits nothing', async () => {
    const { h, started, page } = await modalSession();
    await fetch(page);
    const answered = await fetch(page, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=cancel',
    });
    expect(await answered.text()).toContain('"code":"session_cancelled"');
    expect(h.sim.session(started.sessionId)?.status).toBe('requires_input');
    expect(h.sim.reports()).toHaveLength(0);
  });
});
