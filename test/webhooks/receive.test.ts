import { describe, expect, test, vi } from 'vitest';
import { harness, WEBHOOK_SECRET } from '../support/harness.js';

const hooks = () => ({
  created: vi.fn(),
  processing: vi.fn(),
  verified: vi.fn(),
  requiresInput: vi.fn(),
  canceled: vi.fn(),
  redacted: vi.fn(),
});

async function started(h: Awaited<ReturnType<typeof harness>>, userId = 'user_1') {
  const result = await h.service.start({ id: userId });
  if (result.status !== 'redirect') throw new Error(result.status);
  return result.sessionId;
}

describe('receiving identity events', () => {
  test('each event moves the record and runs its typed hook once, with references only', async () => {
    const on = hooks();
    const h = await harness({ service: { on } });
    const sessionId = await started(h);
    await h.sim.submit(sessionId, 'verified');
    await h.sim.flushWebhooks();
    expect(on.created).toHaveBeenCalledTimes(1);
    expect(on.processing).toHaveBeenCalledTimes(1);
    expect(on.verified).toHaveBeenCalledTimes(1);
    const payload = on.verified.mock.calls[0]?.[0];
    expect(Object.keys(payload).sort()).toEqual([
      'eventId',
      'lastErrorCode',
      'sessionId',
      'status',
      'userId',
    ]);
    expect(payload).toMatchObject({ userId: 'user_1', sessionId, status: 'verified', lastErrorCode: null });
    expect(await h.service.status('user_1')).toMatchObject({ state: 'verified', submissions: { used: 1 } });
    expect(h.sim.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
  });

  test('a duplicate delivery gets 200 and runs nothing', async () => {
    const on = hooks();
    const h = await harness({ service: { on } });
    const sessionId = await started(h);
    await h.sim.submit(sessionId, 'verified');
    await h.sim.flushWebhooks();
    const event = h.sim.events.find(
      (candidate) => candidate.type === 'identity.verification_session.verified',
    );
    const body = JSON.stringify(event);
    const answer = await h.service.webhooks.handle({
      rawBody: body,
      signature: h.sim.signPayload(body, WEBHOOK_SECRET, Math.floor(h.sim.now() / 1000)),
    });
    expect(answer).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(on.verified).toHaveBeenCalledTimes(1);
  });

  test('a late processing after verified changes nothing and runs no hook', async () => {
    const on = hooks();
    const h = await harness({ service: { on } });
    const sessionId = await started(h);
    await h.sim.submit(sessionId, 'verified');
    const processing = h.sim.events.find(
      (event) => event.type === 'identity.verification_session.processing',
    );
    const verified = h.sim.events.find((event) => event.type === 'identity.verification_session.verified');
    const send = (event: unknown) => {
      const body = JSON.stringify(event);
      return h.service.webhooks.handle({
        rawBody: body,
        signature: h.sim.signPayload(body, WEBHOOK_SECRET, Math.floor(h.sim.now() / 1000)),
      });
    };
    expect((await send(verified)).status).toBe(200);
    expect((await send(processing)).body).toMatchObject({ stale: true });
    expect(on.processing).not.toHaveBeenCalled();
    expect(await h.service.status('user_1')).toMatchObject({ state: 'verified', submissions: { used: 1 } });
  });

  test('a hook that throws answers 500, releases the claim, and the redelivery runs it again', async () => {
    let fail = true;
    const verified = vi.fn(async () => {
      if (fail) {
        fail = false;
        throw new Error('downstream down');
      }
    });
    const h = await harness({ service: { on: { verified } } });
    const sessionId = await started(h);
    await h.sim.submit(sessionId, 'verified');
    await h.sim.flushWebhooks();
    const attempts = h.sim.deliveries.filter((delivery) => delivery.status !== 200);
    expect(attempts.length).toBe(1);
    expect(attempts[0]?.status).toBe(500);
    expect(verified).toHaveBeenCalledTimes(2);
  });

  test('terminal requires_input triggers onAlternative; the last failed submission cancels the session', async () => {
    const onAlternative = vi.fn();
    const h = await harness({
      service: { onAlternative, limits: { maxSubmissions: 1, maxSessions: 3, windowDays: 30 } },
    });
    const sessionId = await started(h);
    await h.sim.submit(sessionId, 'consent_declined');
    await h.sim.flushWebhooks();
    expect(onAlternative).toHaveBeenCalledWith({ userId: 'user_1', reason: 'consent_declined', sessionId });
    expect(h.sim.session(sessionId)?.status).toBe('canceled');
  });

  test('events for sessions that are not ours are acknowledged and reported', async () => {
    const onUnknownSession = vi.fn();
    const h = await harness({ service: { onUnknownSession } });
    const foreign = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.flushWebhooks();
    expect(onUnknownSession).toHaveBeenCalledWith({
      eventId: expect.stringMatching(/^evt_/),
      eventType: 'identity.verification_session.created',
      sessionId: foreign.id,
    });
    expect(h.sim.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
  });

  test('signature faults answer 400 with the reason; non-identity events are acknowledged', async () => {
    const h = await harness();
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'charge.succeeded',
      created: 1,
      livemode: false,
      data: { object: {} },
    });
    const now = Math.floor(h.sim.now() / 1000);
    const bad = await h.service.webhooks.handle({
      rawBody: body,
      signature: h.sim.signPayload(body, 'whsec_wrong', now),
    });
    expect(bad).toMatchObject({ status: 400, body: { reason: 'no_matching_signature' } });
    const missing = await h.service.webhooks.handle({ rawBody: body, signature: undefined });
    expect(missing).toMatchObject({ status: 400, body: { reason: 'missing_header' } });
    const other = await h.service.webhooks.handle({
      rawBody: body,
      signature: h.sim.signPayload(body, WEBHOOK_SECRET, now),
    });
    expect(other).toMatchObject({ status: 200, body: { ignored: 'not_an_identity_session_event' } });
    const big = 'x'.repeat(1_048_577);
    expect((await h.service.webhooks.handle({ rawBody: big, signature: 't=1,v1=00' })).status).toBe(413);
  });

  test('a live event reaching a test-mode service is refused', async () => {
    const h = await harness();
    const body = JSON.stringify({
      id: 'evt_2',
      object: 'event',
      type: 'identity.verification_session.created',
      created: 1,
      livemode: true,
      data: { object: { id: 'vs_1' } },
    });
    const answer = await h.service.webhooks.handle({
      rawBody: body,
      signature: h.sim.signPayload(body, WEBHOOK_SECRET, Math.floor(h.sim.now() / 1000)),
    });
    expect(answer).toMatchObject({ status: 400, body: { error: 'livemode_mismatch' } });
  });
});
