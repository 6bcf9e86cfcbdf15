/** API key: mode, kind (restricted recommended), and whether it can list verification sessions. */
import type { StripeApi } from './stripe-api.js';
import { type Check, check } from './types.js';

/** What the key's prefix says. */
export interface KeyInfo {
  mode: 'test' | 'live';
  restricted: boolean;
}

/** Reads mode and kind from the key's prefix; null for something that is not a Stripe secret key. */
export function describeKey(key: string): KeyInfo | null {
  const match = /^(sk|rk)_(test|live)_\S+$/.exec(key);
  if (!match) return null;
  return { mode: match[2] as 'test' | 'live', restricted: match[1] === 'rk' };
}

/** The checks about the key itself. */
export async function keyChecks(api: StripeApi, key: KeyInfo): Promise<Check[]> {
  const checks: Check[] = [
    key.mode === 'live'
      ? check(
          'key.mode',
          'pass',
          'Live key',
          'STRIPE_SECRET_KEY is a live-mode key: the live account was checked',
        )
      : check(
          'key.mode',
          'warn',
          'Test key',
          'STRIPE_SECRET_KEY is a test-mode key: the test-mode settings were checked, not the live ones',
          'Run doctor again with the live key before launch (live webhook endpoints are separate).',
        ),
    key.restricted
      ? check('key.restricted', 'pass', 'Restricted key', 'The key is a restricted key (rk_…)')
      : check(
          'key.restricted',
          'warn',
          'Secret key with full account access',
          'The key is a standard secret key (sk_…): a leak exposes the whole account',
          'Create a restricted key with Identity permissions only: https://dashboard.stripe.com/apikeys',
        ),
  ];
  const listed = await api.get('/v1/identity/verification_sessions', { limit: '1' });
  if (listed.status === 200) {
    checks.push(
      check('key.identity_access', 'pass', 'Key can use Identity', 'Listing verification sessions works'),
    );
  } else {
    const error = listed.body.error as { message?: string; type?: string } | undefined;
    const permission = listed.status === 403;
    checks.push(
      check(
        'key.identity_access',
        'fail',
        permission ? 'Key lacks Identity permissions' : 'Key cannot list verification sessions',
        `${permission ? 'Permission error' : `HTTP ${listed.status}`}: ${error?.message ?? 'no message'}`,
        permission
          ? 'Give the restricted key write access to Identity verification sessions and read access to reports.'
          : 'Check that Identity is activated on the account: https://dashboard.stripe.com/identity',
      ),
    );
  }
  return checks;
}
