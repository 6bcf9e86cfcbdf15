/** `/v1/identity/verification_reports` endpoints. */
import { parseExpansions, REPORT_EXPANSIONS } from '../expand.js';
import { listBody, paginate } from '../pagination.js';
import { matchesRange, parseParams } from '../params.js';
import { renderReport } from '../render-report.js';
import { expandOnlyParams, listReportParams } from '../session-params.js';
import { type ApiHandler, ok } from './context.js';

/** `GET /v1/identity/verification_reports/:id` */
export const retrieveReport: ApiHandler = (services, call) => {
  const params = parseParams(expandOnlyParams, call.params);
  const expand = parseExpansions(params.expand, REPORT_EXPANSIONS, {
    list: false,
    restrictedKey: call.restrictedKey,
  });
  const report = services.state.report(call.pathParams.id ?? '', call.livemode);
  return ok(renderReport(report, expand));
};

/** `GET /v1/identity/verification_reports` */
export const listReports: ApiHandler = (services, call) => {
  const params = parseParams(listReportParams, call.params);
  const expand = parseExpansions(params.expand, REPORT_EXPANSIONS, {
    list: true,
    restrictedKey: call.restrictedKey,
  });
  const page = paginate(
    services.state.reportsNewestFirst(call.livemode),
    (r) =>
      (params.verification_session === undefined || r.sessionId === params.verification_session) &&
      (params.client_reference_id === undefined || r.clientReferenceId === params.client_reference_id) &&
      (params.type === undefined || r.type === params.type) &&
      matchesRange(params.created, Math.floor(r.createdMs / 1000)),
    params,
  );
  const data = page.items.map((r) => renderReport(r, expand));
  return ok(listBody('/v1/identity/verification_reports', { items: data, hasMore: page.hasMore }));
};
