import Stripe from 'stripe';
import { afterEach, describe, expect, test } from 'vitest';
import { IdentitySimulator } from '../../src/testing/index.js';
import { type Harness, MODES, rejection, startHarness } from './harness.js';

const T = 'identity.verification_session';

describe.each(MODES)('webhook endpoints through the API (%s)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.close();
  });

  test('create shows the secret once; retrieve, update, list and delete behave like Stripe', async () => {
    h = await startHarness(mode, { webhooks: { autoDeliver: false } });
    const endpoints = h.stripe.webhookEndpoints;
    const created = await endpoints.create({
      url: 'https://a.example/hook',
      enabled_events: [`${T}.verified`, `${T}.redacted`],
      description: 'ours',
    });
    expect(created.secret).toMatch(/^whsec_\w{32}$/);
    expect(created.api_version).toBeNull();
    const again = await endpoints.retrieve(created.id);
    expect(again).not.toHaveProperty('secret');
    expect(again.description).toBe('ours');
    const updated = await endpoints.update(created.id, { disabled: true, enabled_events: ['*'] });
    expect(updated).toMatchObject({ status: 'disabled', enabled_events: ['*'] });
    const pinned = await endpoints.create({
      url: 'https://a.example/two',
      enabled_events: ['*'],
      api_version: '2024-04-10',
    });
    expect(pinned.api_version).toBe('2024-04-10');
    expect((await endpoints.list()).data.map((ep) => ep.id)).toEqual([pinned.id, created.id]);
    expect((await endpoints.list({ limit: 1 })).has_more).toBe(true);
    expect(await endpoints.del(created.id)).toEqual(
      expect.objectContaining({ id: created.id, object: 'webhook_endpoint', deleted: true }),
    );
    expect(await rejection(endpoints.retrieve(created.id))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    // Live and test endpoints never see each other.
    expect((await h.client('sk_live_other').webhookEndpoints.list()).data).toEqual([]);
  });

  test('bad parameters are refused with the parameter named', async () => {
    h = await startHarness(mode);
    const endpoints = h.stripe.webhookEndpoints;
    const missing = await rejection(
      endpoints.create({ enabled_events: ['*'] } as Stripe.WebhookEndpointCreateParams),
    );
    expect(missing).toMatchObject({ statusCode: 400, param: 'url', code: 'parameter_missing' });
    const badUrl = await rejection(endpoints.create({ url: 'not a url', enabled_events: ['*'] }));
    expect(badUrl).toMatchObject({ statusCode: 400, param: 'url' });
    const badEvent = await rejection(
      endpoints.create({
        url: 'https://a.example',
        enabled_events: ['no spaces please' as 'account.updated'],
      }),
    );
    expect(badEvent).toMatchObject({ statusCode: 400, param: 'enabled_events[0]' });
  });

  test('an endpoint created through the API receives events; a disabled one does not', async () => {
    h = await startHarness(mode, { webhooks: { autoDeliver: false, maxAttempts: 1 } });
    const on = await h.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/on',
      enabled_events: [`${T}.created`],
    });
    const off = await h.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/off',
      enabled_events: ['*'],
    });
    await h.stripe.webhookEndpoints.update(off.id, { disabled: true });
    await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.flushWebhooks();
    expect(h.sim.deliveries.map((d) => d.endpointId)).toEqual([on.id]);
  });

  test('restricted keys limited to some resources get Stripe’s 403 elsewhere', async () => {
    h = await startHarness(mode, {
      restrictedKeyPermissions: { rk_test_webhooks_only: ['webhook_endpoints'] },
    });
    const limited = h.client('rk_test_webhooks_only');
    expect((await limited.webhookEndpoints.list()).data).toEqual([]);
    const denied = await rejection(limited.identity.verificationSessions.list());
    expect(denied).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect(denied.message).toContain("Having the 'rak_identity_product_read' permission");
    expect((await h.client('rk_test_other').identity.verificationSessions.list()).data).toEqual([]);
  });
});

