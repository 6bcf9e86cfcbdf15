/** Shared fixtures of the verify tests: a fixed clock, secrets, and signing helpers. */
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { expect } from 'vitest';
import { WebhookSignatureError, type WebhookSignatureReason } from '../../src/errors.js';
import type { VerifyOptions } from '../../src/webhooks/verify.js';

export const NOW_MS = 1_767_225_600_000; // fixed clock: 2026-01-01T00:00:00Z
export const NOW_S = NOW_MS / 1000;
export const SECRET = 'whsec_test_current_0123456789';
export const OLD_SECRET = 'whsec_test_previous_9876543210';
export const PAYLOAD = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'identity.verification_session.verified',
  data: { object: { id: 'vs_1', object: 'identity.verification_session', status: 'verified' } },
});

export const options = (overrides: Partial<VerifyOptions> = {}): VerifyOptions => ({
  secrets: [SECRET],
  now: () => NOW_MS,
  ...overrides,
});

export const sign = (payload: string, secret = SECRET, timestamp = NOW_S): string =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

/** v1 signature over the exact bytes, independent of stripe-node (which decodes byte payloads as UTF-8). */
export const signBytes = (body: Uint8Array, secret: string, timestamp: number): string =>
  createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${timestamp}.`), body]))
    .digest('hex');

export const v1Of = (header: string): string => {
  const match = /v1=([0-9a-f]+)/.exec(header);
  if (!match?.[1]) throw new Error('no v1 in test header');
  return match[1];
};

export async function rejection(promise: Promise<unknown>): Promise<WebhookSignatureError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookSignatureError);
    return error as WebhookSignatureError;
  }
  throw new Error('expected verification to fail, but it succeeded');
}

export async function expectReason(
  promise: Promise<unknown>,
  reason: WebhookSignatureReason,
): Promise<string> {
  const error = await rejection(promise);
  expect(error.reason).toBe(reason);
  expect(error.code).toBe('webhook_signature_invalid');
  return error.message;
}
