import { describe, expect, test, vi } from 'vitest';
import { createTestStripe } from '../../src/testing/index.js';
import { harness } from '../support/harness.js';

const HOUR = 3_600_000;

describe('start() and resume', () => {
  test('first start creates one session bound to the user and returns a single-use link', async () => {
    const { service, sim, created } = await harness();
    const result = await service.start({ id: 'user_1' });
    expect(result.status).toBe('redirect');
    if (result.status !== 'redirect') return;
    expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/verify\//);
    expect(created()).toBe(1);
    const session = sim.session(result.sessionId);
    expect(session?.client_reference_id).toBe('user_1');
    expect(session?.metadata).toEqual({ user_id: 'user_1' });
    const create = sim.requests.find((request) => request.method === 'POST');
    expect(create?.idempotencyKey).toMatch(/^sik-create-[0-9a-f]{48}$/);
  });

  test('opening the flow again reuses the session with a fresh link instead of paying for a new one', async () => {
    const { service, created, sim } = await harness();
    const first = await service.start({ id: 'user_1' });
    const second = await service.start({ id: 'user_1' });
    expect(created()).toBe(1);
    expect(second.status).toBe('redirect');
    if (first.status !== 'redirect' || second.status !== 'redirect') return;
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.url).not.toBe(first.url);
    expect(sim.requests.filter((request) => request.method === 'GET').length).toBe(1);
  });

  test('an expired link (48 h later) is replaced by retrieving the same session', async () => {
    const { service, sim, created } = await harness();
    const first = await service.start({ id: 'user_1' });
    sim.advance(49 * HOUR);
    const again = await service.start({ id: 'user_1' });
    expect(created()).toBe(1);
    expect(again.status).toBe('redirect');
    if (first.status === 'redirect' && again.status === 'redirect') {
      expect(again.sessionId).toBe(first.sessionId);
      const page = await fetch(again.url);
      expect(page.status).toBe(200);
      const old = await fetch(first.url);
      expect(old.status).toBeGreaterThanOrEqual(400);
    }
  });

  test('a link the user already opened is replaced by a working one on the next start', async () => {
    const { service, created } = await harness();
    const first = await service.start({ id: 'user_1' });
    if (first.status !== 'redirect') throw new Error(first.status);
    expect((await fetch(first.url)).status).toBe(200);
    expect((await fetch(first.url)).status).toBeGreaterThanOrEqual(400);
    const again = await service.start({ id: 'user_1' });
    if (again.status !== 'redirect') throw new Error(again.status);
    expect((await fetch(again.url)).status).toBe(200);
    expect(created()).toBe(1);
  });

  test('modal flow returns a client secret instead of a url', async () => {
    const { service } = await harness({ service: { flow: 'modal' } });
    const result = await service.start({ id: 'user_1' });
    expect(result.status).toBe('modal');
    if (result.status === 'modal') expect(result.clientSecret).toMatch(/_secret_/);
  });

  test('after a failed check the same session is resumed with a fresh link', async () => {
    const { service, sim, created } = await harness();
    const first = await service.start({ id: 'user_1' });
    await sim.submit(first.status === 'redirect' ? first.sessionId : '', 'document_expired');
    await service.handleReturn('user_1');
    const status = await service.status('user_1');
    expect(status).toMatchObject({
      state: 'requires_input',
      lastErrorCode: 'document_expired',
      next: 'resume',
    });
    expect(status.submissions).toEqual({ used: 1, limit: 3, left: 2 });
    const again = await service.start({ id: 'user_1' });
    expect(again.status).toBe('redirect');
    expect(created()).toBe(1);
  });

  test('processing and verified answer without creating; verified needs no Stripe call', async () => {
    const { service, sim } = await harness();
    const first = await service.start({ id: 'user_1' });
    const sessionId = first.status === 'redirect' ? first.sessionId : '';
    await sim.beginSubmission(sessionId);
    await service.handleReturn('user_1');
    expect(await service.start({ id: 'user_1' })).toEqual({ status: 'processing', sessionId });
    await sim.completeSubmission(sessionId, 'verified');
    await service.handleReturn('user_1');
    const calls = sim.requests.length;
    expect(await service.start({ id: 'user_1' })).toEqual({ status: 'verified', sessionId });
    expect(sim.requests.length).toBe(calls);
    expect((await service.status('user_1')).next).toBe('done');
  });

  test.each(['consent_declined', 'under_supported_age', 'country_not_supported', 'device_not_supported'])(
    '%s leads to the alternative path and calls onAlternative',
    async (code) => {
      const onAlternative = vi.fn();
      const { service, sim, created } = await harness({
        service: { onAlternative, alternative: { url: 'https://app.example.com/manual-review' } },
      });
      const first = await service.start({ id: 'user_1' });
      const sessionId = first.status === 'redirect' ? first.sessionId : '';
      await sim.submit(sessionId, code);
      await service.handleReturn('user_1');
      const result = await service.start({ id: 'user_1' });
      expect(result).toEqual({
        status: 'alternative_required',
        reason: code,
        sessionId,
        alternative: { reason: code, url: 'https://app.example.com/manual-review' },
      });
      expect(onAlternative).toHaveBeenCalledWith({ userId: 'user_1', reason: code, sessionId });
      expect(created()).toBe(1);
      expect((await service.status('user_1')).next).toBe('alternative');
    },
  );

  test('an unknown error code is treated as retryable', async () => {
    const { service, sim } = await harness();
    const first = await service.start({ id: 'user_1' });
    await sim.submit(first.status === 'redirect' ? first.sessionId : '', 'some_future_code');
    await service.handleReturn('user_1');
    expect((await service.start({ id: 'user_1' })).status).toBe('redirect');
  });

  test('provided details and related customer reach Stripe but never the store', async () => {
    const { service, sim, store } = await harness();
    const result = await service.start({ id: 'user_1', email: 'ada@example.com', customerId: 'cus_123' });
    const sessionId = result.status === 'redirect' ? result.sessionId : '';
    expect(sim.session(sessionId)?.related_customer).toBe('cus_123');
    expect(JSON.stringify(await store.listSessions('user_1'))).not.toContain('ada@example.com');
  });

  test('a bad user id is a typed error, not a crash', async () => {
    const { service } = await harness();
    await expect(service.start({ id: '' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(service.start({ id: 'has space' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(service.status(42 as unknown as string)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  test('cancel() cancels the open session at Stripe and a later start creates a new one', async () => {
    const { service, sim, created } = await harness();
    const first = await service.start({ id: 'user_1' });
    const sessionId = first.status === 'redirect' ? first.sessionId : '';
    const status = await service.cancel('user_1');
    expect(status.state).toBe('canceled');
    expect(sim.session(sessionId)?.status).toBe('canceled');
    await expect(service.cancel('user_1')).rejects.toMatchObject({ code: 'no_open_session' });
    const next = await service.start({ id: 'user_1' });
    expect(next.status).toBe('redirect');
    expect(created()).toBe(2);
  });

  test('verifiedOutputs() returns Stripe data untouched and stores none of it', async () => {
    const { service, sim, store } = await harness();
    expect(await service.verifiedOutputs('user_1')).toBeNull();
    const first = await service.start({ id: 'user_1' });
    await sim.submit(first.status === 'redirect' ? first.sessionId : '', 'verified');
    await service.handleReturn('user_1');
    const outputs = await service.verifiedOutputs('user_1');
    expect(outputs?.first_name).toBeTruthy();
    const dump = JSON.stringify(await store.listSessions('user_1'));
    expect(dump).not.toContain(String(outputs?.first_name));
  });
});

describe('verifiedOutputs() with a restricted key', () => {
  test('date of birth and ID number come only through the restricted client', async () => {
    const { sim, service, another } = await harness();
    const first = await service.start({ id: 'user_1' });
    await sim.submit(first.status === 'redirect' ? first.sessionId : '', 'verified');
    await service.handleReturn('user_1');
    expect((await service.verifiedOutputs('user_1'))?.dob).toBeUndefined();
    const restricted = createTestStripe(await sim.listen(), 'rk_test_restricted');
    const withRestricted = another({ restrictedStripe: restricted });
    expect((await withRestricted.verifiedOutputs('user_1'))?.dob).toBeUndefined();
    const outputs = await withRestricted.verifiedOutputs('user_1', { sensitive: true });
    expect(outputs?.dob).toBeTruthy();
    await expect(service.verifiedOutputs('user_1', { sensitive: true })).rejects.toMatchObject({
      code: 'config_invalid',
      path: 'restrictedStripe',
    });
  });
});
