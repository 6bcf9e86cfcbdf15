import { afterEach, describe, expect, test } from 'vitest';
import { createTestStripe, IdentitySimulator } from '../../src/testing/index.js';

const sims: IdentitySimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
});

describe("an endpoint's 500 is kept for its idempotency key, as Stripe documents", () => {
  test.each(['http', 'in-process'] as const)(
    '%s: the same key replays the 500; another key works',
    async (mode) => {
      const sim = new IdentitySimulator({ seed: 1 });
      sims.push(sim);
      const stripe = mode === 'http' ? createTestStripe(await sim.listen()) : createTestStripe(sim);
      sim.failNext({ kind: 'http_500', phase: 'inside', match: { method: 'POST' } });
      const create = () =>
        stripe.identity.verificationSessions.create({ type: 'document' }, { idempotencyKey: 'key_1' });
      const first = await create().catch((error: unknown) => error);
      expect(first).toMatchObject({ type: 'StripeAPIError', statusCode: 500 });
      const again = await create().catch((error: unknown) => error);
      expect(again).toMatchObject({ type: 'StripeAPIError', statusCode: 500 });
      expect((again as { headers: Record<string, string> }).headers['idempotent-replayed']).toBe('true');
      expect(sim.sessions()).toHaveLength(0);
      const other = await stripe.identity.verificationSessions.create(
        { type: 'document' },
        { idempotencyKey: 'key_2' },
      );
      expect(other.status).toBe('requires_input');
    },
  );

  test("phase 'inside' is for http_500 only", () => {
    const sim = new IdentitySimulator({ seed: 1 });
    sims.push(sim);
    expect(() => sim.failNext({ kind: 'reset', phase: 'inside' })).toThrow(/http_500 only/);
  });
});
