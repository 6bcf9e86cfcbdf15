import { VerificationService } from '../../service.js';
import { createTestStripe } from '../simulator/create-test-stripe.js';
import { IdentitySimulator } from '../simulator/simulator.js';
import type { ConformanceCase } from './types.js';

const SECRET = 'whsec_conformance_privacy_0123456789';
const EVENTS = ['created', 'processing', 'verified', 'requires_input', 'canceled', 'redacted'].map(
  (kind) => `identity.verification_session.${kind}`,
);

/**
 * Cases that run the service itself on the store (against the in-process simulator): whatever path a
 * record takes (create, webhook, return, redaction), the store is never handed the raw user id.
 */
export const privacyCases: ConformanceCase[] = [
  {
    title: 'a whole journey stores the user under a pseudonym, never the raw user id',
    async run({ store, expect }) {
      const sim = new IdentitySimulator({ seed: 5, webhooks: { autoDeliver: false } });
      try {
        const service = new VerificationService({
          stripe: createTestStripe(sim),
          store,
          returnUrl: 'https://app.example.com/return',
          webhookSecret: SECRET,
          redaction: { hashSecret: 'conformance-hash-secret-0123456789' },
          now: () => sim.now(),
          logger: false,
        });
        sim.addWebhookEndpoint({ handler: service.webhooks.fetch, secret: SECRET, enabledEvents: EVENTS });
        const userId = 'raw-user|conformance@example.com';
        const first = await service.start({ id: userId });
        if (first.status !== 'redirect') throw new Error(`expected a link, got ${first.status}`);
        await sim.submit(first.sessionId, 'document_expired');
        await sim.flushWebhooks();
        await service.handleReturn(userId);
        await sim.submit(first.sessionId, 'verified');
        await sim.flushWebhooks();
        expect((await service.status(userId)).state).toBe('verified');
        const record = await store.getSession(first.sessionId);
        expect(record?.owner.startsWith('k1:')).toBe(true);
        expect(record?.owner.includes(userId)).toBe(false);
        expect((await store.listSessions(userId)).length).toBe(0);
        await service.redact(userId);
        await sim.completeRedactions();
        await sim.flushWebhooks();
        const tombstone = await store.getSession(first.sessionId);
        expect(tombstone?.owner.startsWith('redacted:k1:')).toBe(true);
        expect(tombstone?.owner.includes(userId)).toBe(false);
        expect((await service.status(userId)).state).toBe('none');
      } finally {
        await sim.close();
      }
    },
  },
];
