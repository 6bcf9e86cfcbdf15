/** The parameters each endpoint accepts, as stripe-node 23.1 sends them. */
import { bool, emptyable, int, list, metadata, obj, oneOf, type ParamOf, range, str } from './params.js';

const documentOptions = obj({
  allowed_types: list(oneOf(['driving_license', 'id_card', 'passport'])),
  require_id_number: bool(),
  require_live_capture: bool(),
  require_matching_selfie: bool(),
});

const sessionOptions = obj({ document: emptyable(documentOptions) });
const providedDetails = obj({ email: str(), phone: str() });
const expand = list(str());
const pagination = { limit: int({ min: 1, max: 100 }), starting_after: str(), ending_before: str(), expand };

/** `POST /v1/identity/verification_sessions`. */
export const createSessionParams = obj({
  client_reference_id: str(),
  expand,
  metadata: metadata(),
  options: sessionOptions,
  provided_details: providedDetails,
  related_customer: str(),
  related_customer_account: str(),
  related_person: obj({ account: str(), person: str() }),
  return_url: str(),
  type: oneOf(['document', 'id_number']),
  verification_flow: str(),
});

/** Parsed create parameters. */
export type CreateSessionParams = ParamOf<typeof createSessionParams>;

/** `POST /v1/identity/verification_sessions/:id`. */
export const updateSessionParams = obj({
  expand,
  metadata: metadata(),
  options: sessionOptions,
  provided_details: providedDetails,
  type: oneOf(['document', 'id_number']),
});

/** Parsed update parameters. */
export type UpdateSessionParams = ParamOf<typeof updateSessionParams>;

/** Endpoints that take nothing but `expand` (retrieve, cancel, redact, account). */
export const expandOnlyParams = obj({ expand });

/** `GET /v1/identity/verification_sessions`. */
export const listSessionParams = obj({
  ...pagination,
  client_reference_id: str(),
  created: range(),
  related_customer: str(),
  related_customer_account: str(),
  status: oneOf(['canceled', 'processing', 'requires_input', 'verified']),
});

/** `GET /v1/identity/verification_reports`. */
export const listReportParams = obj({
  ...pagination,
  client_reference_id: str(),
  created: range(),
  type: oneOf(['document', 'id_number']),
  verification_session: str(),
});

/** `GET /v1/webhook_endpoints`. */
export const listEndpointParams = obj(pagination);

/** `POST /v1/webhook_endpoints`. */
export const createEndpointParams = obj({
  api_version: str(),
  connect: bool(),
  description: emptyable(str()),
  enabled_events: list(str()),
  expand,
  metadata: metadata(),
  url: str(),
});

/** `POST /v1/webhook_endpoints/:id`. */
export const updateEndpointParams = obj({
  description: emptyable(str()),
  disabled: bool(),
  enabled_events: list(str()),
  expand,
  metadata: metadata(),
  url: str(),
});
