import type Stripe from 'stripe';
import { toStripeRequestError } from './errors.js';
import { headerOf } from './headers.js';

/** A Stripe VerificationSession as stripe-node returns it. */
export type StripeSession = Stripe.Identity.VerificationSession;
/** Create parameters as stripe-node takes them. */
export type CreateSessionParams = Stripe.Identity.VerificationSessionCreateParams;

/** Sensitive expansions that Stripe serves only to restricted keys. */
const RESTRICTED_EXPANSIONS = ['verified_outputs.dob', 'verified_outputs.id_number'];

/**
 * The only place that calls stripe-node. Every failure leaves as a `StripeRequestError`; every call
 * sends stripe-node's own retry-safe idempotency key, and creation sends ours.
 */
export class StripeGateway {
  readonly #stripe: Stripe;
  readonly #restricted: Stripe | undefined;
  /** Number of requests sent, for benchmarks and tests. */
  calls = 0;

  constructor(stripe: Stripe, restricted?: Stripe) {
    this.#stripe = stripe;
    this.#restricted = restricted;
  }

  /**
   * Create one session; `idempotencyKey` identifies the logical attempt. `replayed` is true when Stripe
   * answered with the stored response of an earlier request with this key: its link may be used up.
   */
  async createSession(
    params: CreateSessionParams,
    idempotencyKey: string,
  ): Promise<{ session: StripeSession; replayed: boolean }> {
    const session = await this.#call('create a verification session', () =>
      this.#stripe.identity.verificationSessions.create(params, { idempotencyKey }),
    );
    return { session, replayed: headerOf(session.lastResponse?.headers, 'idempotent-replayed') === 'true' };
  }

  /**
   * Prefill what the user gave (`provided_details`) on a session in `requires_input`. Kept out of the
   * create so that the create's parameters, and so its idempotency key, never depend on details that can
   * change between two attempts: a retry after a lost answer always repeats the same request.
   */
  updateProvidedDetails(
    sessionId: string,
    details: Stripe.Identity.VerificationSessionUpdateParams.ProvidedDetails,
  ): Promise<StripeSession> {
    return this.#call('update a verification session', () =>
      this.#stripe.identity.verificationSessions.update(sessionId, { provided_details: details }),
    );
  }

  /** Retrieve a session; in `requires_input` it carries a fresh single-use link. */
  retrieveSession(sessionId: string): Promise<StripeSession> {
    return this.#call('retrieve a verification session', () =>
      this.#stripe.identity.verificationSessions.retrieve(sessionId),
    );
  }

  /** Every session Stripe holds for this `client_reference_id`, newest first, up to `max`. */
  async listSessionsOfUser(clientReferenceId: string, max = 100): Promise<StripeSession[]> {
    return this.#call('list verification sessions', async () => {
      const found: StripeSession[] = [];
      for await (const session of this.#stripe.identity.verificationSessions.list({
        client_reference_id: clientReferenceId,
        limit: Math.min(max, 100),
      })) {
        found.push(session);
        if (found.length >= max) break;
      }
      return found;
    });
  }

  /** Every session created before `createdBefore` (unix seconds), oldest pages last, all pages. */
  async listSessionsCreatedBefore(createdBefore: number): Promise<StripeSession[]> {
    return this.#call('list verification sessions', async () => {
      const found: StripeSession[] = [];
      for await (const session of this.#stripe.identity.verificationSessions.list({
        created: { lt: createdBefore },
        limit: 100,
      })) {
        found.push(session);
      }
      return found;
    });
  }

  /** Cancel a `requires_input` session: its links stop working. */
  cancelSession(sessionId: string): Promise<StripeSession> {
    return this.#call('cancel a verification session', () =>
      this.#stripe.identity.verificationSessions.cancel(sessionId),
    );
  }

  /** Ask Stripe to redact a session (asynchronous at Stripe: `redaction.status` goes processing → redacted). */
  redactSession(sessionId: string): Promise<StripeSession> {
    return this.#call('redact a verification session', () =>
      this.#stripe.identity.verificationSessions.redact(sessionId),
    );
  }

  /** Retrieve with `verified_outputs` expanded; `sensitive` adds date of birth and ID number (restricted key). */
  retrieveVerifiedOutputs(sessionId: string, sensitive: boolean): Promise<StripeSession> {
    const client = sensitive && this.#restricted ? this.#restricted : this.#stripe;
    const expand = sensitive ? ['verified_outputs', ...RESTRICTED_EXPANSIONS] : ['verified_outputs'];
    return this.#call('retrieve verified outputs', () =>
      client.identity.verificationSessions.retrieve(sessionId, { expand }),
    );
  }

  async #call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    this.calls += 1;
    try {
      return await request();
    } catch (error) {
      throw toStripeRequestError(error, operation);
    }
  }
}
