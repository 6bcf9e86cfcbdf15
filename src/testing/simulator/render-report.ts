/** Renders a VerificationReport the way Stripe's API returns it. */
import type Stripe from 'stripe';
import type { Expansions } from './expand.js';
import { FAKE_PERSON, maybeRedacted, REDACTED, REDACTED_DATE, redactedAddress } from './fake-identity.js';
import type { ReportState } from './model.js';
import { describeOutcome, type FailedCheck } from './outcomes.js';

type Report = Stripe.Identity.VerificationReport;

function checkError(report: ReportState, check: FailedCheck): { code: string | null; reason: string } | null {
  if (report.outcome === null || report.outcome === 'verified') return null;
  const info = describeOutcome(report.outcome);
  if (info.check === check) return { code: info.code, reason: maybeRedacted(info.reason, report.redacted) };
  // A failure of the flow as a whole leaves the document unverified without a specific code.
  if (info.check === 'flow' && check === 'document') {
    return { code: null, reason: maybeRedacted(info.reason, report.redacted) };
  }
  return null;
}

function renderDocument(
  report: ReportState,
  expand: Expansions,
): Stripe.Identity.VerificationReport.Document {
  const error = checkError(report, 'document');
  const failed = error !== null;
  const r = report.redacted;
  const document: Stripe.Identity.VerificationReport.Document = {
    address: failed ? null : r ? redactedAddress(FAKE_PERSON.address) : { ...FAKE_PERSON.address },
    error: error as Stripe.Identity.VerificationReport.Document.Error | null,
    files: [report.files.front, report.files.back],
    first_name: failed ? null : maybeRedacted(FAKE_PERSON.firstName, r),
    issued_date: failed ? null : r ? { ...REDACTED_DATE } : { ...FAKE_PERSON.issuedDate },
    issuing_country: 'US',
    last_name: failed ? null : maybeRedacted(FAKE_PERSON.lastName, r),
    status: failed ? 'unverified' : 'verified',
    type: report.options.document?.allowed_types?.[0] ?? 'driving_license',
  };
  if (expand.has('document.dob'))
    document.dob = failed ? null : r ? { ...REDACTED_DATE } : { ...FAKE_PERSON.dob };
  if (expand.has('document.expiration_date')) {
    document.expiration_date = r ? { ...REDACTED_DATE } : { ...FAKE_PERSON.expirationDate };
  }
  if (expand.has('document.number'))
    document.number = failed ? null : r ? REDACTED : FAKE_PERSON.documentNumber;
  return document;
}

function renderIdNumber(
  report: ReportState,
  expand: Expansions,
): Stripe.Identity.VerificationReport.IdNumber {
  const error = checkError(report, 'id_number');
  const r = report.redacted;
  const idNumber: Stripe.Identity.VerificationReport.IdNumber = {
    error: error as Stripe.Identity.VerificationReport.IdNumber.Error | null,
    first_name: maybeRedacted(FAKE_PERSON.firstName, r),
    id_number_type: 'us_ssn',
    last_name: maybeRedacted(FAKE_PERSON.lastName, r),
    status: error ? 'unverified' : 'verified',
  };
  if (expand.has('id_number.dob')) idNumber.dob = r ? { ...REDACTED_DATE } : { ...FAKE_PERSON.dob };
  // Stripe keeps only the last four digits of a US SSN in reports.
  if (expand.has('id_number.id_number')) idNumber.id_number = r ? REDACTED : FAKE_PERSON.idNumber.slice(-4);
  return idNumber;
}

function wants(report: ReportState, check: FailedCheck): boolean {
  if (report.outcome === null) return false;
  const failedHere = report.outcome !== 'verified' && describeOutcome(report.outcome).check === check;
  const doc = report.options.document;
  switch (check) {
    case 'document':
      return report.type !== 'id_number';
    case 'selfie':
      return failedHere || doc?.require_matching_selfie === true;
    case 'id_number':
      return failedHere || report.type === 'id_number' || doc?.require_id_number === true;
    case 'email':
      return failedHere || report.options.email?.require_verification === true;
    case 'phone':
      return failedHere || report.options.phone?.require_verification === true;
    default:
      return false;
  }
}

/** The report as the API shows it; sensitive fields appear only when `expand` asks for them. */
export function renderReport(report: ReportState, expand: Expansions): Report {
  const options: Stripe.Identity.VerificationReport.Options = {};
  if (report.type !== 'id_number') options.document = { ...(report.options.document ?? {}) };
  if (report.type === 'id_number' || report.options.document?.require_id_number) options.id_number = {};
  const out: Report = {
    id: report.id,
    object: 'identity.verification_report',
    client_reference_id: report.clientReferenceId,
    created: Math.floor(report.createdMs / 1000),
    livemode: report.livemode,
    options,
    type: report.type,
    verification_session: report.sessionId,
  };
  if (report.verificationFlow !== null) out.verification_flow = report.verificationFlow;
  if (wants(report, 'document')) out.document = renderDocument(report, expand);
  if (wants(report, 'id_number')) out.id_number = renderIdNumber(report, expand);
  if (wants(report, 'selfie')) {
    const error = checkError(report, 'selfie');
    out.selfie = {
      document: report.files.front,
      error: error as Stripe.Identity.VerificationReport.Selfie.Error | null,
      selfie: report.files.selfie,
      status: error ? 'unverified' : 'verified',
    };
  }
  if (wants(report, 'email')) {
    const error = checkError(report, 'email');
    out.email = {
      email: maybeRedacted(report.providedDetails?.email ?? null, report.redacted),
      error: error as Stripe.Identity.VerificationReport.Email.Error | null,
      status: error ? 'unverified' : 'verified',
    };
  }
  if (wants(report, 'phone')) {
    const error = checkError(report, 'phone');
    out.phone = {
      error: error as Stripe.Identity.VerificationReport.Phone.Error | null,
      phone: maybeRedacted(report.providedDetails?.phone ?? null, report.redacted),
      status: error ? 'unverified' : 'verified',
    };
  }
  return sortKeys(out);
}

/** Stripe serialises `id` and `object` first, then the rest alphabetically (on every answer: kept cheap). */
export function sortKeys<T extends object>(value: T): T {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (Object.hasOwn(source, 'id')) out.id = source.id;
  if (Object.hasOwn(source, 'object')) out.object = source.object;
  for (const key of Object.keys(source).sort()) {
    if (key !== 'id' && key !== 'object') out[key] = source[key];
  }
  return out as T;
}
