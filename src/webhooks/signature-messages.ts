import { WebhookSignatureError } from '../errors.js';

/*
 * Every rejection says what to change, because the person reading it is usually wiring the endpoint for the first
 * time. Messages never include the secret, the signature or the body: they end up in logs and in Stripe's Dashboard.
 */

const DOCS = 'See https://docs.stripe.com/webhooks/signature.';

const RAW_BODY_HINT =
  'Pass the RAW request body bytes exactly as received, not JSON that was parsed and re-serialized ' +
  "(Express: express.raw({ type: 'application/json' }) on the webhook route; Next.js App Router: " +
  'await request.arrayBuffer() or request.text(); a forwarding proxy must keep the body byte for byte).';

/** No `Stripe-Signature` header, or an empty one. */
export const missingHeader = (): WebhookSignatureError =>
  new WebhookSignatureError(
    'missing_header',
    'The request has no Stripe-Signature header. Requests that do not come from Stripe are refused; if this one did, ' +
      'check that a proxy or framework in front of this route forwards the Stripe-Signature header. ' +
      DOCS,
  );

/** The header is present but cannot be read as `t=<unix seconds>,v1=<hex>,…`. */
export const malformedHeader = (detail: string): WebhookSignatureError =>
  new WebhookSignatureError(
    'malformed_header',
    `The Stripe-Signature header is malformed: ${detail}. Stripe sends a single header of the form ` +
      "'t=<unix seconds>,v1=<hex signature>'; pass its value unchanged. " +
      DOCS,
  );

/** Several `Stripe-Signature` values arrived: a proxy or client duplicated the header. */
export const duplicatedHeader = (): WebhookSignatureError =>
  malformedHeader(
    'it arrived as several values, so a proxy or client duplicated the header; forward exactly one',
  );

/** The header carries a timestamp but no `v1` signature (for example only Stripe's fake `v0` test scheme). */
export const noV1Signature = (): WebhookSignatureError =>
  new WebhookSignatureError(
    'no_v1_signature',
    'The Stripe-Signature header has no v1 signature. v1 is the only scheme accepted (v0 and other schemes are ' +
      'ignored, so they cannot be used to downgrade the check); pass the header value exactly as Stripe sent it. ' +
      DOCS,
  );

/** No secret to verify with: the list is empty or holds a blank entry. */
export const missingSecret = (detail: string): WebhookSignatureError =>
  new WebhookSignatureError(
    'missing_secret',
    `No usable webhook signing secret: ${detail}. Configure the endpoint's signing secret (whsec_…) from the ` +
      "Dashboard or Workbench, or the one 'stripe listen' prints when forwarding locally; check that the " +
      'environment variable holding it is set in this deployment.',
  );

/** The body arrived as a parsed object, so the signed bytes are gone. */
export const bodyNotRaw = (): WebhookSignatureError =>
  new WebhookSignatureError(
    'body_not_raw',
    'The webhook body was given as a parsed object, not the raw request body, so its signature cannot be checked. ' +
      "This looks like express.json() ran before this route: use express.raw({ type: 'application/json' }) " +
      'for the webhook route (or register body parsers after it); other frameworks: turn their JSON body parser ' +
      'off for this route. ' +
      DOCS,
  );

/** The body is empty (or missing). */
export const bodyEmpty = (): WebhookSignatureError =>
  new WebhookSignatureError(
    'body_empty',
    'The webhook request body is empty. Stripe always sends a JSON event; if this request came from Stripe, ' +
      'something before this route consumed the body stream. ' +
      RAW_BODY_HINT,
  );

/** Which secrets were tried, to add targeted notes to a mismatch. */
export interface SecretHints {
  count: number;
  anyWithWhitespace: boolean;
  anyWithoutWhsecPrefix: boolean;
}

/** None of the `v1` signatures matches the body under any configured secret. */
export const noMatchingSignature = (hints: SecretHints): WebhookSignatureError => {
  const notes: string[] = [];
  if (hints.anyWithWhitespace) {
    notes.push(
      'A configured secret contains whitespace; this usually means a stray newline or space in the value.',
    );
  }
  if (hints.anyWithoutWhsecPrefix) {
    notes.push(
      'A configured secret does not start with whsec_; use the endpoint signing secret, not the endpoint id (we_…) ' +
        'or an API key.',
    );
  }
  const tried = hints.count === 1 ? 'the configured secret' : `any of the ${hints.count} configured secrets`;
  return new WebhookSignatureError(
    'no_matching_signature',
    `No v1 signature in the Stripe-Signature header matches this body under ${tried}. ${RAW_BODY_HINT} ` +
      "Then check the secret: each endpoint has its own, test and live secrets differ, and 'stripe listen' prints " +
      'its own secret that differs from the Dashboard endpoint. While rolling a secret, configure both the new and ' +
      `the old one. ${notes.join(' ')}${notes.length > 0 ? ' ' : ''}${DOCS}`,
  );
};

/** The signature is valid but older than the tolerance allows: a replay, a late delivery or a slow clock. */
export const timestampTooOld = (ageSeconds: number, toleranceSeconds: number): WebhookSignatureError =>
  new WebhookSignatureError(
    'timestamp_too_old',
    `The signature is valid but its timestamp is ${ageSeconds}s old, beyond the ${toleranceSeconds}s tolerance. ` +
      "This is either a replayed request or this server's clock is behind: keep it in sync with NTP. Stripe " +
      're-signs every retry with a fresh timestamp, so a genuine event will arrive again. If events are verified ' +
      'from a queue after a delay, verify on arrival instead, or raise toleranceSeconds with care.',
  );

/** The signature is valid but its timestamp lies further in the future than the tolerance allows. */
export const timestampTooNew = (aheadSeconds: number, toleranceSeconds: number): WebhookSignatureError =>
  new WebhookSignatureError(
    'timestamp_too_new',
    `The signature is valid but its timestamp is ${aheadSeconds}s in the future, beyond the ${toleranceSeconds}s ` +
      "tolerance. This server's clock is probably ahead (or a request was pre-signed for later replay): keep the " +
      'clock in sync with NTP, or raise toleranceSeconds with care.',
  );

/** Something before the handler read the request stream and left no raw body behind. */
export const bodyStreamConsumed = (): WebhookSignatureError =>
  new WebhookSignatureError(
    'body_not_raw',
    'The request body stream was already read by something that ran before this handler, and no raw body was ' +
      'left for it, so the signature cannot be checked. Let this route receive the untouched request: ' +
      "Express: express.raw({ type: 'application/json' }) on the webhook route (before any express.json()); " +
      'Next.js Pages Router: export const config = { api: { bodyParser: false } }; Fastify: parse ' +
      "application/json with parseAs: 'buffer' and pass request.body to webhooks.handle(); fetch runtimes: do not " +
      'read request.json() or request.text() before handing the Request over (or pass request.clone()).',
  );
