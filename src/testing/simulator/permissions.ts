/** Restricted keys with limited permissions, answered with Stripe's 403 permission error. */
import { StripeApiFailure } from './api-error.js';
import { type ApiKeyInfo, maskKey } from './auth.js';

/** What a restricted key may be granted, by API resource. */
export type SimulatorResource = 'identity' | 'account' | 'webhook_endpoints';

const RESOURCES: Array<{ prefix: string; resource: SimulatorResource; permission: string }> = [
  { prefix: '/v1/identity/', resource: 'identity', permission: 'rak_identity_product' },
  { prefix: '/v1/account', resource: 'account', permission: 'rak_account' },
  { prefix: '/v1/webhook_endpoints', resource: 'webhook_endpoints', permission: 'rak_webhook' },
];

/** Throws Stripe's 403 when `key` is a restricted key listed in `granted` without the path's resource. */
export function checkPermission(
  key: ApiKeyInfo,
  granted: Readonly<Record<string, readonly SimulatorResource[]>> | undefined,
  method: string,
  path: string,
): void {
  const allowed = granted && Object.hasOwn(granted, key.key) ? granted[key.key] : undefined;
  if (!allowed) return;
  const needed = RESOURCES.find((r) => path.startsWith(r.prefix));
  if (!needed || allowed.includes(needed.resource)) return;
  const access = method === 'GET' ? 'read' : 'write';
  throw new StripeApiFailure({
    status: 403,
    type: 'invalid_request_error',
    message: `The provided key '${maskKey(key.key)}' does not have the required permissions for this endpoint. Having the '${needed.permission}_${access}' permission would allow this request to continue.`,
  });
}
