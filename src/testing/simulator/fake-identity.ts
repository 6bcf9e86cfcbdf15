/**
 * The made-up person every simulated verification finds (Stripe's own fixture name), and the placeholders
 * that replace the data once a session is redacted. Nothing here is real personal data.
 */
import type Stripe from 'stripe';

/** Placeholder Stripe shows in place of redacted text. */
export const REDACTED = '[redacted]';

/** The fake identity's data, as the checks would read it off the document. */
export const FAKE_PERSON = {
  firstName: 'Jenny',
  lastName: 'Rosen',
  address: {
    city: 'San Francisco',
    country: 'US',
    line1: '1234 Main St.',
    line2: null,
    postal_code: '94111',
    state: 'CA',
  } satisfies Stripe.Address,
  dob: { day: 1, month: 1, year: 1990 },
  idNumber: '000000000',
  documentNumber: 'D0000000',
  issuedDate: { day: 1, month: 12, year: 2020 },
  expirationDate: { day: 1, month: 12, year: 2030 },
};

/** A date as Stripe renders a redacted one. */
export const REDACTED_DATE = { day: 1, month: 1, year: 1 };

/** The address with every line replaced, keeping the country as Stripe does. */
export function redactedAddress(address: Stripe.Address): Stripe.Address {
  return {
    city: REDACTED,
    country: address.country,
    line1: REDACTED,
    line2: address.line2 === null ? null : REDACTED,
    postal_code: REDACTED,
    state: REDACTED,
  };
}

/** Text or a redaction placeholder (null stays null). */
export function maybeRedacted<T extends string | null>(value: T, redacted: boolean): T | string {
  return redacted && value !== null ? REDACTED : value;
}
