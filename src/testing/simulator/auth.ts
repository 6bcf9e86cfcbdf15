/** API key checks, with Stripe's 401 answers. */
import { StripeApiFailure } from './api-error.js';

/** The authenticated key. */
export interface ApiKeyInfo {
  key: string;
  livemode: boolean;
  /** `rk_…` keys may read sensitive verification results. */
  restricted: boolean;
}

const DEFAULT_KEY = /^(sk|rk)_(test|live)_.+$/;
const LIVE_KEY = /^(sk|rk)_live_/;

function unauthorized(message: string): StripeApiFailure {
  return new StripeApiFailure({ status: 401, type: 'invalid_request_error', message });
}

/** `sk_test_****abcd`: enough to recognise a key in a message, never the key itself. */
export function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}****${key.length - prefix.length > 4 ? key.slice(-4) : ''}`;
}

function keyFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (bearer?.[1]) return bearer[1].trim();
  const basic = /^Basic\s+(.+)$/i.exec(header.trim());
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return decoded.split(':')[0] || null;
  }
  return null;
}

/** Reads the `Authorization` header; `accepted` (when given) lists the only keys that work. */
export function authenticate(
  header: string | undefined,
  accepted: readonly string[] | undefined,
): ApiKeyInfo {
  const key = keyFromHeader(header);
  if (key === null) {
    throw unauthorized(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (key.startsWith('pk_')) {
    throw unauthorized(
      'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
    );
  }
  const valid = accepted ? accepted.includes(key) : DEFAULT_KEY.test(key);
  if (!valid) throw unauthorized(`Invalid API Key provided: ${maskKey(key)}`);
  return { key, livemode: LIVE_KEY.test(key), restricted: key.startsWith('rk_') };
}
