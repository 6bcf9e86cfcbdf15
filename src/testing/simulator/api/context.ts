/** What every API handler receives and returns. */
import type Stripe from 'stripe';
import type { SimulatorClock } from '../clock.js';
import type { FormObject } from '../form.js';
import type { SessionLifecycle } from '../lifecycle.js';
import type { LinkRegistry } from '../links.js';
import type { ChangeOrigin } from '../model.js';
import type { IdFactory, SeededRandom } from '../random.js';
import type { SimulatorState } from '../state.js';
import type { EndpointRegistry } from '../webhooks/endpoints.js';

/** The simulator parts the API works on. */
export interface ApiServices {
  state: SimulatorState;
  lifecycle: SessionLifecycle;
  links: LinkRegistry;
  clock: SimulatorClock;
  endpoints: EndpointRegistry;
  ids: IdFactory;
  /** Seeded source of webhook signing secrets. */
  secrets: SeededRandom;
  account: (livemode: boolean) => Stripe.Account;
  apiVersion: string;
}

/** One authenticated API call. */
export interface ApiCall {
  /** Query parameters (GET) or form body (POST), decoded. */
  params: FormObject;
  /** Values of `:name` segments in the route. */
  pathParams: Record<string, string>;
  livemode: boolean;
  /** Whether the key is a restricted key (`rk_…`), which may read sensitive fields. */
  restrictedKey: boolean;
  origin: ChangeOrigin;
}

/** A successful answer. */
export interface ApiResult {
  status: number;
  body: object;
}

/** One endpoint. Throws `StripeApiFailure` for Stripe-shaped errors. */
export type ApiHandler = (services: ApiServices, call: ApiCall) => ApiResult;

/** `ok(body)`: a 200 answer. */
export function ok(body: object): ApiResult {
  return { status: 200, body };
}
