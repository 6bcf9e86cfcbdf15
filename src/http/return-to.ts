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
  if (typeof returnTo === 'string' && isSafeLocation(returnTo)) return returnTo;
  throw new ConfigError(
    'returnTo',
    "must be a path on your site such as '/verify/done', an absolute http(s) URL, or a function of the status returning one",
  );
}

/**
 * The `Location` of the 303 answer. A path must start with a single `/`: `//evil.example` and `/\evil`
 * are other hosts to a browser, so that a status-derived value can never become an open redirect.
 *
 * @throws ConfigError when the function returns something else.
 */
export function returnLocation(returnTo: ReturnTo, status: StatusResult): string {
  const location = typeof returnTo === 'function' ? returnTo(status) : returnTo;
  if (typeof location !== 'string' || !isSafeLocation(location)) {
    throw new ConfigError(
      'returnTo',
      'returned something that is neither a path nor an absolute http(s) URL',
    );
  }
  return location;
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
