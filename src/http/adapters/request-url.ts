/**
 * The absolute URL of a Node request: an origin the server trusts (the `Host` header, or a framework's
 * trusted host behind a proxy) followed by the request-target's path. A target that is not a path
 * starting with a single `/` is refused: `//evil.example/start` or the absolute form `http://evil.example/…`
 * would make the client's choice the request's own origin, and `/\evil.example` reads as `//` to a URL
 * parser.
 *
 * @returns the URL, or `null` when the target or the origin is not valid.
 */
export function requestUrl(origin: string, target: string | undefined): string | null {
  const path = target ?? '/';
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return null;
  try {
    const base = new URL(origin);
    const url = new URL(`${base.origin}${path}`);
    return url.origin === base.origin ? url.href : null;
  } catch {
    return null;
  }
}
