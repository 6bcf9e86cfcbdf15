import Stripe from 'stripe';
import { afterEach, describe, expect, test } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { IdentitySimulator } from '../../src/testing/index.js';
import { type Harness, MODES, rejection, startHarness } from './harness.js';

const CREATE = { method: 'POST', path: '/v1/identity/verification_sessions' };

describe.each(MODES)('faults (%s)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.close();
  });

  test('http_500 before: StripeAPIError and nothing created', async () => {
    h = await startHarness(mode);
    h.sim.failNext({ kind: 'http_500', match: CREATE });
    const error = await rejection(h.stripe.identity.verificationSessions.create({ type: 'document' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 500, rawType: 'api_error' });
    expect(h.sim.sessions()).toHaveLength(0);
    expect(h.sim.requests[0]).toMatchObject({ status: 500, fault: 'http_500' });
    const next = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    expect(next.status).toBe('requires_input');
  });

  test('http_429: StripeRateLimitError with code rate_limit', async () => {
    h = await startHarness(mode);
    h.sim.failNext({ kind: 'http_429', count: 2 });
    const first = await rejection(h.stripe.identity.verificationSessions.list());
    expect(first).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(first.code).toBe('rate_limit');
    await rejection(h.stripe.identity.verificationSessions.list());
    expect((await h.stripe.identity.verificationSessions.list()).data).toEqual([]);
  });

  test('a reset is retried once by stripe-node with the same idempotency key', async () => {
    h = await startHarness(mode);
    h.sim.failNext({ kind: 'reset', match: CREATE });
    const session = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    expect(session.status).toBe('requires_input');
    const [dropped, retried] = h.sim.requests;
    expect(dropped).toMatchObject({ status: 'reset', fault: 'reset' });
    expect(retried).toMatchObject({ status: 200, fault: null });
    expect(retried?.idempotencyKey).toBe(dropped?.idempotencyKey);
  });

  test('two resets surface a StripeConnectionError; before-phase means nothing was created', async () => {
    h = await startHarness(mode);
    h.sim.failNext({ kind: 'reset', match: CREATE, count: 2 });
    const error = await rejection(h.stripe.identity.verificationSessions.create({ type: 'document' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(h.sim.sessions()).toHaveLength(0);
  });

  test('after-phase 500: the session IS created, the client sees an error, a retry with the key replays', async () => {
    h = await startHarness(mode);
    h.sim.failNext({ kind: 'http_500', match: CREATE, phase: 'after' });
    const vs = h.stripe.identity.verificationSessions;
    const error = await rejection(
      vs.create({ type: 'document', client_reference_id: 'u1' }, { idempotencyKey: 'k1' }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(h.sim.sessions()).toHaveLength(1);
    expect(h.sim.events.map((e) => e.type)).toEqual(['identity.verification_session.created']);
    const found = await vs.list({ client_reference_id: 'u1' });
    expect(found.data).toHaveLength(1);
    const retried = await vs.create(
      { type: 'document', client_reference_id: 'u1' },
      { idempotencyKey: 'k1' },
    );
    expect(retried.id).toBe(found.data[0]?.id);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  test('after-phase resets: applied once, then the automatic retry is a replay', async () => {
    h = await startHarness(mode);
    h.sim.failNext({ kind: 'reset', match: CREATE, phase: 'after', count: 2 });
    const error = await rejection(h.stripe.identity.verificationSessions.create({ type: 'document' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(h.sim.sessions()).toHaveLength(1);
    expect(h.sim.requests.map((r) => [r.status, r.replayed])).toEqual([
      ['reset', false],
      ['reset', true],
    ]);
  });

  test('slow answers are delayed (and, over HTTP or in-process, hit the client timeout)', async () => {
    h = await startHarness(mode);
    if (mode !== 'intercept') {
      h.sim.failNext({ kind: 'slow', delayMs: 400, match: { method: 'GET', path: /^\/v1\/identity\// } });
      const error = await rejection(h.stripe.identity.verificationSessions.list({}, { timeout: 50 }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect(error.message).toMatch(/timeout/);
    } else {
      // nock answers through its own socket, so a client timeout cannot fire there: the answer only arrives late.
      h.sim.failNext({ kind: 'slow', delayMs: 20 });
      expect((await h.stripe.identity.verificationSessions.list()).data).toEqual([]);
    }
    expect(h.sim.requests[0]?.fault).toBe('slow');
  });

  test('a second request with a key still in flight gets 409 idempotency_error', async () => {
    h = await startHarness(mode);
    h.sim.failNext({ kind: 'slow', delayMs: 200, match: CREATE });
    const vs = h.stripe.identity.verificationSessions;
    const results = await Promise.allSettled([
      vs.create({ type: 'document' }, { idempotencyKey: 'same' }),
      vs.create({ type: 'document' }, { idempotencyKey: 'same' }),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.flatMap((r) =>
      r.status === 'rejected' ? [r.reason as Record<string, unknown>] : [],
    );
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ statusCode: 409, rawType: 'idempotency_error' });
    expect(h.sim.sessions()).toHaveLength(1);
  });

  test('faults match method and path, and clearFaults removes them', async () => {
    h = await startHarness(mode);
    h.sim.failNext({ kind: 'http_500', match: { method: 'get', path: '/v1/account' }, count: 5 });
    expect((await h.stripe.identity.verificationSessions.list()).object).toBe('list');
    await rejection(h.stripe.accounts.retrieveCurrent());
    h.sim.clearFaults();
    expect((await h.stripe.accounts.retrieveCurrent()).object).toBe('account');
    expect(() => h.sim.failNext({ kind: 'http_500', count: 0 })).toThrow(InvalidInputError);
    expect(() => h.sim.setFaultRate(2, { kind: 'http_500' })).toThrow(InvalidInputError);
  });
});

test('fault rates are reproducible from the seed', async () => {
  async function pattern(seed: number): Promise<Array<number | 'reset'>> {
    const sim = new IdentitySimulator({ seed });
    const target = await sim.listen();
    const stripe = new Stripe('sk_test_x', { ...target, maxNetworkRetries: 0, telemetry: false });
    expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    sim.setFaultRate(0.3, { kind: 'http_500', match: { method: 'GET' } });
    for (let i = 0; i < 30; i += 1) await stripe.identity.verificationSessions.list().catch(() => undefined);
    await sim.close();
    return sim.requests.map((r) => r.status);
  }
  const a = await pattern(7);
  expect(await pattern(7)).toEqual(a);
  const failures = a.filter((s) => s === 500).length;
  expect(failures).toBeGreaterThan(3);
  expect(failures).toBeLessThan(20);
  expect(await pattern(8)).not.toEqual(a);
});
