import type Stripe from 'stripe';
import type { ServiceContext } from './context.js';
import type { SessionRecord } from './domain.js';
import {
  ConfigError,
  InvalidInputError,
  NoSessionError,
  RateLimitedError,
  StripeRequestError,
} from './errors.js';
import { type ResolvedOptions, resolveOptions, type VerificationServiceOptions } from './options.js';
import { readAttempts } from './policies/attempts.js';
import { startVerification } from './policies/links.js';
import { applyObservation, observe } from './policies/observations.js';
import { TOMBSTONE_PREFIX } from './policies/owners.js';
import { createPseudonymizer, createSafeLogger, type SafeLogger } from './policies/privacy.js';
import { redactUser } from './policies/redaction.js';
import { type RetentionOptions, redactOlder } from './policies/retention.js';
import { describeStatus } from './policies/status.js';
import { assertOwner, assertRecordOwner, syncSession } from './policies/sync.js';
import { takeLink } from './policies/throttle.js';
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
    const subjectOf = createPseudonymizer(this.options.redaction.hashSecret);
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
    if (typeof user !== 'object' || user === null) {
      throw new InvalidInputError(
        `start() takes the user as an object, such as start({ id: 'user_123' }); got ${user === null ? 'null' : typeof user}`,
      );
    }
    const userId = checkUserId(user.id);
    const running = this.#starting.get(userId);
    if (running) return running;
    const started = this.#ctx
      .subjectOf(userId)
      .then((subject) => startVerification(this.#ctx, { user: { ...user, id: userId }, subject }))
      .finally(() => this.#starting.delete(userId));
    this.#starting.set(userId, started);
    return started;
  }

  /** Where the user stands, from the store alone (no Stripe call). */
  async status(userId: string): Promise<StatusResult> {
    const id = checkUserId(userId);
    const subject = await this.#ctx.subjectOf(id);
    const records = await this.#ctx.store.listSessions(subject);
    const attempts = await readAttempts(this.#ctx, subject);
    return describeStatus(id, records, attempts);
  }

  /**
   * The user came back from Stripe's hosted page: reconcile their open session once with Stripe, so the
   * UI is right before the webhook arrives. With `sessionId` (from your return URL), it must be theirs.
   * Each reconcile takes one link from the per-user cap (`limits.linkRefreshesPerMinute`: a retrieve
   * revokes the user's current link, and any page can trigger a GET); past the cap the answer comes from
   * the store alone, and the webhook brings the news.
   */
  async handleReturn(userId: string, sessionId?: string): Promise<StatusResult> {
    const id = checkUserId(userId);
    const subject = await this.#ctx.subjectOf(id);
    const target = await this.#pick(subject, sessionId, (record) => record.status !== 'canceled');
    if (target && target.redaction === null && target.status !== 'canceled' && target.status !== 'verified') {
      if ((await takeLink(this.#ctx, subject, 'returns')) === null) {
        await syncSession(this.#ctx, id, subject, target.sessionId);
      } else {
        this.#ctx.log.warn('return reconciles asked for too fast; answering from the store', {
          sessionId: target.sessionId,
        });
      }
    }
    return this.status(id);
  }

  /**
   * Cancel the user's open session: its links stop working. Goes through the per-user link cap.
   * @throws {RateLimitedError} past `limits.linkRefreshesPerMinute` (nothing sent to Stripe).
   */
  async cancel(userId: string, sessionId?: string): Promise<StatusResult> {
    const id = checkUserId(userId);
    const subject = await this.#ctx.subjectOf(id);
    const target = await this.#pick(subject, sessionId, (record) => record.status === 'requires_input');
    if (!target)
      throw new NoSessionError('no_open_session', 'This user has no session in requires_input to cancel.');
    const throttled = await takeLink(this.#ctx, subject);
    if (throttled !== null) throw new RateLimitedError(new Date(throttled));
    const session = await this.#ctx.gateway.retrieveSession(target.sessionId);
    assertOwner(session, id);
    if (session.status === 'requires_input') {
      const canceled = await this.#ctx.gateway
        .cancelSession(target.sessionId)
        .catch((error: unknown) => this.#lostCancelRace(error, id, subject, target.sessionId));
      if (canceled) {
        await applyObservation(
          this.#ctx.store,
          observe(canceled, Math.floor(this.#ctx.now() / 1000)),
          this.#ctx.now(),
        );
      }
    } else {
      await syncSession(this.#ctx, id, subject, target.sessionId);
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
      await this.#ctx.subjectOf(id),
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
   * @throws {RateLimitedError} past `limits.linkRefreshesPerMinute` deletion requests in a minute.
   */
  async redact(userId: string): Promise<RedactionReport> {
    const id = checkUserId(userId);
    // Each run lists, reads and redacts at Stripe: a loop of deletion requests must not spend the
    // account's rate limit either.
    const throttled = await takeLink(this.#ctx, await this.#ctx.subjectOf(id), 'redactions');
    if (throttled !== null) throw new RateLimitedError(new Date(throttled));
    return redactUser(this.#ctx, id);
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
  async #lostCancelRace(error: unknown, userId: string, subject: string, sessionId: string): Promise<null> {
    if (!(error instanceof StripeRequestError) || error.code !== 'stripe_invalid_request') throw error;
    const { record } = await syncSession(this.#ctx, userId, subject, sessionId);
    if (record.status === 'requires_input') throw error;
    return null;
  }

  async #pick(owner: string, sessionId: string | undefined, wanted: (record: SessionRecord) => boolean) {
    if (sessionId !== undefined) {
      if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) {
        throw new InvalidInputError('sessionId must be a Stripe verification session id (vs_…), or left out');
      }
      const record = await this.#ctx.store.getSession(sessionId);
      if (!record)
        throw new NoSessionError('session_not_found', `No session ${sessionId} is known for this user.`);
      assertRecordOwner(record, owner);
      return record;
    }
    return (await this.#ctx.store.listSessions(owner)).find(wanted) ?? null;
  }
}

/**
 * User ids: well-formed UTF-16 (a lone surrogate would collide with U+FFFD in stores that encode UTF-8),
 * 1–200 characters, no whitespace of any script, no control or format characters (zero-width, bidi, BOM),
 * so that two ids that look alike or encode alike are never two store keys for one person, or one key for
 * two. Ordinary Unicode (`usér_1`, `用户_42`, `auth0|abc`) is fine.
 */
/** A Stripe verification session id, as far as a lookup key needs to trust it. */
const SESSION_ID = /^vs_[A-Za-z0-9_]{1,250}$/;

const FORBIDDEN_IN_USER_ID = /[\p{White_Space}\p{Cc}\p{Cf}]/u;

function checkUserId(userId: unknown): string {
  if (
    typeof userId !== 'string' ||
    userId.length < 1 ||
    userId.length > 200 ||
    !isWellFormed(userId) ||
    FORBIDDEN_IN_USER_ID.test(userId) ||
    userId.startsWith(TOMBSTONE_PREFIX)
  ) {
    throw new InvalidInputError(
      'user id must be a string of 1 to 200 characters, well-formed Unicode, without whitespace, control or format (invisible) characters; use your stable internal id (it is sent to Stripe as client_reference_id, so avoid emails and other personal data)',
    );
  }
  return userId;
}

/** `String.prototype.isWellFormed` (Node 20+), with a fallback for older engines: no lone surrogates. */
function isWellFormed(value: string): boolean {
  const native = (value as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof native === 'function') return native.call(value);
  return !/\p{Surrogate}/u.test(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}
