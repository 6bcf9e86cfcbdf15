import { ConfigError } from '../errors.js';

/**
 * The cross-site request rule of the state-changing routes. A browser tells where a request comes from in
 * two headers: `Sec-Fetch-Site` (every current browser) and `Origin` (every POST, older browsers too). A
 * request is refused when either says another site sent it; a request with neither (a server, curl) passes,
 * because it carries no ambient cookie an attacker could ride on.
 */

/** Check the `allowedOrigins` option once: each entry must be an origin such as `https://app.example.com`. */
export function checkedOrigins(allowedOrigins: unknown): ReadonlySet<string> {
  if (allowedOrigins === undefined) return new Set();
  if (!Array.isArray(allowedOrigins)) {
    throw new ConfigError(
      'allowedOrigins',
      "must be an array of origins, such as ['https://app.example.com']",
    );
  }
  const origins = new Set<string>();
  for (const entry of allowedOrigins) {
    const origin = typeof entry === 'string' ? parseOrigin(entry) : null;
    if (origin === null || origin !== entry) {
      throw new ConfigError(
        'allowedOrigins',
        `${JSON.stringify(entry)} is not an origin: use scheme and host only (and a port if any), such as 'https://app.example.com', without a path or a trailing slash`,
      );
    }
    origins.add(origin);
  }
  return origins;
}

/**
 * True when a state-changing request came from another site: `Sec-Fetch-Site: cross-site`, `Origin: null`
 * (sandboxed frames, some redirects), or an `Origin` that is neither the request's own nor allowed.
 *
 * The request's own origin is compared by host as well as by full origin: behind a proxy that ends TLS,
 * the server sees `http://app.example.com` while the browser sends `Origin: https://app.example.com`.
 */
export function isCrossSite(request: Request, allowed: ReadonlySet<string>): boolean {
  if (request.headers.get('sec-fetch-site')?.trim().toLowerCase() === 'cross-site') return true;
  const header = request.headers.get('origin');
  if (header === null) return false;
  const origin = parseOrigin(header.trim());
  if (origin === null) return true;
  if (allowed.has(origin)) return false;
  const own = new URL(request.url);
  if (origin === own.origin) return false;
  const from = new URL(origin);
  return !(from.protocol === 'https:' && own.protocol === 'http:' && from.host === own.host);
}

/** The serialized origin of an `http(s)` URL, or `null` (`null` itself, other schemes, garbage). */
function parseOrigin(value: string): string | null {
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}
