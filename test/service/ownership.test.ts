import { describe, expect, test } from 'vitest';
import { SessionOwnershipError } from '../../src/errors.js';
import { createPseudonymizer } from '../../src/policies/privacy.js';
import { harness } from '../support/harness.js';

describe('ownership', () => {
  test("another user's session id is refused everywhere and nothing is touched", async () => {
    const h = await harness();
    const mine = await h.service.start({ id: 'alice' });
    const sessionId = mine.status === 'redirect' ? mine.sessionId : '';
    const calls = h.calls();
    await expect(h.service.handleReturn('mallory', sessionId)).rejects.toBeInstanceOf(SessionOwnershipError);
    await expect(h.service.cancel('mallory', sessionId)).rejects.toMatchObject({
      code: 'session_not_owned',
      sessionId,
    });
    expect(h.calls()).toBe(calls);
    expect(h.sim.session(sessionId)?.status).toBe('requires_input');
    expect(await h.service.verifiedOutputs('mallory')).toBeNull();
  });

  test('a store record whose Stripe session names another user is refused on resume', async () => {
    const h = await harness();
    const theirs = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      client_reference_id: 'alice',
      metadata: { user_id: 'alice' },
    });
    await h.store.insertSession({
      sessionId: theirs.id,
      owner: await createPseudonymizer(undefined)('mallory'),
      status: 'requires_input',
      lastErrorCode: null,
      reportId: null,
      observedAt: 0,
      createdAt: h.sim.now(),
      updatedAt: h.sim.now(),
      livemode: false,
      redaction: null,
    });
    await expect(h.service.start({ id: 'mallory' })).rejects.toBeInstanceOf(SessionOwnershipError);
  });

  test('an unknown session id is a typed error', async () => {
    const h = await harness();
    await expect(h.service.handleReturn('alice', 'vs_unknown')).rejects.toMatchObject({
      code: 'session_not_found',
    });
  });
});
