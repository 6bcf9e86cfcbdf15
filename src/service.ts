import type Stripe from 'stripe';
import type { ServiceContext } from './context.js';
import type { SessionRecord } from './domain.js';
import { ConfigError, InvalidInputError, NoSessionError, StripeRequestError } from './errors.js';
import { type ResolvedOptions, resolveOptions, type VerificationServiceOptions } from './options.js';
import { readAttempts } from './policies/attempts.js';
import { startVerification } from './policies/links.js';
import { applyObservation, observe } from './policies/observations.js';
import { createPseudonymizer, createSafeLogger, type SafeLogger } from './policies/privacy.js';
import { redactUser, TOMBSTONE_PREFIX } from './policies/redaction.js';
import { type RetentionOptions, redactOlder } from './policies/retention.js';
import { describeStatus } from './policies/status.js';
import { assertOwner, assertRecordOwner, syncSession } from './policies/sync.js';
import { LinkThrottle } from './policies/throttle.js';
import { StripeGateway } from './stripe/gateway.js';
import { detectKeyMode } from './stripe/key-mode.js';
import type {
  RedactionReport,
  SessionRedaction,
  StartResult,
  StatusResult,
  VerificationUser,
} from './types.js';
import { createWebhooks, type Webhooks } from './webhooks/index.js';

/** 1–200 printable characters without whitespace (`\s` covers spaces; the range covers control characters). */
const USER_ID = /^[\x21-\x7e\u00a0-\uffff]{1,200}$/u;

/**
 * Stripe Identity, run the way Stripe's go-live checklist asks: authenticated starts that reuse the
 * user's session, attempt limits held atomically in the store, single-use links never stored, an
 * alternative path, correct webhooks, and redaction on request.
 */
export class VerificationService {
  /** Options after parsing, with defaults. */
  readonly options: ResolvedOptions;
  /** Webhook receiving: `handle`, `fetch` and `node`. */
  readonly webhooks: Webhooks;
  /**
   * The service's logger, wrapped so that only allow-listed reference fields pass (never a link, a client
   * secret, a raw user id or personal data). HTTP adapters log error details here instead of answering them.
   */
  readonly logger: SafeLogger;
  readonly #ctx: ServiceContext;
  readonly #starting = new Map<string, Promise<StartResult>>();

  /** @throws {ConfigError} when an option is invalid or the configuration is unsafe for a live key. */
  constructor(options: VerificationServiceOptions) {
    this.options = resolveOptions(options, detectKeyMode);
    const pseudonym = createPseudonymizer(this.options.redaction.hashSecret);
    // A tombstone's owner already is the pseudonym: its submissions count toward the same ledger.
    const subjectOf = (userId: string) =>
      userId.startsWith(TOMBSTONE_PREFIX)
        ? Promise.resolve(userId.slice(TOMBSTONE_PREFIX.length))
        : pseudonym(userId);
    this.#ctx = {
      options: this.options,
      store: this.options.store,
      gateway: new StripeGateway(
        this.options.stripe as Stripe,
        this.options.restrictedStripe as Stripe | undefined,
      ),
      log: createSafeLogger(this.options.logger),
      now: this.options.now,
      subjectOf,
      links: new LinkThrottle(this.options.limits.linkRefreshesPerMinute),
    };
    this.logger = this.#ctx.log;
    this.webhooks = createWebhooks(this.#ctx);
  }

  /** Number of Stripe API requests this service has sent (for tests and benchmarks). */
  get stripeCalls(): number {
    return this.#ctx.gateway.calls;
  }

  /**
   * Start or resume verification for an authenticated user. Never creates blindly: concurrent calls for
   * one user in this process share one result, and across processes the store's slot serializes them.
   */
  async start(user: VerificationUser): Promise<StartResult> {
    const userId = checkUserId(user?.id);
    const running = this.#starting.get(userId);
    if (running) return running;
    const started = startVerification(this.#ctx, { ...user, id: userId }).finally(() =>
      this.#starting.delete(userId),
    );
    this.#starting.set(userId, started);
    return started;
  }

