/**
 * Defects an adversarial review found in the hardening work, each reproduced first, then fixed.
 */
import { describe, expect, test, vi } from 'vitest';
import {
  AttemptInProgressError,
  IdentityKitError,
  InvalidInputError,
  RateLimitedError,
  StoreUnavailableError,
} from '../../src/errors.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { VerificationService } from '../../src/service.js';
import { MemoryStore } from '../../src/stores/memory.js';
import { createTestStripe } from '../../src/testing/index.js';
import { harness, RETURN_URL } from '../support/harness.js';
import { CREATE, impatient, settle } from '../support/impatient.js';

const RETRIEVE = /^\/v1\/identity\/verification_sessions\/vs_[^/]*$/;

describe('money: a retry with other user details repeats the same create', () => {
  test('a create slower than the slot lease: the second instance waits (409), one session', async () => {
    const h = await harness({ webhooks: true });
    const other = h.another();
    h.sim.failNext({ kind: 'slow', delayMs: 400, match: CREATE });
    const first = h.service.start({ id: 'user_1', email: 'a@example.com' });
    await settle(100);
    h.sim.advance(31_000); // the slot's lease runs out while Stripe still works on the create
    await expect(other.start({ id: 'user_1', email: 'b@example.com' })).rejects.toBeInstanceOf(
      AttemptInProgressError,
    );
    expect((await first).status).toBe('redirect');
    await h.sim.flushWebhooks();
    expect(h.sim.sessions()).toHaveLength(1);
    expect((await other.start({ id: 'user_1', email: 'b@example.com' })).status).toBe('redirect');
    expect(h.sim.sessions()).toHaveLength(1);
    // The details reach Stripe as an update of the one session, not as a second create.
    const id = h.sim.sessions()[0]?.id;
    expect(h.sim.requests.some((r) => r.method === 'POST' && r.path === `${CREATE.path}/${id}`)).toBe(true);
    const creates = h.sim.requests.filter((r) => r.method === 'POST' && r.path === CREATE.path);
    expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(1);
  });

  test('without webhooks, a changed email after a lost create never makes a second session', async () => {
    const t = await impatient();
    t.sim.failNext({ kind: 'slow', delayMs: 500, match: CREATE });
    await expect(t.service.start({ id: 'user_1', email: 'a@example.com' })).rejects.toMatchObject({
      indeterminate: true,
    });
    await expect(t.service.start({ id: 'user_1', email: 'b@example.com' })).rejects.toBeInstanceOf(
      AttemptInProgressError,
    );
    await settle(700);
    expect((await t.service.start({ id: 'user_1', email: 'b@example.com' })).status).toBe('redirect');
    expect(t.sim.sessions()).toHaveLength(1);
    expect((await t.service.status('user_1')).sessions.used).toBe(1);
  });

  test('a store failure while adopting lost sessions leaves the rest to find next time', async () => {
    const store = new MemoryStore();
    const t = await impatient({ store, timeout: 5_000 });
    // Two sessions Stripe holds for the user that the store never heard of (lost answers, another deploy).
    for (const type of ['document', 'id_number'] as const) {
      await t.stripe.identity.verificationSessions.create({
        type,
        client_reference_id: 'user_1',
        metadata: { user_id: 'user_1' },
      });
      t.sim.advance(1_000);
    }
    // An unknown outcome whose listing fails too: the next start must reconcile.
    t.sim.failNext({ kind: 'http_500', match: CREATE });
    t.sim.failNext({ kind: 'http_500', match: { method: 'GET', path: CREATE.path } });
    await expect(t.service.start({ id: 'user_1' })).rejects.toMatchObject({ indeterminate: true });
    const insert = store.insertSession.bind(store);
    let failures = 1;
    store.insertSession = async (record) => {
      if (failures-- > 0) throw new StoreUnavailableError('connection lost');
      return insert(record);
    };
    await expect(t.service.start({ id: 'user_1' })).rejects.toMatchObject({ code: 'store_unavailable' });
    expect((await t.service.start({ id: 'user_1' })).status).toBe('redirect');
    expect((await t.service.status('user_1')).sessions.used).toBe(2);
    expect(t.open()).toHaveLength(1);
  });
});

