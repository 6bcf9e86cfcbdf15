import { describe, expect, test, vi } from 'vitest';
import { MemoryStore } from '../../src/stores/memory.js';
import { harness } from '../support/harness.js';

const REDACT = /\/v1\/identity\/verification_sessions\/vs_[^/]+\/redact$/;

async function started(h: Awaited<ReturnType<typeof harness>>, userId = 'user_1') {
  const result = await h.service.start({ id: userId });
  if (result.status !== 'redirect') throw new Error(result.status);
  return result.sessionId;
}

const successfulRedacts = (h: Awaited<ReturnType<typeof harness>>, sessionId: string) =>
  h.sim.requests.filter(
    (request) =>
      REDACT.test(request.path) &&
      request.path.includes(sessionId) &&
      request.status === 200 &&
      !request.replayed,
  ).length;

describe('redact(userId)', () => {
  test('an open session is redacted (and so canceled); local records become pseudonymous', async () => {
    const store = new MemoryStore();
    const h = await harness({ store, service: { redaction: { hashSecret: 'a-long-secret-for-hmac' } } });
    const sessionId = await started(h);
    const report = await h.service.redact('user_1');
    expect(report.sessions).toEqual([{ sessionId, state: 'redaction_pending' }]);
    expect(report.complete).toBe(false);
    expect(report.message).toMatch(/four days/);
    expect(report.message).toMatch(/contact Stripe/);
    expect(h.sim.session(sessionId)?.status).toBe('canceled');
    expect(await h.store.listSessions('user_1')).toEqual([]);
    expect(JSON.stringify(store.snapshot())).not.toContain('user_1');
    // The limits outlive the deletion: the session created still counts.
    expect((await h.service.status('user_1')).sessions.used).toBe(1);
  });

  test('verified sessions are redacted; the redacted event confirms and calls on.redacted', async () => {
    const redacted = vi.fn();
    const h = await harness({ service: { on: { redacted } } });
    const sessionId = await started(h);
    await h.sim.submit(sessionId, 'verified');
    await h.sim.flushWebhooks();
    expect((await h.service.redact('user_1')).sessions).toEqual([{ sessionId, state: 'redaction_pending' }]);
    await h.sim.completeRedactions();
    await h.sim.flushWebhooks();
    expect(redacted).toHaveBeenCalledTimes(1);
    const event = redacted.mock.calls[0]?.[0];
    expect(event.sessionId).toBe(sessionId);
    expect(event.userId).not.toContain('user_1');
    const again = await h.service.redact('user_1');
    expect(again).toMatchObject({ sessions: [{ sessionId, state: 'redacted' }], complete: true });
    expect(successfulRedacts(h, sessionId)).toBe(1);
  });

  test('a processing session waits, and is redacted when the webhook says processing ended', async () => {
    const h = await harness();
    const sessionId = await started(h);
    await h.sim.beginSubmission(sessionId);
    const report = await h.service.redact('user_1');
    expect(report.sessions).toEqual([{ sessionId, state: 'waiting_for_processing' }]);
    expect(report.message).toMatch(/still being checked/);
    expect(successfulRedacts(h, sessionId)).toBe(0);
    await h.sim.completeSubmission(sessionId, 'verified');
    await h.sim.flushWebhooks();
    expect(h.sim.session(sessionId)?.redaction?.status).toBeDefined();
    expect(successfulRedacts(h, sessionId)).toBe(1);
  });

  test('sessions the store lost are found at Stripe by client_reference_id', async () => {
    const h = await harness();
    const sessionId = await started(h);
    await h.store.deleteSession(sessionId);
    const report = await h.service.redact('user_1');
    expect(report.sessions.map((session) => session.sessionId)).toEqual([sessionId]);
    expect(h.sim.session(sessionId)?.redaction).not.toBeNull();
  });

  test('crash half way, run again: every session redacted exactly once, no error for the done ones', async () => {
    const h = await harness();
    const first = await started(h);
    await h.service.cancel('user_1');
    const second = await started(h);
    h.sim.failNext({ kind: 'http_500', match: { method: 'POST', path: new RegExp(`${second}/redact$`) } });
    await expect(h.service.redact('user_1')).rejects.toMatchObject({ code: 'stripe_api' });
    const report = await h.service.redact('user_1');
    expect(report.sessions.map((session) => session.state).sort()).toEqual([
      'redaction_pending',
      'redaction_pending',
    ]);
    expect(successfulRedacts(h, first)).toBe(1);
    expect(successfulRedacts(h, second)).toBe(1);
    const third = await h.service.redact('user_1');
    expect(third.sessions).toHaveLength(2);
    expect(successfulRedacts(h, first) + successfulRedacts(h, second)).toBe(2);
  });

  test('a user with nothing gets an empty, complete report', async () => {
    const h = await harness();
    expect(await h.service.redact('nobody')).toMatchObject({ sessions: [], complete: true });
  });
});

describe('redactOlder()', () => {
  test('redacts sessions past retention in pages, with progress, resumable', async () => {
    const h = await harness();
    for (let index = 0; index < 3; index += 1) {
      const sessionId = await started(h, `old_${index}`);
      await h.sim.submit(sessionId, 'verified');
    }
    h.sim.advance(40 * 86_400_000);
    await started(h, 'recent');
    const foreign = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    const progress: Array<{ done: number; left: number }> = [];
    const results = await h.service.redactOlder({
      olderThanDays: 30,
      onProgress: (step) => void progress.push(step),
    });
    expect(results).toHaveLength(3);
    expect(progress).toEqual([
      { done: 1, left: 2 },
      { done: 2, left: 1 },
      { done: 3, left: 0 },
    ]);
    expect(h.sim.session(foreign.id)?.redaction).toBeNull();
    expect(await h.service.redactOlder({ olderThanDays: 30 })).toEqual([]);
    await expect(h.service.redactOlder({ olderThanDays: -1 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
