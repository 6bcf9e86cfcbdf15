import { afterEach, describe, expect, test } from 'vitest';
import { type Harness, MODES, startHarness } from './harness.js';

const HOURS = 60 * 60 * 1000;

/** The current test's way to reach the hosted pages (set with the harness). */
let pageFetch: typeof fetch = fetch;

async function choose(url: string, outcome: string): Promise<Response> {
  return pageFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `outcome=${outcome}`,
    redirect: 'manual',
  });
}

describe.each(MODES)('links and the hosted page (%s)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.close();
  });

  test('the page offers stable outcome buttons, and a choice redirects (303) to return_url', async () => {
    h = await startHarness(mode);
    pageFetch = h.fetch;
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      return_url: 'https://app.example/return?x=1',
    });
    const url = s.url ?? '';
    expect(
      url.startsWith(mode === 'listen' ? `${h.baseUrl}/verify/` : 'https://verify.stripe.com/start/'),
    ).toBe(true);
    const pageResponse = await pageFetch(url);
    expect(pageResponse.status).toBe(200);
    const html = await pageResponse.text();
    for (const outcome of [
      'verified',
      'document_expired',
      'selfie_face_mismatch',
      'consent_declined',
      'cancel',
    ]) {
      expect(html).toContain(`data-outcome="${outcome}"`);
    }
    expect(h.sim.linkStatus(url)).toBe('used');
    const answer = await choose(url, 'verified');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('https://app.example/return?x=1');
    expect(h.sim.session(s.id)?.status).toBe('verified');
    const reopened = await pageFetch(url);
    expect(reopened.status).toBe(410);
    expect(await reopened.text()).toContain('data-link-status="used"');
    expect(h.sim.pageVisits.map((v) => [v.method, v.status, v.linkStatus])).toEqual([
      ['GET', 200, 'active'],
      ['POST', 303, 'used'],
      ['GET', 410, 'used'],
    ]);
  });

  test('a failure choice leaves requires_input; retrieve gives a fresh working link', async () => {
    h = await startHarness(mode);
    pageFetch = h.fetch;
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      return_url: 'https://a.example/',
    });
    await pageFetch(s.url ?? '');
    expect((await choose(s.url ?? '', 'document_expired')).status).toBe(303);
    const failed = await h.stripe.identity.verificationSessions.retrieve(s.id);
    expect(failed.last_error?.code).toBe('document_expired');
    expect(failed.url).not.toBe(s.url);
    expect((await pageFetch(failed.url ?? '')).status).toBe(200);
  });

  test('cancel on the page changes nothing at Stripe but uses the link', async () => {
    h = await startHarness(mode);
    pageFetch = h.fetch;
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      return_url: 'https://a.example/',
    });
    expect((await choose(s.url ?? '', 'cancel')).status).toBe(303);
    expect(h.sim.session(s.id)?.status).toBe('requires_input');
    expect(h.sim.events).toHaveLength(1);
    expect(h.sim.linkStatus(s.url ?? '')).toBe('used');
  });

  test('url expires after 48 h, client_secret after 24 h', async () => {
    h = await startHarness(mode);
    pageFetch = h.fetch;
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    h.sim.advance(24 * HOURS);
    expect(h.sim.linkStatus(s.client_secret ?? '')).toBe('active');
    h.sim.advance(1);
    expect(h.sim.linkStatus(s.client_secret ?? '')).toBe('expired');
    expect(h.sim.useClientSecret(s.client_secret ?? '')).toBe('expired');
    h.sim.advance(24 * HOURS - 1);
    expect(h.sim.linkStatus(s.url ?? '')).toBe('active');
    h.sim.advance(1);
    expect(h.sim.linkStatus(s.url ?? '')).toBe('expired');
    const expired = await pageFetch(s.url ?? '');
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('data-link-status="expired"');
    const fresh = await h.stripe.identity.verificationSessions.retrieve(s.id);
    expect(h.sim.linkStatus(fresh.url ?? '')).toBe('active');
  });

  test('a client secret is single-use; revoked links and unknown links are refused', async () => {
    h = await startHarness(mode);
    pageFetch = h.fetch;
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    expect(h.sim.useClientSecret(s.client_secret ?? '')).toBe('active');
    expect(h.sim.useClientSecret(s.client_secret ?? '')).toBe('used');
    await h.stripe.identity.verificationSessions.retrieve(s.id);
    expect((await pageFetch(s.url ?? '')).status).toBe(410);
    const unknown = (s.url ?? '').replace(/[^/]+$/, 'test_nope');
    expect((await pageFetch(unknown)).status).toBe(404);
    expect(h.sim.linkStatus('vs_x_secret_y')).toBe('unknown');
  });

  test('a page opened before the session was canceled cannot submit', async () => {
    h = await startHarness(mode);
    pageFetch = h.fetch;
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    expect((await pageFetch(s.url ?? '')).status).toBe(200);
    await h.stripe.identity.verificationSessions.cancel(s.id);
    expect((await choose(s.url ?? '', 'verified')).status).toBe(410);
    expect(h.sim.session(s.id)?.status).toBe('canceled');
  });
});
