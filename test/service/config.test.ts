import Stripe from 'stripe';
import { describe, expect, test } from 'vitest';
import { ConfigError, MemoryStore, VerificationService } from '../../src/index.js';
import type { IdentityStore } from '../../src/stores/contract.js';

const test_stripe = new Stripe('sk_test_config');
const live_stripe = new Stripe('sk_live_config');
const base = { stripe: test_stripe, returnUrl: 'https://app.example.com/return' };

function configError(options: unknown): ConfigError {
  try {
    new VerificationService(options as ConstructorParameters<typeof VerificationService>[0]);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** A durable store that is not MemoryStore, to see which live checks remain. */
class DurableStore extends MemoryStore {
  override readonly capabilities = { atomic: true, sharedAcrossProcesses: true, durable: true };
}

describe('options', () => {
  test('defaults', () => {
    const service = new VerificationService(base);
    expect(service.options).toMatchObject({
      flow: 'redirect',
      keyMode: 'test',
      limits: { maxSubmissions: 3, maxSessions: 5, windowDays: 30 },
      session: { type: 'document' },
    });
  });

  test.each([
    [{ limits: { maxSubmissions: 0 } }, 'limits.maxSubmissions', /positive integer/],
    [{ limits: { maxSessions: 1.5 } }, 'limits.maxSessions', /integer/],
    [{ stripe: {} }, 'stripe', /Stripe client/],
    [{ store: { get: () => 1 } }, 'store', /IdentityStore/],
    [{ returnUrl: 'not a url' }, 'returnUrl', /absolute https/],
    [{ webhookSecret: '  ' }, 'webhookSecret', /non-empty/],
    [{ webhookSecret: [] }, 'webhookSecret', /.+/],
    [{ flow: 'popup' }, 'flow', /.+/],
    [{ limitz: {} }, '', /unknown option "limitz"/],
    [{ session: { options: { document: { require_selfie: true } } } }, 'session.options.document', /.+/],
  ])('%j is refused at %s', (override, path, message) => {
    const error = configError({ ...base, ...override });
    expect(error.code).toBe('config_invalid');
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  test('redirect flow needs a return url', () => {
    expect(configError({ stripe: test_stripe }).path).toBe('returnUrl');
    expect(() => new VerificationService({ stripe: test_stripe, flow: 'modal' })).not.toThrow();
  });

  test('a live key with MemoryStore is refused before any request', () => {
    expect(configError({ ...base, stripe: live_stripe }).path).toBe('store');
    expect(configError({ ...base, stripe: new Stripe('rk_live_x') }).path).toBe('store');
  });

  test('a live key with a non-https return url is refused', () => {
    const store: IdentityStore = new DurableStore();
    const redaction = { hashSecret: 'a-long-enough-hash-secret' };
    const live = { stripe: live_stripe, store, redaction, webhookSecret: 'whsec_live_config' };
    expect(configError({ ...live, returnUrl: 'http://app.example.com/r' }).path).toBe('returnUrl');
    expect(configError({ ...live, redaction: {}, returnUrl: 'https://app.example.com/r' }).path).toBe(
      'redaction.hashSecret',
    );
    expect(() => new VerificationService({ ...live, returnUrl: 'https://app.example.com/r' })).not.toThrow();
  });

  test('mode is read from the client, and a contradicting mode option is refused', () => {
    expect(configError({ ...base, mode: 'live' }).path).toBe('mode');
    const custom = new Stripe(undefined as unknown as string, { authenticator: async () => undefined });
    expect(configError({ ...base, stripe: custom }).message).toMatch(/set mode/);
    expect(new VerificationService({ ...base, stripe: custom, mode: 'test' }).options.keyMode).toBe('test');
  });
});
