/**
 * Submission outcomes: `verified`, or a `last_error.code`. Each failure belongs to one check of the
 * report (document, selfie, id_number, email, phone) or to the flow itself (consent, age, device…).
 * Reasons are our own wording, shown the way Stripe shows `last_error.reason`.
 */
import { InvalidInputError } from '../../errors.js';

/** Which part of a VerificationReport a failure shows up in. */
export type FailedCheck = 'document' | 'selfie' | 'id_number' | 'email' | 'phone' | 'flow';

interface OutcomeInfo {
  check: FailedCheck;
  reason: string;
}

const KNOWN: Record<string, OutcomeInfo> = {
  abandoned: { check: 'flow', reason: 'The user left the verification before finishing it.' },
  consent_declined: { check: 'flow', reason: 'The user declined to be verified by Stripe.' },
  country_not_supported: { check: 'flow', reason: 'Stripe does not verify users from the provided country.' },
  device_not_supported: {
    check: 'flow',
    reason: 'The user’s device cannot complete the verification (no camera).',
  },
  under_supported_age: { check: 'flow', reason: 'Stripe does not verify users under the age of majority.' },
  document_expired: { check: 'document', reason: 'The provided identity document has expired.' },
  document_type_not_supported: {
    check: 'document',
    reason: 'The provided document is not one of the allowed document types.',
  },
  document_unverified_other: {
    check: 'document',
    reason: 'Stripe could not verify the provided identity document.',
  },
  selfie_document_missing_photo: {
    check: 'selfie',
    reason: 'The provided identity document has no picture of a face.',
  },
  selfie_face_mismatch: {
    check: 'selfie',
    reason: 'The captured face does not match the face on the document.',
  },
  selfie_manipulated: { check: 'selfie', reason: 'The captured face image was manipulated.' },
  selfie_unverified_other: { check: 'selfie', reason: 'Stripe could not verify the provided selfie.' },
  id_number_insufficient_document_data: {
    check: 'id_number',
    reason: 'The document did not hold enough data to match the ID number against.',
  },
  id_number_mismatch: {
    check: 'id_number',
    reason: 'The ID number could not be matched against global databases.',
  },
  id_number_unverified_other: {
    check: 'id_number',
    reason: 'Stripe could not verify the provided ID number.',
  },
  email_unverified_other: { check: 'email', reason: 'Stripe could not verify the provided email address.' },
  email_verification_declined: {
    check: 'email',
    reason: 'The user could not verify the provided email address.',
  },
  phone_unverified_other: { check: 'phone', reason: 'Stripe could not verify the provided phone number.' },
  phone_verification_declined: {
    check: 'phone',
    reason: 'The user could not verify the provided phone number.',
  },
};

/** Every `last_error.code` stripe-node 23.1 knows, in the order the hosted page offers them. */
export const FAILURE_CODES: readonly string[] = Object.keys(KNOWN);

/**
 * Checks an outcome and tells where it fails. Codes outside stripe-node's list are allowed (Stripe's enum is
 * open, e.g. `address_mismatch`) as long as they look like codes; they fail the flow as a whole.
 */
export function describeOutcome(outcome: string): OutcomeInfo & { code: string } {
  if (!/^[a-z][a-z0-9_]*$/.test(outcome)) {
    throw new InvalidInputError(
      `Outcome must be 'verified' or a last_error code such as 'document_expired', got ${outcome}`,
    );
  }
  const info = Object.hasOwn(KNOWN, outcome) ? KNOWN[outcome] : undefined;
  return { code: outcome, ...(info ?? { check: 'flow', reason: `The verification failed (${outcome}).` }) };
}
