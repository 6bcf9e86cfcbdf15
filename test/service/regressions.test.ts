/**
 * Races and fault windows found in review, each played deterministically by pausing a store call at the
 * exact moment another actor (a webhook, a second instance) acts.
 */
import { describe, expect, test, vi } from 'vitest';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { MemoryStore } from '../../src/stores/memory.js';
import { harness, WEBHOOK_SECRET } from '../support/harness.js';

type Harness = Awaited<ReturnType<typeof harness>>;
const DAY = 86_400_000;

function send(h: Harness, event: unknown) {
  const body = JSON.stringify(event);
  return h.service.webhooks.handle({
    rawBody: body,
    signature: h.sim.signPayload(body, WEBHOOK_SECRET, Math.floor(h.sim.now() / 1000)),
  });
}

const nth = (h: Harness, type: string, index = 0) =>
  h.sim.events.filter((event) => event.type === `identity.verification_session.${type}`)[index];

async function link(h: Harness, userId = 'user_1') {
  const result = await h.service.start({ id: userId });
  if (result.status !== 'redirect') throw new Error(result.status);
  return result;
}

describe('races between the service and webhooks', () => {
  test('the created webhook recorded the session before the commit: it is still counted once', async () => {
    const store = new MemoryStore();
    const commit = store.commitSessionSlot.bind(store);
    let h: Harness | undefined;
    store.commitSessionSlot = async (subject, reservationId, record) => {
      // The webhook's own commit (a discovered session) must not wait for its own delivery.
      if (reservationId !== 'discovered') await h?.sim.flushWebhooks();
      return commit(subject, reservationId, record);
    };
    h = await harness({ store, service: { limits: { maxSubmissions: 3, maxSessions: 2, windowDays: 30 } } });
    const first = await link(h);
    expect((await h.service.status('user_1')).sessions.used).toBe(1);
    await h.service.cancel('user_1');
    const second = await link(h);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(h.sim.linkStatus(second.url)).toBe('active');
    expect((await h.service.status('user_1')).sessions.used).toBe(2);
  });

  test('the final failed submission still reaches the hooks when the user returned first', async () => {
    const requiresInput = vi.fn();
    const onAlternative = vi.fn();
    const h = await harness({
      service: {
        limits: { maxSubmissions: 1, maxSessions: 5, windowDays: 30 },
        on: { requiresInput },
        onAlternative,
      },
    });
    const { sessionId } = await link(h);
    await h.sim.submit(sessionId, 'under_supported_age');
    await h.service.handleReturn('user_1');
    expect(h.sim.session(sessionId)?.status).toBe('canceled');
    await h.sim.flushWebhooks();
    expect(requiresInput).toHaveBeenCalledTimes(1);
    expect(onAlternative).toHaveBeenCalledWith({
      userId: 'user_1',
      reason: 'under_supported_age',
      sessionId,
    });
  });

  test('a hook that failed is run again on redelivery even after a newer event made it stale', async () => {
    let fail = true;
    const requiresInput = vi.fn(async () => {
      if (fail) {
        fail = false;
        throw new Error('database down');
      }
    });
    const h = await harness({ service: { on: { requiresInput } } });
    const { sessionId } = await link(h);
    await h.sim.submit(sessionId, 'document_unverified_other');
    h.sim.advance(2_000);
    expect((await send(h, nth(h, 'processing'))).status).toBe(200);
    expect((await send(h, nth(h, 'requires_input'))).status).toBe(500);
    await h.service.start({ id: 'user_1' });
    h.sim.advance(2_000);
    await h.sim.beginSubmission(sessionId);
    expect((await send(h, nth(h, 'processing', 1))).status).toBe(200);
    expect((await send(h, nth(h, 'requires_input'))).status).toBe(200);
    expect(requiresInput).toHaveBeenCalledTimes(2);
    expect((await send(h, nth(h, 'requires_input'))).body).toMatchObject({ duplicate: true });
    expect(requiresInput).toHaveBeenCalledTimes(2);
  });

  test('a late processing of an earlier report in the same second does not undo a verification', async () => {
    const processing = vi.fn();
    const verified = vi.fn();
    const h = await harness({ service: { on: { processing, verified } } });
    const { sessionId } = await link(h);
    await h.sim.submit(sessionId, 'document_unverified_other');
    await link(h);
    await h.sim.submit(sessionId, 'verified');
    expect((await send(h, nth(h, 'processing', 1))).status).toBe(200);
    expect((await send(h, nth(h, 'verified'))).status).toBe(200);
    expect((await send(h, nth(h, 'processing', 0))).body).toMatchObject({ stale: true });
    expect((await h.service.status('user_1')).state).toBe('verified');
    expect(verified).toHaveBeenCalledTimes(1);
    // Settled by Stripe's current state, the first processing may already be history: at most once.
    expect(processing.mock.calls.length).toBeLessThanOrEqual(1);
  });
});

