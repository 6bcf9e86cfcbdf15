/** Renders a VerificationSession the way Stripe's API (and its events) show it. */
import type Stripe from 'stripe';
import type { Expansions } from './expand.js';
import { FAKE_PERSON, maybeRedacted, REDACTED, REDACTED_DATE, redactedAddress } from './fake-identity.js';
import type { ReportState, SessionState } from './model.js';
import { renderReport, sortKeys } from './render-report.js';

type Session = Stripe.Identity.VerificationSession;

function renderOutputs(
  session: SessionState,
  expand: Expansions,
): Stripe.Identity.VerificationSession.VerifiedOutputs | null {
  if (!session.everVerified) return null;
  const r = session.redaction !== null;
  const hasIdNumber = session.type === 'id_number' || session.options.document?.require_id_number === true;
  const outputs: Stripe.Identity.VerificationSession.VerifiedOutputs = {
    address:
      session.type === 'id_number'
        ? null
        : r
          ? redactedAddress(FAKE_PERSON.address)
          : { ...FAKE_PERSON.address },
    email: maybeRedacted(session.providedDetails?.email ?? null, r),
    first_name: maybeRedacted(FAKE_PERSON.firstName, r),
    id_number_type: hasIdNumber ? 'us_ssn' : null,
    last_name: maybeRedacted(FAKE_PERSON.lastName, r),
    phone: maybeRedacted(session.providedDetails?.phone ?? null, r),
  };
  if (expand.has('dob')) outputs.dob = r ? { ...REDACTED_DATE } : { ...FAKE_PERSON.dob };
  if (expand.has('id_number')) outputs.id_number = hasIdNumber ? (r ? REDACTED : FAKE_PERSON.idNumber) : null;
  return sortKeys(outputs);
}

function renderProvidedDetails(
  session: SessionState,
): Stripe.Identity.VerificationSession.ProvidedDetails | null {
  if (session.providedDetails === null) return null;
  const out: Stripe.Identity.VerificationSession.ProvidedDetails = {};
  const r = session.redaction !== null;
  if (session.providedDetails.email !== undefined) out.email = r ? REDACTED : session.providedDetails.email;
  if (session.providedDetails.phone !== undefined) out.phone = r ? REDACTED : session.providedDetails.phone;
  return out;
}

/** What a session render needs besides the session. */
export interface SessionRenderContext {
  expand: Expansions;
  report: (id: string) => ReportState | undefined;
}

/**
 * The session as the API returns it. `url`/`client_secret` are whatever the session holds (minting fresh
 * ones is the caller's decision); `verified_outputs` and `provided_details` appear only when expanded.
 */
export function renderSession(session: SessionState, ctx: SessionRenderContext): Session {
  const redacted = session.redaction !== null;
  const lastError = session.lastError
    ? {
        code: session.lastError.code as Stripe.Identity.VerificationSession.LastError.Code,
        reason: maybeRedacted(session.lastError.reason, redacted),
      }
    : null;
  const report = session.lastReportId === null ? undefined : ctx.report(session.lastReportId);
  const out: Session = {
    id: session.id,
    object: 'identity.verification_session',
    client_reference_id: session.clientReferenceId,
    client_secret: session.clientSecret,
    created: Math.floor(session.createdMs / 1000),
    last_error: lastError,
    last_verification_report:
      report && ctx.expand.has('last_verification_report')
        ? renderReport(report, ctx.expand.under('last_verification_report'))
        : session.lastReportId,
    livemode: session.livemode,
    metadata: redacted ? {} : Object.fromEntries(session.metadata),
    options: structuredClone(session.options),
    redaction: session.redaction === null ? null : { status: session.redaction },
    related_customer: session.relatedCustomer,
    related_customer_account: session.relatedCustomerAccount,
    status: session.status,
    type: session.type,
    url: session.url,
  };
  if (session.relatedPerson !== null) out.related_person = { ...session.relatedPerson };
  if (session.verificationFlow !== null) out.verification_flow = session.verificationFlow;
  if (ctx.expand.has('provided_details')) out.provided_details = renderProvidedDetails(session);
  if (ctx.expand.has('verified_outputs')) {
    out.verified_outputs = renderOutputs(session, ctx.expand.under('verified_outputs'));
  }
  return sortKeys(out);
}
