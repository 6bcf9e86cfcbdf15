/** What no API shows: listed with status `manual` and where to do it. */
import { type Check, check } from './types.js';

const DOCS = 'https://github.com/stripe-identity-kit/stripe-identity-kit/blob/main/docs';

/** The items of Stripe's list that only a person can tick. */
export function manualChecks(): Check[] {
  return [
    check(
      'manual.use_case',
      'manual',
      'Supported use case',
      'Identity may not be used for FCRA decisions, minors, reselling verification, and other listed uses',
      'Read https://docs.stripe.com/identity/use-cases and confirm yours is allowed.',
    ),
    check(
      'manual.pricing',
      'manual',
      'Pricing and billing understood',
      'Each submitted verification is billed, whatever its outcome',
      'Read https://stripe.com/identity#pricing and compare with the worst-case cost above.',
    ),
    check(
      'manual.privacy_policy',
      'manual',
      'Privacy policy mentions identity verification',
      'Stripe provides a paragraph to add to your privacy policy',
      `Adapt ${DOCS}/templates/privacy-policy.md and publish it.`,
    ),
    check(
      'manual.privacy_policy_url',
      'manual',
      'Privacy policy URL in the account settings',
      'The verification page links to it',
      'Set it at https://dashboard.stripe.com/settings/public',
    ),
    check(
      'manual.faq',
      'manual',
      'Users are told why and how they are verified',
      'An FAQ on the page where verification starts',
      `Adapt ${DOCS}/templates/identity-faq.md`,
    ),
    check(
      'manual.deletion',
      'manual',
      'Users know how to delete their data',
      'Deletion requests go through redact(); Stripe also holds some data as controller',
      `Adapt ${DOCS}/templates/data-deletion-notice.md and see ${DOCS}/privacy.md`,
    ),
    check(
      'manual.keys',
      'manual',
      'API keys rolled and kept out of source control',
      "Stripe's development checklist asks to roll keys just before going live",
      'Roll keys at https://dashboard.stripe.com/apikeys and store them in a secret manager.',
    ),
  ];
}