describe('simulator lifecycle helpers', () => {
  test('reset() forgets state and API endpoints but keeps configured endpoints, and time never goes back', async () => {
    const sim = new IdentitySimulator({ webhooks: { autoDeliver: false } });
    const stripe = (await import('../../src/testing/index.js')).createTestStripe(sim);
    try {
      const kept = sim.addWebhookEndpoint({ url: 'http://127.0.0.1:9/kept' });
      await stripe.webhookEndpoints.create({ url: 'https://a.example/gone', enabled_events: ['*'] });
      const session = await stripe.identity.verificationSessions.create({ type: 'document' });
      sim.advance(5_000);
      const before = sim.now();
      sim.failNext({ kind: 'http_500' });
      sim.setAccount({ country: 'DE' });
      sim.reset();
      expect(sim.now()).toBe(before);
      expect(sim.requests).toEqual([]);
      expect(sim.events).toEqual([]);
      expect(sim.sessions()).toEqual([]);
      const listed = (await stripe.webhookEndpoints.list()).data;
      expect(listed.map((ep) => ep.url)).toEqual(['http://127.0.0.1:9/kept']);
      expect(listed[0]?.id).toBe(kept.id);
      expect((await stripe.accounts.retrieveCurrent()).country).toBe('US');
      expect(await rejection(stripe.identity.verificationSessions.retrieve(session.id))).toMatchObject({
        statusCode: 404,
      });
      const fresh = await stripe.webhookEndpoints.create({
        url: 'https://a.example/new',
        enabled_events: ['*'],
      });
      expect(fresh.id).not.toBe(kept.id);
    } finally {
      await sim.close();
    }
  });

  test('setAccount() merges into GET /v1/account', async () => {
    const sim = new IdentitySimulator({ account: { business_profile: { name: 'Acme' } } });
    try {
      sim.setAccount({ settings: { branding: { primary_color: '#000000' } } });
      const response = await sim.fetch('http://sim/v1/account', {
        headers: { authorization: 'Bearer sk_test_x' },
      });
      const account = (await response.json()) as Stripe.Account;
      expect(account.business_profile?.name).toBe('Acme');
      expect(account.settings?.branding.primary_color).toBe('#000000');
      expect(account.settings?.branding.icon).toBeNull();
    } finally {
      await sim.close();
    }
  });

  test('wallClock: the clock starts now and follows real time; advance() still jumps ahead', async () => {
    const sim = new IdentitySimulator({ wallClock: true });
    try {
      expect(Math.abs(sim.now() - Date.now())).toBeLessThan(1_000);
      // Any request first brings the clock up to date; bracketing it with real time bounds the sync time.
      const read = async () => {
        const before = Date.now();
        const { now } = (await (await sim.fetch('http://sim/_simulator/clock')).json()) as { now: number };
        return { now, before, after: Date.now() };
      };
      sim.advance(60_000);
      const first = await read();
      expect(first.now - first.after).toBeGreaterThanOrEqual(59_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await read();
      // The simulated time moved by the real time between the two syncs, no more, no less.
      expect(second.now - first.now).toBeGreaterThanOrEqual(second.before - first.after);
      expect(second.now - first.now).toBeLessThanOrEqual(second.after - first.before);
    } finally {
      await sim.close();
    }
  });

  test('onRequest reports each call once with its answer; onDelivery each attempt', async () => {
    const seen: string[] = [];
    const attempts: string[] = [];
    const sim = new IdentitySimulator({
      onRequest: (r) => seen.push(`${r.method} ${r.path} ${r.status}`),
      onDelivery: (d) => attempts.push(`${d.attempt} ${d.status}`),
    });
    try {
      sim.addWebhookEndpoint({ handler: async () => new Response(null, { status: 204 }) });
      const stripe = (await import('../../src/testing/index.js')).createTestStripe(sim);
      sim.failNext({ kind: 'slow', delayMs: 100, match: { method: 'GET' } });
      const slow = stripe.identity.verificationSessions.list();
      const created = await stripe.identity.verificationSessions.create({ type: 'document' });
      await slow;
      sim.failNext({ kind: 'http_500' });
      await rejection(stripe.identity.verificationSessions.retrieve(created.id));
      await sim.flushWebhooks();
      expect(seen).toEqual([
        'POST /v1/identity/verification_sessions 200',
        'GET /v1/identity/verification_sessions 200',
        `GET /v1/identity/verification_sessions/${created.id} 500`,
      ]);
      expect(attempts).toEqual(['1 204']);
    } finally {
      await sim.close();
    }
  });

  test('sim.fetch serves the control API in-process too', async () => {
    const sim = new IdentitySimulator();
    try {
      const stripe = (await import('../../src/testing/index.js')).createTestStripe(sim);
      const session = await stripe.identity.verificationSessions.create({ type: 'document' });
      const answer = await sim.fetch(`http://sim/_simulator/sessions/${session.id}/submit`, {
        method: 'POST',
        body: 'outcome=verified',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(answer.status).toBe(200);
      expect(sim.session(session.id)?.status).toBe('verified');
    } finally {
      await sim.close();
    }
  });
});
