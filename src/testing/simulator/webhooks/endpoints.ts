/** Webhook endpoints registered on the simulator, and which events each receives. */
import type Stripe from 'stripe';
import { InvalidInputError } from '../../../errors.js';
import { resourceMissing } from '../api-error.js';
import type { IdFactory, SeededRandom } from '../random.js';
import type { WebhookEndpointInput } from '../types.js';

/** Events that `*` does not include: an endpoint must list them by name (Stripe: "selection required"). */
const SELECTION_REQUIRED = new Set(['identity.verification_session.redacted']);

/** One registered endpoint. */
export interface EndpointState {
  id: string;
  url: string | null;
  handler: ((req: Request) => Promise<Response>) | null;
  enabledEvents: string[];
  secret: string;
  apiVersion: string | null;
  /**
   * Endpoints created through `POST /v1/webhook_endpoints` without `api_version` show `null` (events follow
   * the account's default version); those added with `addWebhookEndpoint` show the simulator's version.
   */
  apiVersionShownAsNull: boolean;
  description: string | null;
  metadata: Record<string, string>;
  status: 'enabled' | 'disabled';
  livemode: boolean;
  createdMs: number;
  seq: number;
  /** Added by the test itself (kept by `reset()`), rather than created through the API. */
  configured: boolean;
}

/** Registry of endpoints. */
export class EndpointRegistry {
  private endpoints: EndpointState[] = [];
  private seq = 0;

  /** Registers an endpoint; `url` or `handler` is required (not both). */
  add(input: WebhookEndpointInput, ids: IdFactory, secrets: SeededRandom, now: number): EndpointState {
    if ((input.url === undefined) === (input.handler === undefined)) {
      throw new InvalidInputError('addWebhookEndpoint needs exactly one of `url` or `handler`');
    }
    return this.insert({
      id: ids.object('we'),
      url: input.url ?? null,
      handler: input.handler ?? null,
      enabledEvents: [...(input.enabledEvents ?? ['*'])],
      secret: input.secret ?? newSecret(secrets),
      apiVersion: input.apiVersion ?? null,
      apiVersionShownAsNull: false,
      description: null,
      metadata: {},
      status: 'enabled',
      livemode: input.livemode ?? false,
      createdMs: now,
      seq: 0,
      configured: true,
    });
  }

  /** Stores an endpoint built by the API (`POST /v1/webhook_endpoints`). */
  insert(endpoint: EndpointState): EndpointState {
    const stored = { ...endpoint, seq: this.seq++ };
    this.endpoints.push(stored);
    return stored;
  }

  /** The endpoint with `id` in this mode, or Stripe's 404. */
  get(id: string, livemode: boolean): EndpointState {
    const endpoint = this.endpoints.find((ep) => ep.id === id && ep.livemode === livemode);
    if (!endpoint) throw resourceMissing('webhook_endpoint', id);
    return endpoint;
  }

  /** Removes an endpoint: pending deliveries to it still run, as at Stripe; no new event reaches it. */
  remove(endpoint: EndpointState): void {
    this.endpoints = this.endpoints.filter((ep) => ep !== endpoint);
  }

  /** Forgets endpoints created through the API; keeps those the test configured. */
  keepConfigured(): void {
    this.endpoints = this.endpoints.filter((ep) => ep.configured);
  }

  /** Enabled endpoints of `livemode` that subscribe to `type`. */
  subscribers(type: string, livemode: boolean): EndpointState[] {
    return this.endpoints.filter(
      (ep) =>
        ep.livemode === livemode &&
        ep.status === 'enabled' &&
        (ep.enabledEvents.includes(type) ||
          (ep.enabledEvents.includes('*') && !SELECTION_REQUIRED.has(type))),
    );
  }

  /** Endpoints of one mode, newest first (the order of Stripe's list). */
  list(livemode: boolean): EndpointState[] {
    return this.endpoints.filter((ep) => ep.livemode === livemode).sort((a, b) => b.seq - a.seq);
  }

  /** Every endpoint, oldest first. */
  all(): EndpointState[] {
    return [...this.endpoints];
  }
}

/** A fresh signing secret, as Stripe formats them. */
export function newSecret(secrets: SeededRandom): string {
  return `whsec_${secrets.base62(32)}`;
}

/** The endpoint as the API shows it; the secret only in the answer to its creation, as at Stripe. */
export function renderEndpoint(
  ep: EndpointState,
  defaultApiVersion: string,
  withSecret = false,
): Stripe.WebhookEndpoint {
  const body: Stripe.WebhookEndpoint = {
    id: ep.id,
    object: 'webhook_endpoint',
    api_version: ep.apiVersion ?? (ep.apiVersionShownAsNull ? null : defaultApiVersion),
    application: null,
    created: Math.floor(ep.createdMs / 1000),
    description: ep.description,
    enabled_events: [...ep.enabledEvents] as Stripe.WebhookEndpoint['enabled_events'],
    livemode: ep.livemode,
    metadata: { ...ep.metadata },
    status: ep.status,
    url: ep.url ?? `https://webhooks.simulator.invalid/${ep.id}`,
  };
  if (withSecret) body.secret = ep.secret;
  return body;
}
