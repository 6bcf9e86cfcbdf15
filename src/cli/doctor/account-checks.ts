/** Account (`GET /v1/account`): branding, business name, support URL, and a country Identity serves. */
import type { StripeApi } from './stripe-api.js';
import { type Check, check } from './types.js';

/** Countries whose businesses can use Identity (Stripe's eligibility page; general availability and beta). */
export const IDENTITY_COUNTRIES: ReadonlySet<string> = new Set(
  'AT AU BE BG CA CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IT JP LT LU LV MT NL NO NZ PL PT RO SE SI US'.split(
    ' ',
  ),
);

const BRANDING = 'https://dashboard.stripe.com/settings/branding';
const PUBLIC_DETAILS = 'https://dashboard.stripe.com/settings/public';

interface AccountView {
  id?: string;
  country?: string | null;
  business_profile?: {
    name?: string | null;
    support_url?: string | null;
    support_email?: string | null;
  } | null;
  settings?: {
    branding?: { icon?: unknown; logo?: unknown; primary_color?: string | null } | null;
    dashboard?: { display_name?: string | null } | null;
  } | null;
}

/** The account checks, and the account id for the report's header. */
export async function accountChecks(api: StripeApi): Promise<{ checks: Check[]; accountId: string | null }> {
  const answer = await api.get('/v1/account');
  if (answer.status !== 200) {
    const message =
      (answer.body.error as { message?: string } | undefined)?.message ?? `HTTP ${answer.status}`;
    return {
      accountId: null,
      checks: [
        check(
          'account.read',
          'warn',
          'Account settings could not be read',
          `GET /v1/account: ${message}`,
          `Grant the key read access to account settings, or check branding by hand at ${BRANDING}`,
        ),
      ],
    };
  }
  const account = answer.body as AccountView;
  const branding = account.settings?.branding;
  const name = account.business_profile?.name ?? account.settings?.dashboard?.display_name ?? null;
  const country = account.country ?? null;
  const supportUrl = account.business_profile?.support_url ?? null;
  const checks = [
    branding?.icon || branding?.logo
      ? check('account.branding.icon', 'pass', 'Icon or logo set', 'Shown on the verification page')
      : check(
          'account.branding.icon',
          'fail',
          'No icon or logo',
          'Users see an unbranded verification page and may not trust it',
          `Upload an icon or logo at ${BRANDING}`,
        ),
    branding?.primary_color
      ? check(
          'account.branding.color',
          'pass',
          'Brand colour set',
          `Primary colour ${branding.primary_color}`,
        )
      : check(
          'account.branding.color',
          'warn',
          'No brand colour',
          "The verification page uses Stripe's default colour",
          `Set a primary colour at ${BRANDING}`,
        ),
    name
      ? check('account.business_name', 'pass', 'Business name set', `Users see "${name}"`)
      : check(
          'account.business_name',
          'fail',
          'No business name',
          'The verification page cannot say who asks for the ID',
          `Set the public business name at ${PUBLIC_DETAILS}`,
        ),
    supportUrl
      ? check('account.support_url', 'pass', 'Support URL set', supportUrl)
      : check(
          'account.support_url',
          'warn',
          'No support URL',
          'Users who are stuck on verification have nowhere to go from the page',
          `Set a support URL at ${PUBLIC_DETAILS}`,
        ),
    country && IDENTITY_COUNTRIES.has(country)
      ? check('account.country', 'pass', 'Identity is offered in the account country', `Country ${country}`)
      : check(
          'account.country',
          'fail',
          'Identity is not offered in the account country',
          `Country ${country ?? 'unknown'} is not among the countries whose businesses can use Identity`,
          'See https://docs.stripe.com/identity (eligibility) or contact Stripe support.',
        ),
  ];
  return { checks, accountId: account.id ?? null };
}
