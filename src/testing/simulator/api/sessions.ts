/** `/v1/identity/verification_sessions` endpoints. */
import { type Expansions, parseExpansions, SESSION_EXPANSIONS } from '../expand.js';
import type { SessionState } from '../model.js';
import { listBody, paginate } from '../pagination.js';
import { matchesRange, parseParams } from '../params.js';
import { renderSession } from '../render-session.js';
import {
  createSessionParams,
  expandOnlyParams,
  listSessionParams,
  updateSessionParams,
} from '../session-params.js';
import { type ApiCall, type ApiHandler, type ApiServices, ok } from './context.js';

function expansions(call: ApiCall, requested: string[] | undefined, list = false): Expansions {
  return parseExpansions(requested, SESSION_EXPANSIONS, { list, restrictedKey: call.restrictedKey });
}

function render(services: ApiServices, session: SessionState, expand: Expansions) {
  return renderSession(session, { expand, report: (id) => services.state.reports.get(id) });
}

/** Retrieving or updating a `requires_input` session hands out a fresh link, revoking the previous one. */
function refreshLinks(services: ApiServices, session: SessionState): void {
  if (session.status === 'requires_input' && session.redaction === null) {
    services.links.mint(session, services.clock.now());
  }
}

/** `POST /v1/identity/verification_sessions` */
export const createSession: ApiHandler = (services, call) => {
  const params = parseParams(createSessionParams, call.params);
  const expand = expansions(call, params.expand);
  const session = services.lifecycle.create(params, call.livemode, call.origin);
  return ok(render(services, session, expand));
};

/** `GET /v1/identity/verification_sessions/:id` */
export const retrieveSession: ApiHandler = (services, call) => {
  const params = parseParams(expandOnlyParams, call.params);
  const expand = expansions(call, params.expand);
  const session = services.state.session(call.pathParams.id ?? '', call.livemode);
  refreshLinks(services, session);
  return ok(render(services, session, expand));
};

/** `POST /v1/identity/verification_sessions/:id` */
export const updateSession: ApiHandler = (services, call) => {
  const params = parseParams(updateSessionParams, call.params);
  const expand = expansions(call, params.expand);
  const session = services.state.session(call.pathParams.id ?? '', call.livemode);
  services.lifecycle.update(session, params);
  refreshLinks(services, session);
  return ok(render(services, session, expand));
};

/** `POST /v1/identity/verification_sessions/:id/cancel` */
export const cancelSession: ApiHandler = (services, call) => {
  const params = parseParams(expandOnlyParams, call.params);
  const expand = expansions(call, params.expand);
  const session = services.state.session(call.pathParams.id ?? '', call.livemode);
  services.lifecycle.cancel(session, call.origin);
  return ok(render(services, session, expand));
};

/** `POST /v1/identity/verification_sessions/:id/redact` */
export const redactSession: ApiHandler = (services, call) => {
  const params = parseParams(expandOnlyParams, call.params);
  const expand = expansions(call, params.expand);
  const session = services.state.session(call.pathParams.id ?? '', call.livemode);
  services.lifecycle.redact(session, call.origin);
  return ok(render(services, session, expand));
};

/** `GET /v1/identity/verification_sessions` */
export const listSessions: ApiHandler = (services, call) => {
  const params = parseParams(listSessionParams, call.params);
  const expand = expansions(call, params.expand, true);
  const page = paginate(
    services.state.sessionsNewestFirst(call.livemode),
    (s) =>
      (params.status === undefined || s.status === params.status) &&
      (params.client_reference_id === undefined || s.clientReferenceId === params.client_reference_id) &&
      (params.related_customer === undefined || s.relatedCustomer === params.related_customer) &&
      (params.related_customer_account === undefined ||
        s.relatedCustomerAccount === params.related_customer_account) &&
      matchesRange(params.created, Math.floor(s.createdMs / 1000)),
    params,
  );
  const data = page.items.map((s) => render(services, s, expand));
  return ok(listBody('/v1/identity/verification_sessions', { items: data, hasMore: page.hasMore }));
};
