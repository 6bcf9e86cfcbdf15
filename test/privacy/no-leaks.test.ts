import { describe, expect, test } from 'vitest';
import { toSafeSession } from '../../src/policies/privacy.js';
import { MemoryStore } from '../../src/stores/memory.js';
import type { Logger } from '../../src/types.js';
import { harness } from '../support/harness.js';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push(JSON.stringify({ level, message, fields }));
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

describe('sensitive data never reaches the store or the logs', () => {
  test('verified, failed, modal and redacted journeys', async () => {
    const logger = recordingLogger();
    const store = new MemoryStore();
    const h = await harness({
      store,
      service: { logger, redaction: { hashSecret: 'another-long-secret-value' } },
    });
    const secrets: string[] = [];

    const ada = await h.service.start({ id: 'user_ada', email: 'ada@example.com', phone: '+15555550100' });
    if (ada.status !== 'redirect') throw new Error(ada.status);
    secrets.push(ada.url);
    await h.sim.submit(ada.sessionId, 'verified');
    await h.sim.flushWebhooks();
    const outputs = await h.service.verifiedOutputs('user_ada');
    for (const value of [outputs?.first_name, outputs?.last_name, outputs?.address?.line1])
      if (value) secrets.push(value);

    const bob = await h.service.start({ id: 'user_bob' });
    if (bob.status !== 'redirect') throw new Error(bob.status);
    await h.sim.submit(bob.sessionId, 'selfie_face_mismatch');
    await h.sim.flushWebhooks();
    const reason = h.sim.session(bob.sessionId)?.last_error?.reason;
    if (reason) secrets.push(reason);
    const again = await h.service.start({ id: 'user_bob' });
    if (again.status === 'redirect') secrets.push(again.url);

    const modal = h.another({ flow: 'modal' });
    const cy = await modal.start({ id: 'user_cy' });
    if (cy.status !== 'modal') throw new Error(cy.status);
    secrets.push(cy.clientSecret);

    await h.service.redact('user_ada');
    await h.sim.completeRedactions();
    await h.sim.flushWebhooks();

    const dump = JSON.stringify(store.snapshot());
    const logs = logger.lines.join('\n');
    expect(logger.lines.length).toBeGreaterThan(3);
    for (const secret of [...secrets, 'ada@example.com', '+15555550100']) {
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(dump).not.toMatch(/_secret_|\/verify\//);
    expect(dump).not.toContain('user_ada');
    for (const user of ['user_ada', 'user_bob', 'user_cy']) expect(logs).not.toContain(user);
  });

  test('toSafeSession keeps the allow-list only', () => {
    const safe = toSafeSession({
      id: 'vs_1',
      object: 'identity.verification_session',
      status: 'requires_input',
      type: 'document',
      livemode: false,
      created: 1,
      url: 'https://verify.stripe.com/start/abc',
      client_secret: 'vs_1_secret_abc',
      last_error: { code: 'document_expired', reason: 'The document of Ada Lovelace expired' },
      metadata: { user_id: 'user_ada' },
      provided_details: { email: 'ada@example.com' },
      verified_outputs: { first_name: 'Ada' },
      redaction: null,
      client_reference_id: 'user_ada',
    });
    expect(safe).toEqual({
      id: 'vs_1',
      status: 'requires_input',
      type: 'document',
      livemode: false,
      created: 1,
      last_error: { code: 'document_expired' },
      redaction: null,
    });
    expect(toSafeSession(null)).toMatchObject({ id: '', status: 'unknown' });
  });
});