describe('security: the link cap has no bypass and locks nobody out', () => {
  test('cross-site <img src=/return> requests cannot lock the user out of start()', async () => {
    const h = await harness();
    const routes = createVerificationRoutes(h.service, { authenticate: async () => ({ id: 'user_1' }) });
    expect((await h.service.start({ id: 'user_1' })).status).toBe('redirect');
    for (let i = 0; i < 30; i += 1) {
      const answer = await routes.fetch(
        new Request('https://app.example.com/verify/return', {
          headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image', 'sec-fetch-mode': 'no-cors' },
        }),
      );
      expect(answer.status).toBe(200);
    }
    const answer = await routes.fetch(
      new Request('https://app.example.com/verify/start', {
        method: 'POST',
        headers: { origin: 'https://app.example.com', 'sec-fetch-site': 'same-origin' },
      }),
    );
    expect(((await answer.json()) as { status: string }).status).toBe('redirect');
  });

  test('redact() in a loop is capped: RateLimitedError before Stripe past the cap', async () => {
    const h = await harness();
    await h.service.start({ id: 'user_1' });
    const before = h.calls();
    const outcomes: unknown[] = [];
    for (let i = 0; i < 30; i += 1)
      outcomes.push(await h.service.redact('user_1').catch((error: unknown) => error));
    expect(outcomes.filter((outcome) => outcome instanceof RateLimitedError)).toHaveLength(20);
    expect(h.calls() - before).toBeLessThanOrEqual(12);
    // Deletion has its own budget: the user can still verify.
    expect((await h.service.start({ id: 'user_1' })).status).toBe('redirect');
  });

  test('processing rechecks: at least a minute apart (option), and through the cap', async () => {
    expect(
      () =>
        new VerificationService({
          stripe: createTestStripe({ host: '127.0.0.1', port: 1, protocol: 'http' }),
          returnUrl: RETURN_URL,
          recheckProcessingAfterSeconds: 0.001,
        }),
    ).toThrow(/at least 60/);
    const h = await harness({
      service: { recheckProcessingAfterSeconds: 60, limits: { linkRefreshesPerMinute: 1 } },
    });
    const started = await h.service.start({ id: 'user_1' });
    if (started.status !== 'redirect') throw new Error('expected a link');
    await h.sim.beginSubmission(started.sessionId);
    await h.sim.flushWebhooks();
    await h.service.handleReturn('user_1'); // the user's one refresh of this minute is not this budget
    await h.service.start({ id: 'user_1' });
    h.sim.advance(61_000);
    const retrieves = () => h.sim.requests.filter((r) => r.method === 'GET' && RETRIEVE.test(r.path)).length;
    const before = retrieves();
    for (let i = 0; i < 30; i += 1)
      expect((await h.service.start({ id: 'user_1' })).status).toBe('processing');
    expect(retrieves() - before).toBe(1);
  });
});

describe('robustness and privacy', () => {
  test.each([Symbol('x'), 42, { id: 'vs_1' }, 'not-a-session', `vs_${'a'.repeat(300)}`])(
    'a malformed sessionId (%s) is a typed InvalidInputError',
    async (sessionId) => {
      const h = await harness();
      await h.service.start({ id: 'user_1' });
      for (const call of [
        () => h.service.handleReturn('user_1', sessionId as unknown as string),
        () => h.service.cancel('user_1', sessionId as unknown as string),
      ]) {
        const error = await call().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(IdentityKitError);
        expect(error).toBeInstanceOf(InvalidInputError);
      }
    },
  );

  test('onAlternative slower than the webhook claim lease still runs once', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const h = await harness({ webhooks: false });
    const onAlternative = vi.fn(async () => {
      if (onAlternative.mock.calls.length === 1) {
        h.sim.advance(61_000); // the review queue is slow
        await gate;
      }
    });
    const a = h.another({ onAlternative });
    const b = h.another({ onAlternative });
    const started = await a.start({ id: 'user_1' });
    if (started.status !== 'redirect') throw new Error('expected a link');
    await h.sim.submit(started.sessionId, 'consent_declined');
    await a.handleReturn('user_1');
    const first = a.start({ id: 'user_1' });
    await settle(50);
    await b.start({ id: 'user_1' });
    open();
    await first;
    expect(onAlternative).toHaveBeenCalledTimes(1);
  });

  test('AttemptInProgressError does not carry the raw user id (apps log error messages)', () => {
    expect(new AttemptInProgressError('user_raw_42').message).not.toContain('user_raw_42');
  });
});