  /** Where the user stands, from the store alone (no Stripe call). */
  async status(userId: string): Promise<StatusResult> {
    const id = checkUserId(userId);
    const records = await this.#ctx.store.listSessions(id);
    const attempts = await readAttempts(this.#ctx, await this.#ctx.subjectOf(id));
    return describeStatus(id, records, attempts);
  }

  /**
   * The user came back from Stripe's hosted page: reconcile their open session once with Stripe, so the
   * UI is right before the webhook arrives. With `sessionId` (from your return URL), it must be theirs.
   */
  async handleReturn(userId: string, sessionId?: string): Promise<StatusResult> {
    const id = checkUserId(userId);
    const target = await this.#pick(id, sessionId, (record) => record.status !== 'canceled');
    if (target && target.redaction === null) await syncSession(this.#ctx, id, target.sessionId);
    return this.status(id);
  }

  /** Cancel the user's open session: its links stop working. */
  async cancel(userId: string, sessionId?: string): Promise<StatusResult> {
    const id = checkUserId(userId);
    const target = await this.#pick(id, sessionId, (record) => record.status === 'requires_input');
    if (!target)
      throw new NoSessionError('no_open_session', 'This user has no session in requires_input to cancel.');
    const session = await this.#ctx.gateway.retrieveSession(target.sessionId);
    assertOwner(session, id);
    if (session.status === 'requires_input') {
      const canceled = await this.#ctx.gateway
        .cancelSession(target.sessionId)
        .catch((error: unknown) => this.#lostCancelRace(error, id, target.sessionId));
      if (canceled) {
        await applyObservation(
          this.#ctx.store,
          observe(canceled, Math.floor(this.#ctx.now() / 1000)),
          this.#ctx.now(),
        );
      }
    } else {
      await syncSession(this.#ctx, id, target.sessionId);
    }
    return this.status(id);
  }

  /**
   * The verified data of the user's verified session, fetched from Stripe with `expand` and returned
   * untouched: never stored, never logged. `null` when the user has no verified session.
   * With `sensitive: true`, date of birth and ID number too, through the `restrictedStripe` client
   * (Stripe serves them to restricted keys only, and for recent verifications unless the key allows more).
   */
  async verifiedOutputs(
    userId: string,
    options: { sensitive?: boolean } = {},
  ): Promise<Stripe.Identity.VerificationSession.VerifiedOutputs | null> {
    const id = checkUserId(userId);
    if (options.sensitive && !this.options.restrictedStripe) {
      throw new ConfigError('restrictedStripe', 'is needed for sensitive outputs (date of birth, ID number)');
    }
    const target = await this.#pick(
      id,
      undefined,
      (record) => record.status === 'verified' && record.redaction === null,
    );
    if (!target) return null;
    const session = await this.#ctx.gateway.retrieveVerifiedOutputs(
      target.sessionId,
      options.sensitive === true,
    );
    assertOwner(session, id);
    return session.verified_outputs ?? null;
  }

  /**
   * Delete a user's verification data: redact each of their sessions at Stripe (those the store lost are
   * found by `client_reference_id`), wait for processing ones to end, and replace local records with
   * pseudonymous tombstones. Attempt counters stay under the pseudonym until their window ends, so the
   * limits still hold. Idempotent and resumable.
   */
  async redact(userId: string): Promise<RedactionReport> {
    return redactUser(this.#ctx, checkUserId(userId));
  }

  /** Redact every session older than the retention period, in pages, resumable, with progress. */
  async redactOlder(options: RetentionOptions): Promise<SessionRedaction[]> {
    if (!(typeof options?.olderThanDays === 'number' && options.olderThanDays >= 0)) {
      throw new InvalidInputError('olderThanDays must be a number of days, 0 or more');
    }
    return redactOlder(this.#ctx, options);
  }

  /**
   * Stripe refuses a cancel once the session left `requires_input` after our retrieve: a concurrent
   * cancel (another instance, a second tab) or a submission won the race. That state is the answer.
   */
  async #lostCancelRace(error: unknown, userId: string, sessionId: string): Promise<null> {
    if (!(error instanceof StripeRequestError) || error.code !== 'stripe_invalid_request') throw error;
    const { record } = await syncSession(this.#ctx, userId, sessionId);
    if (record.status === 'requires_input') throw error;
    return null;
  }

  async #pick(userId: string, sessionId: string | undefined, wanted: (record: SessionRecord) => boolean) {
    if (sessionId !== undefined) {
      const record = await this.#ctx.store.getSession(sessionId);
      if (!record)
        throw new NoSessionError('session_not_found', `No session ${sessionId} is known for this user.`);
      assertRecordOwner(record, userId);
      return record;
    }
    return (await this.#ctx.store.listSessions(userId)).find(wanted) ?? null;
  }
}

function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || !USER_ID.test(userId) || userId.startsWith(TOMBSTONE_PREFIX)) {
    throw new InvalidInputError(
      'user id must be a string of 1 to 200 characters without spaces or control characters; use your stable internal id (it is sent to Stripe as client_reference_id, so avoid emails and other personal data)',
    );
  }
  return userId;
}
