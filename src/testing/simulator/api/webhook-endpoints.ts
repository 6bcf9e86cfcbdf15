/** `/v1/webhook_endpoints`: the endpoints Stripe delivers events to, as the go-live checks read them. */
import { invalidParam } from '../api-error.js';
import { NO_EXPANSIONS, parseExpansions } from '../expand.js';
import { listBody, paginate } from '../pagination.js';
import { type MetadataPatch, parseParams } from '../params.js';
import {
  createEndpointParams,
  expandOnlyParams,
  listEndpointParams,
  updateEndpointParams,
} from '../session-params.js';
import { newSecret, renderEndpoint } from '../webhooks/endpoints.js';
import { type ApiCall, type ApiHandler, ok } from './context.js';

const EVENT_NAME = /^(\*|[a-z0-9_]+(\.[a-z0-9_]+)+)$/;

function checkExpand(call: ApiCall, expand: string[] | undefined): void {
  parseExpansions(expand, NO_EXPANSIONS, { list: false, restrictedKey: call.restrictedKey });
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParam(`Invalid URL: ${url}`, 'url', 'url_invalid');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalidParam(
      `Invalid URL: URL must be publicly accessible and use http or https`,
      'url',
      'url_invalid',
    );
  }
  return url;
}

function checkEvents(events: string[]): string[] {
  if (events.length === 0) throw invalidParam('Invalid array', 'enabled_events');
  events.forEach((event, index) => {
    if (!EVENT_NAME.test(event)) {
      throw invalidParam(`Invalid enabled_events[${index}]: ${event}`, `enabled_events[${index}]`);
    }
  });
  return [...new Set(events)];
}

function applyMetadata(
  current: Record<string, string>,
  patch: MetadataPatch | undefined,
): Record<string, string> {
  if (!patch) return current;
  const out = patch.clear ? {} : { ...current };
  for (const [key, value] of patch.set) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** `POST /v1/webhook_endpoints` */
export const createWebhookEndpoint: ApiHandler = (services, call) => {
  const params = parseParams(createEndpointParams, call.params);
  checkExpand(call, params.expand);
  if (params.url === undefined)
    throw invalidParam('Missing required param: url.', 'url', 'parameter_missing');
  if (params.enabled_events === undefined) {
    throw invalidParam('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
  }
  const endpoint = services.endpoints.insert({
    id: services.ids.object('we'),
    url: checkUrl(params.url),
    handler: null,
    enabledEvents: checkEvents(params.enabled_events),
    secret: newSecret(services.secrets),
    apiVersion: params.api_version ?? null,
    apiVersionShownAsNull: true,
    description: params.description ?? null,
    metadata: applyMetadata({}, params.metadata),
    status: 'enabled',
    livemode: call.livemode,
    createdMs: services.clock.now(),
    seq: 0,
    configured: false,
  });
  return ok(renderEndpoint(endpoint, services.apiVersion, true));
};

/** `GET /v1/webhook_endpoints/:id` */
export const retrieveWebhookEndpoint: ApiHandler = (services, call) => {
  const params = parseParams(expandOnlyParams, call.params);
  checkExpand(call, params.expand);
  const endpoint = services.endpoints.get(call.pathParams.id ?? '', call.livemode);
  return ok(renderEndpoint(endpoint, services.apiVersion));
};

/** `POST /v1/webhook_endpoints/:id` */
export const updateWebhookEndpoint: ApiHandler = (services, call) => {
  const params = parseParams(updateEndpointParams, call.params);
  checkExpand(call, params.expand);
  const endpoint = services.endpoints.get(call.pathParams.id ?? '', call.livemode);
  if (params.url !== undefined) endpoint.url = checkUrl(params.url);
  if (params.enabled_events !== undefined) endpoint.enabledEvents = checkEvents(params.enabled_events);
  if (params.description !== undefined) endpoint.description = params.description;
  if (params.disabled !== undefined) endpoint.status = params.disabled ? 'disabled' : 'enabled';
  endpoint.metadata = applyMetadata(endpoint.metadata, params.metadata);
  return ok(renderEndpoint(endpoint, services.apiVersion));
};

/** `DELETE /v1/webhook_endpoints/:id` */
export const deleteWebhookEndpoint: ApiHandler = (services, call) => {
  parseParams(expandOnlyParams, call.params);
  const endpoint = services.endpoints.get(call.pathParams.id ?? '', call.livemode);
  services.endpoints.remove(endpoint);
  return ok({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
};

/** `GET /v1/webhook_endpoints` */
export const listWebhookEndpoints: ApiHandler = (services, call) => {
  const params = parseParams(listEndpointParams, call.params);
  parseExpansions(params.expand, NO_EXPANSIONS, { list: true, restrictedKey: call.restrictedKey });
  const page = paginate(services.endpoints.list(call.livemode), () => true, params);
  const data = page.items.map((ep) => renderEndpoint(ep, services.apiVersion));
  return ok(listBody('/v1/webhook_endpoints', { items: data, hasMore: page.hasMore }));
};
