/**
 * Reading a bearer token from whatever request an adapter hands `authenticate`: a Web `Request` (the
 * core routes, Next.js), Node's header record (Express `req`, Fastify `request`), or Hono's context `c`.
 */

/** A request `jwtAuth` can read: anything with headers, or Hono's context. */
export type TokenSource =
  | Request
  | { headers: Headers | Record<string, string | string[] | undefined> }
  | { req: { raw: Request } };

/** The value of one header, or `null`. */
export function headerOf(source: TokenSource, name: string): string | null {
  const headers =
    'req' in source && source.req?.raw instanceof Request
      ? source.req.raw.headers
      : (source as { headers?: unknown }).headers;
  if (headers instanceof Headers) return headers.get(name);
  if (typeof headers !== 'object' || headers === null) return null;
  const value = (headers as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value.join(', ') : null;
}

/** The token of `Authorization: Bearer …`, else of the named cookie, else `null`. */
export function tokenOf(source: TokenSource, cookie: string | undefined): string | null {
  const authorization = headerOf(source, 'authorization');
  const bearer = authorization ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer) return bearer;
  if (!cookie) return null;
  for (const pair of (headerOf(source, 'cookie') ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== cookie) continue;
    const raw = pair
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw) || null;
    } catch {
      return null;
    }
  }
  return null;
}
