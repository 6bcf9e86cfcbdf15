import { expect, test } from 'vitest';
import { authenticate } from '../../src/testing/simulator/auth.js';
import { startHarness } from './harness.js';

test('livemode comes from the key prefix, not from `_live_` anywhere in the key', () => {
  const mode = (key: string) => authenticate(`Bearer ${key}`, undefined).livemode;
  expect(mode('sk_test_abc_live_def')).toBe(false);
  expect(mode('rk_test_x_live_y')).toBe(false);
  expect(mode('sk_live_abc')).toBe(true);
  expect(mode('rk_live_abc_test_def')).toBe(true);
});

test('a test key containing `_live_` creates test-mode sessions', async () => {
  const h = await startHarness('intercept');
  try {
    const session = await h
      .client('sk_test_abc_live_def')
      .identity.verificationSessions.create({ type: 'document' });
    expect(session.livemode).toBe(false);
    expect(h.sim.events[0]?.livemode).toBe(false);
  } finally {
    await h.sim.close();
  }
});
