/**
 * `stripe-identity-kit/auth`: ready-made authentication for the routes. `jwtAuth` needs `jose` (an
 * optional peer dependency); recipes for Auth.js, better-auth, Clerk and express-session are in
 * docs/http.md.
 */
export { type JwtAuth, type JwtAuthOptions, jwtAuth } from './auth/jwt.js';
export type { TokenSource } from './auth/token-source.js';
