/** The simulator's internal records. They are rendered into Stripe objects on the way out, never exposed. */
import type Stripe from 'stripe';

/** Statuses of a VerificationSession. */
export type SessionStatus = 'requires_input' | 'processing' | 'verified' | 'canceled';

/** Types a session can have. */
export type SessionType = 'document' | 'id_number' | 'verification_flow';

/** Details the caller provided about the user (personal data: rendered only when expanded). */
export interface ProvidedDetails {
  email?: string;
  phone?: string;
}

/** One VerificationSession. */
export interface SessionState {
  id: string;
  /** Creation order, used to sort lists (newest first) when several share a second. */
  seq: number;
  livemode: boolean;
  createdMs: number;
  type: SessionType;
  verificationFlow: string | null;
  status: SessionStatus;
  options: Stripe.Identity.VerificationSession.Options;
  providedDetails: ProvidedDetails | null;
  metadata: Map<string, string>;
  clientReferenceId: string | null;
  relatedCustomer: string | null;
  relatedCustomerAccount: string | null;
  relatedPerson: { account: string; person: string } | null;
  returnUrl: string | null;
  lastError: { code: string; reason: string } | null;
  lastReportId: string | null;
  redaction: 'processing' | 'redacted' | null;
  /** The link and secret handed out last (null once used up or when the session takes no input). */
  url: string | null;
  clientSecret: string | null;
  /** Whether a submission of this session was ever verified (drives `verified_outputs`). */
  everVerified: boolean;
}

/** One VerificationReport: created when a submission starts, filled in when its checks finish. */
export interface ReportState {
  id: string;
  seq: number;
  livemode: boolean;
  createdMs: number;
  sessionId: string;
  clientReferenceId: string | null;
  type: SessionType;
  verificationFlow: string | null;
  /** Session options at submission time. */
  options: Stripe.Identity.VerificationSession.Options;
  /** `null` while processing; `'verified'` or the failure code once finished. */
  outcome: string | null;
  /** File ids of the (fake) document images and selfie. */
  files: { front: string; back: string; selfie: string };
  providedDetails: ProvidedDetails | null;
  redacted: boolean;
}

/** Where a state change came from, for the event's `request` field. */
export interface ChangeOrigin {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** A state change caused by no API request (a user on the hosted page, the passing of time). */
export const AUTOMATIC: ChangeOrigin = { requestId: null, idempotencyKey: null };
