import { describe, expect, test, vi } from 'vitest';
import { RateLimitedError } from '../../src/errors.js';
import { createSafeLogger } from '../../src/policies/privacy.js';
import type { Logger } from '../../src/types.js';
import { harness } from '../support/harness.js';

const DAY = 86_400_000;
const RETRIEVE = /^\/v1\/identity\/verification_sessions\/vs_/;
const retrieves = (h: Awaited<ReturnType<typeof harness>>) =>
  h.sim.requests.filter((request) => request.method === 'GET' && RETRIEVE.test(request.path)).length;

describe('every Stripe call a user can trigger goes through the link cap', () => {
  test('300 returns (a GET any page can trigger) make at most the cap of retrieves', async () => {
    const h = await harness();
    const started = await h.service.start({ id: 'user_1' });
    if (started.status !== 'redirect') throw new Error('expected a link');
    const before = retrieves(h);
    for (let i = 0; i < 300; i += 1) await h.service.handleReturn('user_1');
    // The create's own link is not a refresh; the cap is 10 refreshes per minute.
    expect(retrieves(h) - before).toBe(10);
    expect((await h.service.handleReturn('user_1')).state).toBe('requires_input');
    h.sim.advance(60_001);
    await h.service.handleReturn('user_1');
    expect(retrieves(h) - before).toBe(11);
  });

  test('cancel past the cap is refused with RateLimitedError before any Stripe call', async () => {
    const h = await harness({ service: { limits: { linkRefreshesPerMinute: 1 } } });
    await h.service.start({ id: 'user_1' });
    await h.service.start({ id: 'user_1' }); // a resume takes the one link of this minute
    const calls = h.calls();
    const error = await h.service.cancel('user_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAt.getTime()).toBe(h.sim.now() + 60_000);
    expect(h.calls()).toBe(calls);
  });

  test('instances sharing a store share the cap: four instances do not allow four times the rate', async () => {
    const h = await harness({ service: { limits: { linkRefreshesPerMinute: 4 } } });
    const instances = [h.service, h.another(), h.another(), h.another()];
    await h.service.start({ id: 'user_1' });
    const results = [];
    for (let i = 0; i < 12; i += 1) results.push(await instances[i % 4]?.start({ id: 'user_1' }));
    expect(results.filter((result) => result?.status === 'redirect')).toHaveLength(4);
    expect(results.filter((result) => result?.status === 'limit_reached')).toHaveLength(8);
  });
});

describe('onAlternative', () => {
  test('runs once per session and reason, however often the user starts, on any instance', async () => {
    const onAlternative = vi.fn();
    const h = await harness({ service: { onAlternative } });
    const started = await h.service.start({ id: 'user_1' });
    if (started.status !== 'redirect') throw new Error('expected a link');
    await h.sim.submit(started.sessionId, 'consent_declined');
    await h.sim.flushWebhooks();
    const other = h.another({ onAlternative });
    for (let i = 0; i < 3; i += 1) {
      expect((await h.service.start({ id: 'user_1' })).status).toBe('alternative_required');
      expect((await other.start({ id: 'user_1' })).status).toBe('alternative_required');
    }
    expect(onAlternative).toHaveBeenCalledTimes(1);
    expect(onAlternative).toHaveBeenCalledWith({
      userId: 'user_1',
      reason: 'consent_declined',
      sessionId: started.sessionId,
    });
  });

  test('once per limit episode; a hook that throws runs again on the next start', async () => {
    let fail = true;
    const onAlternative = vi.fn(async () => {
      if (fail) throw new Error('review queue down');
    });
    const h = await harness({
      service: { onAlternative, limits: { maxSessions: 1, maxSubmissions: 3, windowDays: 30 } },
    });
    await h.service.start({ id: 'user_1' });
    await h.service.cancel('user_1');
    await expect(h.service.start({ id: 'user_1' })).rejects.toThrow('review queue down');
    fail = false;
    for (let i = 0; i < 3; i += 1)
      expect((await h.service.start({ id: 'user_1' })).status).toBe('limit_reached');
    expect(onAlternative).toHaveBeenCalledTimes(2);
  });
});

describe('the session window', () => {
  test('a session leaves the window after windowDays: status() and start() count it no more', async () => {
    const h = await harness({ service: { limits: { maxSessions: 1, maxSubmissions: 3, windowDays: 2 } } });
    const createdAt = h.sim.now();
    await h.service.start({ id: 'user_1' });
    await h.service.cancel('user_1');
    const refused = await h.service.start({ id: 'user_1' });
    expect(refused).toMatchObject({ status: 'limit_reached', limit: 'sessions' });
    if (refused.status === 'limit_reached') expect(refused.retryAt.getTime()).toBe(createdAt + 2 * DAY);
    expect(await h.service.status('user_1')).toMatchObject({
      sessions: { used: 1, left: 0 },
      next: 'retry_later',
    });
    h.sim.advance(2 * DAY - 1_000);
    expect((await h.service.start({ id: 'user_1' })).status).toBe('limit_reached');
    h.sim.advance(1_001);
    expect(await h.service.status('user_1')).toMatchObject({ sessions: { used: 0, left: 1 }, retryAt: null });
    expect((await h.service.start({ id: 'user_1' })).status).toBe('redirect');
    expect(h.created()).toBe(2);
  });
});

describe('the safe logger', () => {
  test.each(['debug', 'info', 'warn', 'error'] as const)(
    '%s drops links, secrets, names and raw ids',
    (level) => {
      const lines: unknown[] = [];
      const record = (...args: unknown[]) => lines.push(args);
      const logger: Logger = { debug: record, info: record, warn: record, error: record };
      createSafeLogger(logger)[level]('event', {
        sessionId: 'vs_123',
        code: 'store_unavailable',
        url: 'https://verify.stripe.com/start/test_abc',
        clientSecret: 'vs_123_secret_live_abc',
        sessionIdWithSecret: 'vs_123_secret_abc',
        name: 'Jenny Rosen',
        userId: 'user_raw_42',
        reason: 'Jenny Rosen, born 1990-01-01',
        email: 'jenny@example.com',
      });
      const printed = JSON.stringify(lines);
      expect(printed).toContain('vs_123');
      expect(printed).toContain('store_unavailable');
      for (const secret of ['verify.stripe.com', 'secret', 'Jenny', 'user_raw_42', 'jenny@', '1990']) {
        expect(printed).not.toContain(secret);
      }
    },
  );
});
