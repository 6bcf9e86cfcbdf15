/** The account `GET /v1/account` describes, with the caller's overrides merged in. */
import type Stripe from 'stripe';
import type { DeepPartial } from './types.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `patch` merged into `base` at every depth (arrays and nulls replace). */
export function deepMerge(
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** A plain test account: branding unset, a business name, card payments off. */
export function buildAccount(
  id: string,
  createdSeconds: number,
  livemode: boolean,
  overrides: DeepPartial<Stripe.Account> | undefined,
): Stripe.Account {
  const base = {
    id,
    object: 'account',
    business_profile: {
      mcc: null,
      name: 'Simulated Business',
      product_description: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: 'https://example.com',
    },
    business_type: null,
    charges_enabled: livemode,
    country: 'US',
    created: createdSeconds,
    default_currency: 'usd',
    details_submitted: true,
    email: null,
    metadata: {},
    payouts_enabled: livemode,
    settings: {
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_payments: {
        decline_on: { avs_failure: false, cvc_failure: false },
        statement_descriptor_prefix: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      dashboard: { display_name: 'Simulated Business', timezone: 'Etc/UTC' },
      payments: {
        statement_descriptor: null,
        statement_descriptor_kana: null,
        statement_descriptor_kanji: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
    },
    type: 'standard',
  };
  return deepMerge(base, (overrides ?? {}) as Record<string, unknown>) as unknown as Stripe.Account;
}
