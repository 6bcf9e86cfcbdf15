/** The API's route table. */
import { retrieveAccount } from './account.js';
import type { ApiHandler } from './context.js';
import { listReports, retrieveReport } from './reports.js';
import {
  cancelSession,
  createSession,
  listSessions,
  redactSession,
  retrieveSession,
  updateSession,
} from './sessions.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint,
} from './webhook-endpoints.js';

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  handler: ApiHandler;
}

const SESSIONS = '/v1/identity/verification_sessions';
const ENDPOINTS = '/v1/webhook_endpoints';
const ID = '(?<id>[^/]+)';

const ROUTES: Route[] = [
  { method: 'GET', pattern: new RegExp(`^${SESSIONS}$`), handler: listSessions },
  { method: 'POST', pattern: new RegExp(`^${SESSIONS}$`), handler: createSession },
  { method: 'GET', pattern: new RegExp(`^${SESSIONS}/${ID}$`), handler: retrieveSession },
  { method: 'POST', pattern: new RegExp(`^${SESSIONS}/${ID}$`), handler: updateSession },
  { method: 'POST', pattern: new RegExp(`^${SESSIONS}/${ID}/cancel$`), handler: cancelSession },
  { method: 'POST', pattern: new RegExp(`^${SESSIONS}/${ID}/redact$`), handler: redactSession },
  { method: 'GET', pattern: /^\/v1\/identity\/verification_reports$/, handler: listReports },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/identity/verification_reports/${ID}$`),
    handler: retrieveReport,
  },
  { method: 'GET', pattern: /^\/v1\/account$/, handler: retrieveAccount },
  { method: 'GET', pattern: new RegExp(`^${ENDPOINTS}$`), handler: listWebhookEndpoints },
  { method: 'POST', pattern: new RegExp(`^${ENDPOINTS}$`), handler: createWebhookEndpoint },
  { method: 'GET', pattern: new RegExp(`^${ENDPOINTS}/${ID}$`), handler: retrieveWebhookEndpoint },
  { method: 'POST', pattern: new RegExp(`^${ENDPOINTS}/${ID}$`), handler: updateWebhookEndpoint },
  { method: 'DELETE', pattern: new RegExp(`^${ENDPOINTS}/${ID}$`), handler: deleteWebhookEndpoint },
];

/**
 * A path segment decoded; a malformed escape stays as sent, which no object id matches, so the answer is
 * Stripe's 404 `resource_missing` for an unknown id.
 */
function decodePathParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The handler for `method path`, with its path parameters, or null for an unknown URL. */
export function findRoute(
  method: string,
  path: string,
): { handler: ApiHandler; pathParams: Record<string, string> } | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const pathParams: Record<string, string> = {};
    for (const [key, value] of Object.entries(match.groups ?? {})) pathParams[key] = decodePathParam(value);
    return { handler: route.handler, pathParams };
  }
  return null;
}
