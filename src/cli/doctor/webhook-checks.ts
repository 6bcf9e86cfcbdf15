/**
 * Webhook endpoints (`GET /v1/webhook_endpoints`): one enabled endpoint receives the events the library
 * needs, one names `redacted` (which `*` leaves out), https in live mode, and the client's API version.
 */
import { REDACTED_EVENT, REQUIRED_EVENTS } from './identity-events.js';
import type { StripeApi } from './stripe-api.js';
import { type Check, check } from './types.js';

interface Endpoint {
  id: string;
  url: string;
  status: string;
  enabled_events: string[];
  api_version: string | null;
}

const CREATE_FIX = 'Run `stripe-identity-kit webhooks create --url https://…/your-webhook-route`';

/** Every endpoint of the key's mode (follows pagination). */
async function listEndpoints(api: StripeApi): Promise<Endpoint[] | { error: string }> {
  const all: Endpoint[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const answer = await api.get('/v1/webhook_endpoints', {
      limit: '100',
      ...(after ? { starting_after: after } : {}),
    });
    if (answer.status !== 200) {
      return {
        error: (answer.body.error as { message?: string } | undefined)?.message ?? `HTTP ${answer.status}`,
      };
    }
    const data = (answer.body.data ?? []) as Endpoint[];
    all.push(...data);
    if (answer.body.has_more !== true || data.length === 0) break;
    after = data[data.length - 1]?.id;
  }
  return all;
}

function receives(endpoint: Endpoint, event: string): boolean {
  return (
    endpoint.enabled_events.includes(event) ||
    (event !== REDACTED_EVENT && endpoint.enabled_events.includes('*'))
  );
}

/** The webhook checks, for a key of `mode`, against the client's `apiVersion`. */
export async function webhookChecks(
  api: StripeApi,
  mode: 'test' | 'live',
  apiVersion: string,
): Promise<Check[]> {
  const listed = await listEndpoints(api);
  if ('error' in listed) {
    return [
      check(
        'webhooks.endpoint',
        'warn',
        'Webhook endpoints could not be read',
        `GET /v1/webhook_endpoints: ${listed.error}`,
        'Grant the key read access to webhook endpoints, or check them at https://dashboard.stripe.com/webhooks',
      ),
    ];
  }
  const enabled = listed.filter((ep) => ep.status === 'enabled');
  const identity = enabled.filter((ep) =>
    [...REQUIRED_EVENTS, REDACTED_EVENT].some((event) => receives(ep, event)),
  );
  const complete = enabled.filter((ep) => REQUIRED_EVENTS.every((event) => receives(ep, event)));
  const checks: Check[] = [];
  if (complete.length > 0) {
    checks.push(
      check(
        'webhooks.endpoint',
        'pass',
        'An endpoint receives the session events',
        complete.map((ep) => `${ep.id} ${ep.url}`).join(', '),
      ),
    );
  } else {
    const partial = identity[0];
    const missing = partial ? REQUIRED_EVENTS.filter((event) => !receives(partial, event)) : REQUIRED_EVENTS;
    checks.push(
      check(
        'webhooks.endpoint',
        'fail',
        'No endpoint receives all session events',
        partial
          ? `${partial.id} misses ${missing.map((e) => e.replace('identity.verification_session.', '')).join(', ')}`
          : `No enabled ${mode}-mode endpoint receives verified, requires_input, processing and canceled`,
        CREATE_FIX,
      ),
    );
  }
  const redacted = enabled.filter((ep) => ep.enabled_events.includes(REDACTED_EVENT));
  checks.push(
    redacted.length > 0
      ? check(
          'webhooks.redacted',
          'pass',
          'An endpoint receives redacted',
          redacted.map((ep) => ep.id).join(', '),
        )
      : check(
          'webhooks.redacted',
          'fail',
          'No endpoint receives identity.verification_session.redacted',
          '`*` does not deliver it: an endpoint must name it, or deletions are never confirmed',
          `Add ${REDACTED_EVENT} to the endpoint's events, or ${CREATE_FIX.charAt(0).toLowerCase()}${CREATE_FIX.slice(1)}`,
        ),
  );
  if (identity.length === 0) {
    const nothing = 'No endpoint receives Identity events yet, so there is nothing to check';
    checks.push(check('webhooks.https', 'warn', 'Endpoint URLs use https', nothing, CREATE_FIX));
    checks.push(
      check('webhooks.api_version', 'warn', 'Endpoint API version matches the client', nothing, CREATE_FIX),
    );
    return checks;
  }
  const plain = identity.filter((ep) => !ep.url.startsWith('https://'));
  checks.push(
    plain.length === 0
      ? check('webhooks.https', 'pass', 'Endpoint URLs use https', `${identity.length} Identity endpoint(s)`)
      : check(
          'webhooks.https',
          mode === 'live' ? 'fail' : 'warn',
          'Endpoint URL without https',
          `${plain.map((ep) => `${ep.id} ${ep.url}`).join(', ')}${mode === 'live' ? '' : ' (test mode; live mode needs https)'}`,
          'Serve the webhook route over https and update the endpoint URL.',
        ),
  );
  const mismatched = identity.filter((ep) => ep.api_version !== apiVersion);
  checks.push(
    mismatched.length === 0
      ? check('webhooks.api_version', 'pass', 'Endpoint API version matches the client', apiVersion)
      : check(
          'webhooks.api_version',
          mismatched.some((ep) => ep.api_version !== null) ? 'fail' : 'warn',
          'Endpoint API version differs from the client',
          mismatched
            .map(
              (ep) =>
                `${ep.id} renders events as ${ep.api_version ?? "the account's default version"}, the client uses ${apiVersion}`,
            )
            .join('; '),
          `Create the endpoint with api_version ${apiVersion} (webhooks create does), then delete the old one.`,
        ),
  );
  return checks;
}
