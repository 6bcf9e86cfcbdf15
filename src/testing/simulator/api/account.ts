/** `GET /v1/account`, for go-live checks. */
import { NO_EXPANSIONS, parseExpansions } from '../expand.js';
import { parseParams } from '../params.js';
import { expandOnlyParams } from '../session-params.js';
import { type ApiHandler, ok } from './context.js';

/** `GET /v1/account` */
export const retrieveAccount: ApiHandler = (services, call) => {
  const params = parseParams(expandOnlyParams, call.params);
  parseExpansions(params.expand, NO_EXPANSIONS, { list: false, restrictedKey: call.restrictedKey });
  return ok(services.account(call.livemode));
};
