import { describe, expect, test, vi } from 'vitest';
import { harness } from '../support/harness.js';

const DAY = 86_400_000;

async function failOnce(
  h: Awaited<ReturnType<typeof harness>>,
  userId: string,
  code = 'document_unverified_other',
) {
  const result = await h.service.start({ id: userId });
  if (result.status !== 'redirect') throw new Error(`expected a link, got ${result.status}`);
  await h.sim.submit(result.sessionId, code);
  await h.service.handleReturn(userId);
  return result.sessionId;
}

describe('attempt limits', () => {
  test('the last allowed failed submission cancels the open session and start() answers limit_reached', async () => {
    const onAlternative = vi.fn();
    const h = await harness({
      service: { limits: { maxSubmissions: 2, maxSessions: 5, windowDays: 30 }, onAlternative },
    });
    const sessionId = await failOnce(h, 'user_1');
    await failOnce(h, 'user_1');
    expect(h.sim.session(sessionId)?.status).toBe('canceled');
    const start = h.sim.now();
    const result = await h.service.start({ id: 'user_1' });
    expect(result).toMatchObject({
      status: 'limit_reached',
      limit: 'submissions',
      alternative: { reason: 'submission_limit' },
    });
    if (result.status === 'limit_reached') expect(result.retryAt.getTime()).toBe(start + 30 * DAY);
    expect(h.created()).toBe(1);
    expect(onAlternative).toHaveBeenCalledWith({
      userId: 'user_1',
      reason: 'submission_limit',
      sessionId: null,
    });
    const status = await h.service.status('user_1');
    expect(status).toMatchObject({ submissions: { used: 2, left: 0 }, next: 'retry_later' });
    expect(status.retryAt?.getTime()).toBe(start + 30 * DAY);
  });

  test('submissions leave the rolling window and the user may try again', async () => {
    const h = await harness({ service: { limits: { maxSubmissions: 1, maxSessions: 5, windowDays: 1 } } });
    await failOnce(h, 'user_1');
    expect((await h.service.start({ id: 'user_1' })).status).toBe('limit_reached');
    h.sim.advance(DAY + 1);
    const again = await h.service.start({ id: 'user_1' });
    expect(again.status).toBe('redirect');
    expect(h.created()).toBe(2);
  });

  test('sessions created are limited too (a user who keeps canceling)', async () => {
    const h = await harness({ service: { limits: { maxSubmissions: 3, maxSessions: 2, windowDays: 30 } } });
    for (let index = 0; index < 2; index += 1) {
      expect((await h.service.start({ id: 'user_1' })).status).toBe('redirect');
      await h.service.cancel('user_1');
    }
    const result = await h.service.start({ id: 'user_1' });
    expect(result).toMatchObject({
      status: 'limit_reached',
      limit: 'sessions',
      alternative: { reason: 'session_limit' },
    });
    expect(h.created()).toBe(2);
  });

  test('limits are per user', async () => {
    const h = await harness({ service: { limits: { maxSubmissions: 1, maxSessions: 1, windowDays: 30 } } });
    await failOnce(h, 'user_1');
    expect((await h.service.start({ id: 'user_1' })).status).toBe('limit_reached');
    expect((await h.service.start({ id: 'user_2' })).status).toBe('redirect');
  });

  test('a submission is counted once per report, however often it is seen', async () => {
    const h = await harness();
    const sessionId = await failOnce(h, 'user_1');
    await h.service.handleReturn('user_1');
    await h.service.handleReturn('user_1', sessionId);
    await h.sim.flushWebhooks();
    expect((await h.service.status('user_1')).submissions.used).toBe(1);
  });
});

describe('fresh links', () => {
  test('a user asking for links in a loop is slowed down before the account rate limit is spent', async () => {
    const onAlternative = vi.fn();
    const h = await harness({ service: { onAlternative, limits: { linkRefreshesPerMinute: 3 } } });
    const first = await h.service.start({ id: 'user_1' });
    for (let click = 0; click < 3; click += 1)
      expect((await h.service.start({ id: 'user_1' })).status).toBe('redirect');
    const calls = h.calls();
    const slowed = await h.service.start({ id: 'user_1' });
    expect(slowed).toMatchObject({
      status: 'limit_reached',
      limit: 'links',
      alternative: { reason: 'link_limit' },
    });
    if (slowed.status === 'limit_reached') expect(slowed.retryAt.getTime()).toBeGreaterThan(h.sim.now());
    for (let click = 0; click < 100; click += 1) await h.service.start({ id: 'user_1' });
    expect(h.calls()).toBe(calls);
    expect(onAlternative).not.toHaveBeenCalled();
    expect((await h.service.start({ id: 'user_2' })).status).toBe('redirect');
    h.sim.advance(60_001);
    const again = await h.service.start({ id: 'user_1' });
    expect(again).toMatchObject({
      status: 'redirect',
      sessionId: first.status === 'redirect' ? first.sessionId : '',
    });
    expect(h.created()).toBe(2);
  });
});

describe('concurrency', () => {
  test('50 concurrent start() calls for one user create exactly one session', async () => {
    const h = await harness();
    const results = await Promise.all(Array.from({ length: 50 }, () => h.service.start({ id: 'user_1' })));
    expect(h.created()).toBe(1);
    expect(
      new Set(results.map((result) => (result.status === 'redirect' ? result.sessionId : result.status)))
        .size,
    ).toBe(1);
  });

  test('two app instances on one store create one session between them', async () => {
    const h = await harness();
    const other = h.another();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 ? h.service : other).start({ id: 'user_1' })),
    );
    expect(h.created()).toBe(1);
    expect(results.every((result) => result.status === 'redirect')).toBe(true);
  });

  test('users do not block each other', async () => {
    const h = await harness();
    await Promise.all(Array.from({ length: 10 }, (_, index) => h.service.start({ id: `user_${index}` })));
    expect(h.created()).toBe(10);
  });
});
