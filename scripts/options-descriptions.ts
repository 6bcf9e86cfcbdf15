/**
 * What each `VerificationService` option means, by its path in `optionsSchema`: the one place the
 * options reference (docs/options.md) takes its prose from. `type` names what the schema cannot say
 * itself (clients, stores, functions). A schema option missing here fails `scripts/options-doc.ts`.
 */
export interface OptionDescription {
  /** The type as users write it, when the JSON Schema has none (custom checks, functions). */
  type?: string;
  meaning: string;
}

const hook = (event: string, when: string): OptionDescription => ({
  type: '(event: SessionEvent) => void | Promise<void>',
  meaning: `Runs once per \`identity.verification_session.${event}\` change, ${when}. A hook that throws makes the webhook answer 500, so Stripe redelivers; it is owed until it succeeds.`,
});

export const OPTION_DESCRIPTIONS: Record<string, OptionDescription> = {
  stripe: {
    type: 'Stripe',
    meaning:
      'The stripe-node client (`new Stripe(key)`). Its key mode (test or live) decides which safety checks apply.',
  },
  restrictedStripe: {
    type: 'Stripe',
    meaning:
      'A client with a restricted key (`rk_…`) for `verifiedOutputs(userId, { sensitive: true })` (date of birth, ID number). Must use the same mode as `stripe`.',
  },
  mode: {
    meaning:
      "Key mode, when it cannot be read from the client (a custom HTTP client). A value that contradicts the client's key is refused.",
  },
  store: {
    type: 'IdentityStore',
    meaning:
      'Where references, counters and webhook claims live: `MemoryStore` (default; tests and demos), or `SqliteStore`, `RedisStore`, `PostgresStore`. A live key requires a durable one.',
  },
  webhookSecret: {
    meaning:
      "The endpoint's signing secret (`whsec_…`), or several during a rotation (any may match). Required with a live key.",
  },
  returnUrl: {
    meaning:
      'Where Stripe sends the user back after the hosted page (`return_url`). Required with `flow: "redirect"`; `https://` with a live key.',
  },
  flow: {
    meaning:
      "`redirect`: `start()` answers a hosted-page `url`. `modal`: it answers a `clientSecret` for Stripe.js's `verifyIdentity()`.",
  },
  session: { meaning: 'What each new VerificationSession asks for.' },
  'session.type': {
    meaning:
      '`document` (photo ID, optionally a selfie) or `id_number` (a number checked against databases).',
  },
  'session.options': { meaning: "Stripe's `options` for the session type." },
  'session.options.document': { meaning: 'Document check options, passed to Stripe as they are.' },
  'session.options.document.allowed_types': { meaning: 'Document types accepted (default: all three).' },
  'session.options.document.require_id_number': {
    meaning: 'Also collect an ID number and match it against the document.',
  },
  'session.options.document.require_live_capture': {
    meaning: 'Refuse uploaded photos: the document must be captured live with the camera.',
  },
  'session.options.document.require_matching_selfie': {
    meaning: "Also take a selfie and compare it with the document's photo.",
  },
  'session.verificationFlow': {
    meaning:
      'A Dashboard verification flow id (`vf_…`) to create sessions from, instead of `type` and `options`.',
  },
  limits: { meaning: 'Per-user attempt limits, counted in a rolling window.' },
  'limits.maxSubmissions': {
    meaning:
      'Billed submissions (one per verification report) per user and window. The last failed one cancels the open session.',
  },
  'limits.maxSessions': { meaning: 'Sessions created per user and window.' },
  'limits.windowDays': { meaning: 'Length of the rolling window, in days (at least one hour).' },
  'limits.linkRefreshesPerMinute': {
    meaning:
      "Fresh links per user per minute on one instance, so that a script clicking in a loop cannot spend the account's API rate limit.",
  },
  alternative: {
    meaning:
      'The other way to verify (manual review…), handed out with `alternative_required` and `limit_reached`.',
  },
  'alternative.url': { meaning: 'Where to send the user; `https://` with a live key.' },
  'alternative.description': { meaning: 'Text for the UI.' },
  onAlternative: {
    type: '({ userId, reason, sessionId }) => void | Promise<void>',
    meaning:
      'Called when a user needs the alternative path (a terminal error code such as `consent_declined`, or an exhausted limit).',
  },
  onUnknownSession: {
    type: '({ eventId, eventType, sessionId }) => void | Promise<void>',
    meaning:
      'Called for an identity event about a session this library did not create (Dashboard links, another app on the account), before it is acknowledged.',
  },
  on: { meaning: 'Hooks per session status change, run from webhooks, at most once per change.' },
  'on.created': hook('created', 'when the session exists at Stripe'),
  'on.processing': hook('processing', 'when the user submitted and Stripe is checking'),
  'on.verified': hook('verified', 'when every check passed: unlock what verification gates here'),
  'on.requiresInput': hook('requires_input', 'when a check failed (`lastErrorCode` says which)'),
  'on.canceled': hook('canceled', 'when the session was canceled'),
  'on.redacted': hook('redacted', "when Stripe finished deleting the session's data"),
  logger: {
    type: 'Logger | false',
    meaning:
      "Receives the library's logs, with allow-listed reference fields only (never links, secrets or personal data). Default: errors to `console.error`; `false` silences it.",
  },
  redaction: { meaning: 'Pseudonyms and deletion.' },
  'redaction.hashSecret': {
    meaning:
      'Keys the hash that stores user ids as pseudonyms (at least 16 random characters). Required with a live key; keep it stable, or counters restart.',
  },
  webhooks: { meaning: 'Webhook handling.' },
  'webhooks.toleranceSeconds': {
    meaning: 'How far a signature timestamp may be from now, either way, in seconds (at most 3600).',
  },
  'webhooks.maxBodyBytes': { meaning: 'Largest webhook body read, in bytes; larger ones answer 413.' },
  'webhooks.claimLeaseSeconds': {
    meaning:
      "After this long, an unfinished claim on an event (a crashed instance) counts as abandoned and the event's work may run again.",
  },
  'webhooks.retainDays': {
    meaning:
      "How long processed event ids are remembered to drop redeliveries (at least 3 days, the length of Stripe's retries).",
  },
  'webhooks.bodyTimeoutSeconds': {
    meaning: 'A webhook body still arriving after this many seconds is answered 408 and released.',
  },
  concurrency: {
    meaning: 'Concurrent `start()` calls for the same user (double clicks, several instances).',
  },
  'concurrency.leaseSeconds': {
    meaning:
      "How long one caller holds a user's creation slot while it waits for Stripe; a second caller cannot create meanwhile.",
  },
  'concurrency.waitSeconds': {
    meaning:
      'How long a second caller waits for the first one to finish before answering `attempt_in_progress` (409).',
  },
  recheckProcessingAfterSeconds: {
    meaning:
      'A session the store has seen `processing` for longer is re-read from Stripe by `start()`, in case its webhook was lost.',
  },
  now: {
    type: '() => number',
    meaning: 'The clock, in milliseconds (default `Date.now`); inject one in tests.',
  },
};
