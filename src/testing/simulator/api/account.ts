/** `GET /v1/account` and `GET /v1/webhook_endpoints`, for go-live checks. */
import { NO_EXPANSIONS, parseExpansions } from '../expand.js';
import { listBody, paginate } from '../pagination.js';
import { parseParams } from '../params.js';
import { expandOnlyParams, listEndpointParams } from '../session-params.js';
import { renderEndpoint } from '../webhooks/endpoints.js';
import { type ApiHandler, ok } from './context.js';

/** `GET /v1/account` */
export const retrieveAccount: ApiHandler = (services, call) => {
  const params = parseParams(expandOnlyParams, call.params);
  parseExpansions(params.expand, NO_EXPANSIONS, { list: false, restrictedKey: call.restrictedKey });
  return ok(services.account(call.livemode));
};

/** `GET /v1/webhook_endpoints` */
export const listWebhookEndpoints: ApiHandler = (services, call) => {
  const params = parseParams(listEndpointParams, call.params);
  parseExpansions(params.expand, NO_EXPANSIONS, { list: true, restrictedKey: call.restrictedKey });
  const page = paginate(services.endpoints.list(call.livemode), () => true, params);
  const data = page.items.map((ep) => renderEndpoint(ep, services.apiVersion));
  return ok(listBody('/v1/webhook_endpoints', { items: data, hasMore: page.hasMore }));
};
