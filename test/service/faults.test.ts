import { describe, expect, test } from 'vitest';
import { StripeRequestError } from '../../src/errors.js';
import { harness } from '../support/harness.js';

const CREATE = { method: 'POST', path: '/v1/identity/verification_sessions' };

describe('Stripe faults during create', () => {
  test('a reset connection is retried by stripe-node with our idempotency key: one session', async () => {
    const h = await harness();
    h.sim.failNext({ kind: 'reset', match: CREATE });
    expect((await h.service.start({ id: 'user_1' })).status).toBe('redirect');
    h.sim.failNext({ kind: 'reset', match: CREATE, phase: 'after' });
    expect((await h.service.start({ id: 'user_2' })).status).toBe('redirect');
    expect(h.created()).toBe(2);
    const keys = h.sim.requests
      .filter((request) => request.method === 'POST')
      .map((request) => request.idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
  });

  test('a 500 before Stripe acts: typed error, no session, slot released', async () => {
    const h = await harness();
    h.sim.failNext({ kind: 'http_500', match: CREATE });
    const error = await h.service.start({ id: 'user_1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeRequestError);
    expect(error).toMatchObject({ indeterminate: true, retryable: true });
    expect(h.created()).toBe(0);
    expect((await h.service.start({ id: 'user_1' })).status).toBe('redirect');
    expect(h.created()).toBe(1);
  });

  test('429: typed, retryable, not indeterminate, nothing leaked', async () => {
    const h = await harness();
    h.sim.failNext({ kind: 'http_429', match: CREATE });
    await expect(h.service.start({ id: 'user_1' })).rejects.toMatchObject({
      code: 'stripe_rate_limited',
      retryable: true,
      indeterminate: false,
      statusCode: 429,
      requestId: expect.stringMatching(/^req_/),
    });
    expect((await h.service.start({ id: 'user_1' })).status).toBe('redirect');
    expect(h.created()).toBe(1);
  });

  test.each(['http_500', 'reset'] as const)(
    '%s after Stripe created the session: the user still ends with one',
    async (kind) => {
      const h = await harness();
      h.sim.failNext({ kind, match: CREATE, phase: 'after' });
      const first = await h.service.start({ id: 'user_1' }).catch((caught: unknown) => caught);
      expect(h.created()).toBe(1);
      const second = await h.service.start({ id: 'user_1' });
      expect(second.status).toBe('redirect');
      expect(h.created()).toBe(1);
      if (second.status === 'redirect' && first && typeof first === 'object' && 'sessionId' in first) {
        expect(second.sessionId).toBe((first as { sessionId: string }).sessionId);
      }
      expect((await h.service.status('user_1')).sessions.used).toBe(1);
    },
  );

  test('indeterminate create while the reconcile list fails too: the next start finds the session', async () => {
    const h = await harness();
    h.sim.failNext({ kind: 'http_500', match: CREATE, phase: 'after' });
    h.sim.failNext({
      kind: 'http_500',
      match: { method: 'GET', path: '/v1/identity/verification_sessions' },
    });
    await expect(h.service.start({ id: 'user_1' })).rejects.toBeInstanceOf(StripeRequestError);
    const next = await h.service.start({ id: 'user_1' });
    expect(next.status).toBe('redirect');
    expect(h.created()).toBe(1);
    expect((await h.service.status('user_1')).sessions.used).toBe(1);
  });

  test('authentication failure is typed and not retryable', async () => {
    const h = await harness({ sim: { apiKeys: ['sk_test_other'] } });
    await expect(h.service.start({ id: 'user_1' })).rejects.toMatchObject({
      code: 'stripe_authentication',
      retryable: false,
    });
    expect((await h.service.status('user_1')).sessions.used).toBe(0);
  });
});
