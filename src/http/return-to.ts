import { ConfigError } from '../errors.js';
import type { StatusResult } from '../types.js';

/**
 * Where `GET /return` sends the browser once it has reconciled: a path on your site (`/verify/done`), an
 * absolute `https:` URL, or a function choosing one from the user's status.
 */
export type ReturnTo = string | ((status: StatusResult) => string);

/** Check the `returnTo` option once; a function's answer is checked on each call by {@link returnLocation}. */
export function checkedReturnTo(returnTo: unknown): ReturnTo | undefined {
  if (returnTo === undefined || typeof returnTo === 'function') return returnTo as ReturnTo | undefined;
  if (typeof returnTo === 'string' && isSafeLocation(returnTo) && encodedLocation(returnTo) !== null) {
    return returnTo;
  }
  throw new ConfigError(
    'returnTo',
    "must be a path on your site such as '/verify/done', an absolute http(s) URL, or a function of the status returning one",
  );
}

/**
 * The `Location` of the 303 answer, percent-encoded. A path must start with a single `/`: `//evil.example` and `/\evil`
 * are other hosts to a browser, so that a status-derived value can never become an open redirect.
 *
 * @throws ConfigError when the function returns something else.
 */
export function returnLocation(returnTo: ReturnTo, status: StatusResult): string {
  const location = typeof returnTo === 'function' ? returnTo(status) : returnTo;
  const encoded = typeof location === 'string' && isSafeLocation(location) ? encodedLocation(location) : null;
  if (encoded === null) {
    throw new ConfigError(
      'returnTo',
      'returned something that is neither a path nor an absolute http(s) URL',
    );
  }
  return encoded;
}

/**
 * The location as ASCII: a header value must be a byte string, so `/vérifier/完成` would fail every
 * answer. URL parsing percent-encodes what needs it and keeps what is already encoded.
 */
function encodedLocation(location: string): string | null {
  if (!location.startsWith('/')) return new URL(location).href;
  const url = new URL(location, 'http://return-to.invalid');
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can fold `/.//evil.example` into `//evil.example`: another host to a browser.
  return path.startsWith('//') ? null : path;
}

function isSafeLocation(location: string): boolean {
  if (/[\s\\]/.test(location) || /[\p{Cc}]/u.test(location)) return false;
  if (location.startsWith('/')) return !location.startsWith('//');
  if (!/^https?:\/\//i.test(location)) return false;
  try {
    new URL(location);
    return true;
  } catch {
    return false;
  }
}
