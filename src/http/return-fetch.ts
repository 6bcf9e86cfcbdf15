/**
 * Which `GET /return` requests may reconcile with Stripe. Reconciling retrieves the session, which mints a
 * fresh link and revokes the current one, so another site must not trigger it with an `<img>`, a
 * `<script>`, a hidden `<iframe>` or a `fetch()`. A browser names such requests in its `Sec-Fetch-*`
 * headers; a request without them (an older browser, a server) is taken at its word.
 */

/**
 * True for a request another site's page made as a subresource: `Sec-Fetch-Site: cross-site` and not a
 * top-level navigation (`Sec-Fetch-Dest: document`, or `Sec-Fetch-Mode: navigate` when the destination is
 * not given). Stripe's redirect back is a cross-site top-level navigation, so it still reconciles; a
 * `fetch()` from an origin in `allowedOrigins` is the app's own frontend and reconciles too.
 */
export function isCrossSiteSubresource(request: Request, allowed: ReadonlySet<string>): boolean {
  const header = (name: string) => request.headers.get(name)?.trim().toLowerCase();
  if (header('sec-fetch-site') !== 'cross-site') return false;
  const dest = header('sec-fetch-dest');
  const topLevel = dest === undefined ? header('sec-fetch-mode') === 'navigate' : dest === 'document';
  if (topLevel) return false;
  const origin = request.headers.get('origin')?.trim();
  return !(origin !== undefined && allowed.has(origin));
}
