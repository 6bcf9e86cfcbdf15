import { problem } from './errors.js';

/**
 * The routes' answer for an error `authenticate` threw on purpose: frameworks signal "not signed in" by
 * throwing (`@fastify/jwt`'s `request.jwtVerify()` throws `{ statusCode: 401 }`, Hono throws
 * `HTTPException(401)`). Only 401 and 403 are taken as such; anything else is a failure (500, logged).
 */
export function refusalOf(error: unknown): Response | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = typeof statusCode === 'number' ? statusCode : status;
  if (code === 401) return problem(401, 'unauthenticated', 'Sign in before verifying your identity.');
  if (code === 403) return problem(403, 'forbidden', 'This user may not verify their identity here.');
  return undefined;
}
