import Stripe from 'stripe';
import { describe, expect, test, vi } from 'vitest';
import { ConfigError, InvalidInputError, MemoryStore, VerificationService } from '../../src/index.js';

const testStripe = new Stripe('sk_test_safeguards');
const liveStripe = new Stripe('sk_live_safeguards');
const base = { stripe: testStripe, returnUrl: 'https://app.example.com/return' };

class DurableStore extends MemoryStore {
  override readonly capabilities = { atomic: true, sharedAcrossProcesses: true, durable: true };
}
const live = {
  stripe: liveStripe,
  store: new DurableStore(),
  returnUrl: 'https://app.example.com/return',
  webhookSecret: 'whsec_live_0123456789',
  redaction: { hashSecret: 'a-real-secret-of-32-characters!!' },
};

function refused(options: Record<string, unknown>): ConfigError {
  try {
    new VerificationService(options as unknown as ConstructorParameters<typeof VerificationService>[0]);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('options that would switch a safeguard off are refused', () => {
  test('the safe live configuration is accepted', () => {
    expect(new VerificationService(live).options.keyMode).toBe('live');
  });

  test.each([
    ['a live key without a webhook secret', { ...live, webhookSecret: undefined }, 'webhookSecret'],
    ['a blank hashSecret', { ...live, redaction: { hashSecret: ' '.repeat(20) } }, 'redaction.hashSecret'],
    [
      'a hashSecret of one repeated character',
      { ...live, redaction: { hashSecret: 'a'.repeat(32) } },
      'redaction.hashSecret',
    ],
    ['an http returnUrl with a live key', { ...live, returnUrl: 'http://app.example.com/r' }, 'returnUrl'],
    ['a javascript: returnUrl', { ...base, returnUrl: 'javascript:alert(1)' }, 'returnUrl'],
    [
      'an http alternative.url with a live key',
      { ...live, alternative: { url: 'http://x.example/manual' } },
      'alternative.url',
    ],
    ['a data: alternative.url', { ...base, alternative: { url: 'data:text/html,hi' } }, 'alternative.url'],
    [
      'a tolerance over an hour',
      { ...base, webhooks: { toleranceSeconds: 3601 } },
      'webhooks.toleranceSeconds',
    ],
    [
      'events forgotten before Stripe stops retrying',
      { ...base, webhooks: { retainDays: 2.9 } },
      'webhooks.retainDays',
    ],
    ['a lease under a second', { ...base, concurrency: { leaseSeconds: 0.5 } }, 'concurrency.leaseSeconds'],
    ['a limit window under an hour', { ...base, limits: { windowDays: 1 / 48 } }, 'limits.windowDays'],
  ])('%s', (_name, options, path) => {
    expect(refused(options).path).toBe(path);
  });

  test('the bounds themselves are accepted; http URLs are fine in test mode', () => {
    const service = new VerificationService({
      ...base,
      returnUrl: 'http://127.0.0.1:3000/return',
      alternative: { url: 'http://127.0.0.1:3000/manual' },
      webhooks: { toleranceSeconds: 3600, retainDays: 3 },
      concurrency: { leaseSeconds: 1 },
      limits: { windowDays: 1 / 24 },
    });
    expect(service.options.webhooks.retainDays).toBe(3);
  });
});

describe('misleading inputs get errors that say what to pass', () => {
  test('start() with a string says it takes { id }', async () => {
    const service = new VerificationService(base);
    const call = service.start('user_1' as never);
    await expect(call).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.start('user_1' as never)).rejects.toThrow(/start\(\{ id: 'user_123' \}\)/);
  });

  test.each([
    ['the store class itself', MemoryStore, /instance \(new MemoryStore/],
    ['a Map', new Map(), /MemoryStore/],
    ['a raw ioredis client', { evalsha: () => 1, hget: () => 1, get: () => 1 }, /new RedisStore\(client\)/],
    ['a raw pg Pool', { query: () => 1, connect: () => 1 }, /new PostgresStore\(pool\)/],
    ['a raw SQLite database', { prepare: () => 1, exec: () => 1 }, /new SqliteStore\(db\)/],
  ])('store: %s', (_name, store, message) => {
    const error = refused({ ...base, store });
    expect(error.path).toBe('store');
    expect(error.message).toMatch(message);
  });
});

describe('user ids', () => {
  const service = new VerificationService({ ...base, logger: false });
  test.each([
    ['a lone high surrogate', 'user_\ud800'],
    ['a lone low surrogate', '\udc00user'],
    ['a no-break space', 'user\u00a01'],
    ['a line separator', 'user\u20281'],
    ['an ideographic space', 'user\u30001'],
    ['a zero-width space', 'user\u200b1'],
    ['a zero-width joiner', 'user\u200d1'],
    ['a right-to-left override', 'user\u202e1'],
    ['a byte order mark', '\ufeffuser_1'],
    ['a tab', 'user\t1'],
    ['a control character', 'user\u00071'],
    ['an empty string', ''],
    ['201 characters', 'u'.repeat(201)],
    ['a tombstone-looking id', 'redacted:k1:abc'],
  ])('%s is refused before any store or Stripe call', async (_name, id) => {
    await expect(service.status(id)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.start({ id })).rejects.toBeInstanceOf(InvalidInputError);
  });

  test.each([['usér_1'], ['用户_42'], ['auth0|5f7c8ec7c33c6c004bbafe82'], ['😀-user'], ['u'.repeat(200)]])(
    'ordinary Unicode %s is accepted',
    async (id) => {
      await expect(service.status(id)).resolves.toMatchObject({ userId: id, state: 'none' });
    },
  );
});

describe('the default logger', () => {
  test('without a logger option, errors reach console.error with safe fields only; false silences', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const noisy = new VerificationService(base);
      noisy.logger.error('webhook failed', { code: 'store_unavailable', url: 'https://verify.stripe.com/x' });
      noisy.logger.info('not printed', { code: 'x' });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(spy.mock.calls)).toContain('store_unavailable');
      expect(JSON.stringify(spy.mock.calls)).not.toContain('verify.stripe.com');
      const quiet = new VerificationService({ ...base, logger: false });
      quiet.logger.error('webhook failed', { code: 'store_unavailable' });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