describe('races during redaction', () => {
  test('processing ends between the read and the tombstone: the session is still redacted', async () => {
    const store = new MemoryStore();
    const read = store.getSession.bind(store);
    let h: Harness | undefined;
    let target = '';
    store.getSession = async (id) => {
      if (target && id === target) {
        const now = target;
        target = '';
        await h?.sim.completeSubmission(now, 'verified');
        await h?.sim.flushWebhooks();
      }
      return read(id);
    };
    h = await harness({ store });
    const { sessionId } = await link(h);
    await h.sim.beginSubmission(sessionId);
    await h.sim.flushWebhooks();
    target = sessionId;
    const report = await h.service.redact('user_1');
    expect(report.sessions[0]?.state).not.toBe('waiting_for_processing');
    expect(h.sim.session(sessionId)?.redaction).not.toBeNull();
  });

  test('a late webhook between delete and insert cannot leave a record under the user id', async () => {
    const store = new MemoryStore();
    const remove = store.deleteSession.bind(store);
    let h: Harness | undefined;
    let armed = false;
    store.deleteSession = async (id) => {
      const removed = await remove(id);
      if (armed) {
        armed = false;
        await h?.sim.flushWebhooks();
      }
      return removed;
    };
    h = await harness({ store });
    await link(h);
    armed = true;
    await h.service.redact('user_1');
    expect(await store.listSessions('user_1')).toEqual([]);
    expect(JSON.stringify(store.snapshot().sessions)).not.toContain('"userId":"user_1"');
  });

  test('after redaction, an indeterminate create does not trip over the tombstone', async () => {
    const h = await harness();
    const { sessionId } = await link(h);
    await h.sim.beginSubmission(sessionId);
    await h.service.redact('user_1');
    h.sim.failNext({
      kind: 'http_500',
      match: { method: 'POST', path: '/v1/identity/verification_sessions' },
      phase: 'after',
    });
    // The create took effect: the service finds the new session at Stripe, not the tombstoned one.
    const result = await h.service.start({ id: 'user_1' });
    expect(result.status).toBe('redirect');
    if (result.status === 'redirect') expect(result.sessionId).not.toBe(sessionId);
    expect(h.created()).toBe(2);
  });
});

describe('small things', () => {
  test('limit_reached after a failed cap cancel still names the real retry time', async () => {
    const h = await harness({ service: { limits: { maxSubmissions: 1, maxSessions: 5, windowDays: 30 } } });
    const { sessionId } = await link(h);
    await h.sim.submit(sessionId, 'document_unverified_other');
    h.sim.failNext({ kind: 'http_500', match: { method: 'POST', path: /\/cancel$/ }, count: 10 });
    const result = await h.service.start({ id: 'user_1' });
    expect(result.status).toBe('limit_reached');
    if (result.status === 'limit_reached') expect(result.retryAt.getTime()).toBe(h.sim.now() + 30 * DAY);
  });

  test('route names that are Object.prototype keys are 404, not crashes', async () => {
    const h = await harness();
    const routes = createVerificationRoutes(h.service, { authenticate: async () => ({ id: 'user_1' }) });
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const answer = await routes.fetch(
        new Request(`http://app.example/identity/${name}`, { method: 'POST' }),
      );
      expect(answer.status).toBe(404);
    }
  });
});
