/** Webhook endpoints registered on the simulator, and which events each receives. */
import type Stripe from 'stripe';
import { InvalidInputError } from '../../../errors.js';
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
  livemode: boolean;
  createdMs: number;
  seq: number;
}

/** Registry of endpoints. */
export class EndpointRegistry {
  private readonly endpoints: EndpointState[] = [];

  /** Registers an endpoint; `url` or `handler` is required (not both). */
  add(input: WebhookEndpointInput, ids: IdFactory, secrets: SeededRandom, now: number): EndpointState {
    if ((input.url === undefined) === (input.handler === undefined)) {
      throw new InvalidInputError('addWebhookEndpoint needs exactly one of `url` or `handler`');
    }
    const endpoint: EndpointState = {
      id: ids.object('we'),
      url: input.url ?? null,
      handler: input.handler ?? null,
      enabledEvents: [...(input.enabledEvents ?? ['*'])],
      secret: input.secret ?? `whsec_${secrets.base62(32)}`,
      apiVersion: input.apiVersion ?? null,
      livemode: input.livemode ?? false,
      createdMs: now,
      seq: this.endpoints.length,
    };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  /** Endpoints of `livemode` that subscribe to `type`. */
  subscribers(type: string, livemode: boolean): EndpointState[] {
    return this.endpoints.filter(
      (ep) =>
        ep.livemode === livemode &&
        (ep.enabledEvents.includes(type) ||
          (ep.enabledEvents.includes('*') && !SELECTION_REQUIRED.has(type))),
    );
  }

  /** Endpoints of one mode, newest first (the order of Stripe's list). */
  list(livemode: boolean): EndpointState[] {
    return this.endpoints.filter((ep) => ep.livemode === livemode).sort((a, b) => b.seq - a.seq);
  }
}

/** The endpoint as `GET /v1/webhook_endpoints` shows it (the secret is only shown at creation, so never here). */
export function renderEndpoint(ep: EndpointState, defaultApiVersion: string): Stripe.WebhookEndpoint {
  return {
    id: ep.id,
    object: 'webhook_endpoint',
    api_version: ep.apiVersion ?? defaultApiVersion,
    application: null,
    created: Math.floor(ep.createdMs / 1000),
    description: null,
    enabled_events: [...ep.enabledEvents] as Stripe.WebhookEndpoint['enabled_events'],
    livemode: ep.livemode,
    metadata: {},
    status: 'enabled',
    url: ep.url ?? `https://webhooks.simulator.invalid/${ep.id}`,
  };
}
