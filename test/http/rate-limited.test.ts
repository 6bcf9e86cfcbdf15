import { describe, expect, test } from 'vitest';
import { createVerificationRoutes } from '../../src/index.js';
import { harness } from '../support/harness.js';

describe('the link cap over HTTP', () => {
  test('a cancel past the cap answers 429 with Retry-After and calls nothing at Stripe', async () => {
    const h = await harness({ service: { limits: { linkRefreshesPerMinute: 1 } } });
    // The service's clock an hour behind the wall clock: Retry-After must be counted on the service's.
    const service = h.another({ now: () => h.sim.now() - 3_600_000 });
    const routes = createVerificationRoutes(service, { authenticate: async () => ({ id: 'user_1' }) });
    const post = (path: string) =>
      routes.fetch(new Request(`https://app.example.com/verify/${path}`, { method: 'POST' }));
    expect((await post('start')).status).toBe(200);
    expect((await post('start')).status).toBe(200); // a resume takes the one link of this minute
    const calls = h.calls();
    const answer = await post('cancel');
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(30);
    expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await answer.json()).toMatchObject({ error: 'rate_limited', retryable: true });
    expect(h.calls()).toBe(calls);
  });
});
