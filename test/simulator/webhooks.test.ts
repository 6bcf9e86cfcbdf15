import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterEach, describe, expect, test } from 'vitest';
import { type Harness, MODES, startHarness } from './harness.js';
import { type Received, recorder } from './webhook-recorder.js';

const verifier = new Stripe('sk_test_verifier');

describe.each(MODES)('webhooks (%s)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.close();
  });

  test('events are signed with the real scheme and verify with stripe-node', async () => {
    h = await startHarness(mode);
    const hook = recorder();
    const { secret } = h.sim.addWebhookEndpoint({ handler: hook.handler });
    const s = await h.stripe.identity.verificationSessions.create(
      { type: 'document' },
      { idempotencyKey: 'idem-1' },
    );
    await h.sim.submit(s.id, 'verified');
    await h.sim.flushWebhooks();
    expect(hook.types()).toEqual([
      'identity.verification_session.created',
      'identity.verification_session.processing',
      'identity.verification_session.verified',
    ]);
    for (const r of hook.received) {
      expect(r.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v0=[0-9a-f]{64}$/);
      const event = await verifier.webhooks.constructEventAsync(
        r.body,
        r.signature,
        secret,
        300,
        undefined,
        h.sim.now(),
      );
      expect(event.id).toMatch(/^evt_/);
    }
    const created = JSON.parse(hook.received[0]?.body ?? '{}') as Stripe.Event;
    expect(created).toMatchObject({
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: Math.floor(h.sim.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: s.lastResponse.requestId, idempotency_key: 'idem-1' },
      data: { object: { id: s.id, status: 'requires_input' } },
    });
    expect(hook.received[0]?.body).toBe(JSON.stringify(h.sim.events[0], null, 2));
    const verified = JSON.parse(
      hook.received[2]?.body ?? '{}',
    ) as Stripe.IdentityVerificationSessionVerifiedEvent;
    expect(verified.request).toEqual({ id: null, idempotency_key: null });
    expect(verified.data.object).not.toHaveProperty('verified_outputs');
    expect(h.sim.deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 200],
      [1, 200],
      [1, 200],
    ]);
  });

  test('a wrong secret or a stale timestamp fails verification', async () => {
    h = await startHarness(mode);
    const hook = recorder();
    h.sim.addWebhookEndpoint({ handler: hook.handler, secret: 'whsec_right' });
    await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.flushWebhooks();
    const r = hook.received[0] as Received;
    await expect(
      verifier.webhooks.constructEventAsync(r.body, r.signature, 'whsec_wrong', 300, undefined, h.sim.now()),
    ).rejects.toThrow(/No signatures found/);
    const late = h.sim.now() + 301_000;
    await expect(
      verifier.webhooks.constructEventAsync(r.body, r.signature, 'whsec_right', 300, undefined, late),
    ).rejects.toThrow(/tolerance/);
  });

  test('signPayload produces headers stripe-node accepts', async () => {
    h = await startHarness(mode);
    const payload = JSON.stringify({ id: 'evt_test', object: 'event' });
    const header = h.sim.signPayload(payload, 'whsec_x', 1_700_000_000);
    const expected = verifier.webhooks.generateTestHeaderString({
      payload,
      secret: 'whsec_x',
      timestamp: 1_700_000_000,
    });
    expect(header.startsWith(`${expected},v0=`)).toBe(true);
    const event = await verifier.webhooks.constructEventAsync(
      payload,
      header,
      'whsec_x',
      300,
      undefined,
      1_700_000_000_000,
    );
    expect(event.id).toBe('evt_test');
  });

  test('redacted goes only to endpoints that list it; * does not include it', async () => {
    h = await startHarness(mode);
    const all = recorder();
    const explicit = recorder();
    const live = recorder();
    h.sim.addWebhookEndpoint({ handler: all.handler, enabledEvents: ['*'] });
    h.sim.addWebhookEndpoint({
      handler: explicit.handler,
      enabledEvents: ['identity.verification_session.redacted', 'identity.verification_session.canceled'],
    });
    h.sim.addWebhookEndpoint({ handler: live.handler, livemode: true });
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.stripe.identity.verificationSessions.redact(s.id);
    await h.sim.completeRedactions();
    await h.sim.flushWebhooks();
    expect(all.types()).toEqual([
      'identity.verification_session.created',
      'identity.verification_session.canceled',
    ]);
    expect(explicit.types()).toEqual([
      'identity.verification_session.canceled',
      'identity.verification_session.redacted',
    ]);
    expect(live.types()).toEqual([]);
    const redacted = h.sim.events.at(-1);
    expect(redacted?.pending_webhooks).toBe(1);
  });

  test('non-2xx answers are retried up to maxAttempts, after simulated delays', async () => {
    h = await startHarness(mode, { webhooks: { retryDelayMs: 1_000 } });
    const flaky = recorder([500, 503, 200]);
    const broken = recorder([500]);
    h.sim.addWebhookEndpoint({ handler: flaky.handler });
    const brokenEp = h.sim.addWebhookEndpoint({ handler: broken.handler });
    await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.submit(h.sim.sessions()[0]?.id ?? '', 'verified');
    expect(flaky.received.length).toBe(3);
    h.sim.advance(1_000);
    await h.sim.flushWebhooks();
    const brokenAttempts = h.sim.deliveries.filter((d) => d.endpointId === brokenEp.id);
    expect(brokenAttempts.map((d) => d.attempt)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(brokenAttempts.every((d) => d.status === 500)).toBe(true);
    expect(flaky.received.length).toBeGreaterThan(3);
    const retryTimes = brokenAttempts.filter((d) => d.attempt === 2).map((d) => d.at);
    expect(retryTimes.every((t) => t >= brokenAttempts[0]!.at + 1_000)).toBe(true);
  });

  test('handlers that throw count as errors and are retried', async () => {
    h = await startHarness(mode, { webhooks: { maxAttempts: 2 } });
    h.sim.addWebhookEndpoint({
      handler: async () => {
        throw new Error('boom');
      },
    });
    await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.flushWebhooks();
    expect(h.sim.deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 'error'],
      [2, 'error'],
    ]);
  });

  test('webhook endpoints can be real HTTP servers on 127.0.0.1', async () => {
    const received: Received[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(req.headers['stripe-signature']),
        });
        res.writeHead(received.length === 1 ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      h = await startHarness(mode, { webhooks: { retryDelayMs: 0 } });
      const { secret } = h.sim.addWebhookEndpoint({ url: `http://127.0.0.1:${port}/webhook` });
      await h.stripe.identity.verificationSessions.create({ type: 'document' });
      await h.sim.flushWebhooks();
      expect(h.sim.deliveries.map((d) => d.status)).toEqual([500, 204]);
      for (const r of received) {
        const event = await verifier.webhooks.constructEventAsync(
          r.body,
          r.signature,
          secret,
          300,
          undefined,
          h.sim.now(),
        );
        expect(event.type).toBe('identity.verification_session.created');
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('delayed deliveries wait for the clock; autoDeliver: false waits for flush', async () => {
    h = await startHarness(mode, { webhooks: { delayMs: [1_000, 5_000] } });
    const hook = recorder();
    h.sim.addWebhookEndpoint({ handler: hook.handler });
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.submit(s.id, 'verified');
    expect(hook.received).toHaveLength(0);
    h.sim.advance(5_000);
    await h.sim.flushWebhooks();
    expect(hook.received).toHaveLength(3);
    await h.sim.close();
    h = await startHarness(mode, { webhooks: { autoDeliver: false } });
    const manual = recorder();
    h.sim.addWebhookEndpoint({ handler: manual.handler });
    const t = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.submit(t.id, 'verified');
    expect(manual.received).toHaveLength(0);
    await h.sim.flushWebhooks();
    expect(manual.types()).toHaveLength(3);
  });
});
