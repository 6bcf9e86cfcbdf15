import type Stripe from 'stripe';

/** `test` or `live` from a key's prefix; `null` for anything else. */
export function modeOfKey(key: string): 'test' | 'live' | null {
  if (/^(sk|rk)_live_/.test(key)) return 'live';
  if (/^(sk|rk)_test_/.test(key)) return 'test';
  return null;
}

/**
 * Read the key mode from a stripe-node client without a request. stripe-node keeps the key private; its
 * default authenticator exposes it for its own tests, which is the one place it can be read. Custom
 * authenticators reveal nothing: the caller must then pass `mode` explicitly.
 */
export function detectKeyMode(stripe: Stripe): 'test' | 'live' | null {
  const authenticator = (stripe as unknown as { _authenticator?: { _apiKey?: unknown } })._authenticator;
  const key = authenticator?._apiKey;
  return typeof key === 'string' ? modeOfKey(key) : null;
}
