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
 * (sandboxed frames, some redirects), or an `Origin` that is neither the request's own nor allowed. An
 * `Origin` listed in `allowed` passes even with `Sec-Fetch-Site: cross-site`: that is what a browser sends
 * for a frontend on another site, which is what the list is for.
 *
 * `own` is the request's own origin as the adapter learned it from the `Host` header (or the framework's
 * trusted host behind a proxy), never from the request-target a client writes. It is compared by host as
 * well as by full origin: behind a proxy that ends TLS, the server sees `http://app.example.com` while the
 * browser sends `Origin: https://app.example.com`.
 */
export function isCrossSite(
  request: Request,
  allowed: ReadonlySet<string>,
  own: string = ownOrigin(request),
): boolean {
  const header = request.headers.get('origin');
  const origin = header === null ? null : parseOrigin(header.trim());
  if (origin !== null && allowed.has(origin)) return false;
  if (request.headers.get('sec-fetch-site')?.trim().toLowerCase() === 'cross-site') return true;
  if (header === null) return false;
  if (origin === null) return true;
  const self = new URL(own);
  if (origin === self.origin) return false;
  const from = new URL(origin);
  return !(from.protocol === 'https:' && self.protocol === 'http:' && from.host === self.host);
}

/**
 * The request's own origin: the scheme of its URL with the host of its `Host` header when it has one. A
 * runtime may build the URL from an absolute-form request-target (`POST http://evil.example/…`), which
 * the client chose; the `Host` header names the server the connection reached.
 */
export function ownOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get('host')?.trim();
  if (!host) return url.origin;
  // A Host that smuggles a path, credentials or a query names no server: nothing is same-origin with it.
  if (/[/\\@?#\s]/.test(host)) return NO_ORIGIN;
  try {
    return new URL(`${url.protocol}//${host}`).origin;
  } catch {
    return NO_ORIGIN;
  }
}

/** An origin no `Origin` header can equal. */
const NO_ORIGIN = 'null:';

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
