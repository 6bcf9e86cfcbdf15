import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ConfigError } from '../errors.js';
import type { VerificationUser } from '../types.js';
import { type TokenSource, tokenOf } from './token-source.js';

/** Options of {@link jwtAuth}: one of `secret` (HS256) or `jwks` (a JWKS URL). */
export interface JwtAuthOptions {
  /** The HS256 shared secret, at least 32 bytes. */
  secret?: string | Uint8Array;
  /** URL of the issuer's JSON Web Key Set (`https://…/.well-known/jwks.json`). */
  jwks?: string | URL;
  /** Required `iss`. */
  issuer?: string | string[];
  /** Required `aud`. */
  audience?: string | string[];
  /** Cookie holding the token when there is no `Authorization: Bearer` header. */
  cookie?: string;
  /** Claim holding the user id. Default `sub`. */
  claim?: string;
  /** Accepted algorithms. Default `['HS256']` with `secret`, `['RS256', 'PS256', 'ES256', 'EdDSA']` with `jwks`. */
  algorithms?: string[];
  /** Seconds of clock skew allowed on `exp`/`nbf`, from 0 to 300. Default 0. */
  clockToleranceSeconds?: number;
  /**
   * Accept tokens without an `exp` claim, which then never expire. Default `false`: a token without
   * `exp` authenticates no one. Set it only when your issuer cannot add `exp` and revokes tokens some
   * other way.
   */
  allowMissingExp?: boolean;
}

/** An auth adapter for every route adapter: reads Web `Request`s, Node/Express/Fastify requests and Hono's `c`. */
export interface JwtAuth {
  /** The user the request's token names (Bearer header or the configured cookie), or `null` when none is valid. */
  authenticate(source: TokenSource): Promise<VerificationUser | null>;
}

/** jose's codes for a token that is simply not acceptable: the caller is anonymous (401), nothing broke. */
const REFUSED = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

/**
 * Authenticate with a JSON Web Token from `Authorization: Bearer …` or a cookie, signed with an HS256
 * secret or a key of a JWKS URL; `exp` is required (unless `allowMissingExp`) and checked, `nbf` checked (and `iss`/`aud` when given), `alg: none`
 * is never accepted. The user id is the `sub` claim (or `claim`), the email the `email` claim when it is a
 * string. A token that fails any check authenticates no one (401); a JWKS that cannot be fetched throws,
 * so the route answers 500 and logs it instead of signing everyone out quietly.
 *
 * @throws ConfigError when neither or both of `secret` and `jwks` are given, the secret is shorter than
 * 32 bytes or looks like a public key (PEM or JWK: the algorithm-confusion setup), the JWKS URL is not
 * `https:` (plain `http:` only on localhost), or `clockToleranceSeconds` is not between 0 and 300.
 */
export function jwtAuth(options: JwtAuthOptions): JwtAuth {
  const key = verificationKey(options);
  const claim = options.claim ?? 'sub';
  const algorithms =
    options.algorithms ?? (options.secret ? ['HS256'] : ['RS256', 'PS256', 'ES256', 'EdDSA']);
  const verifyOptions = {
    algorithms,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    ...(options.allowMissingExp === true ? {} : { requiredClaims: ['exp'] }),
    clockTolerance: checkedTolerance(options.clockToleranceSeconds),
  };
  return {
    async authenticate(source) {
      const token = tokenOf(source, options.cookie);
      if (!token) return null;
      let payload: JWTPayload;
      try {
        payload =
          key instanceof Uint8Array
            ? (await jwtVerify(token, key, verifyOptions)).payload
            : (await jwtVerify(token, key, verifyOptions)).payload;
      } catch (error) {
        if (REFUSED.has((error as { code?: unknown } | null)?.code as string)) return null;
        throw error;
      }
      const id = payload[claim];
      if (typeof id !== 'string' || id === '') return null;
      return typeof payload.email === 'string' ? { id, email: payload.email } : { id };
    },
  };
}

function verificationKey(options: JwtAuthOptions): Uint8Array | JWTVerifyGetKey {
  if ((options?.secret === undefined) === (options?.jwks === undefined)) {
    throw new ConfigError('jwtAuth', 'give exactly one of secret (HS256) or jwks (a JWKS URL)');
  }
  if (options.secret !== undefined) {
    if (typeof options.secret === 'string' && looksLikeKey(options.secret)) {
      throw new ConfigError(
        'jwtAuth.secret',
        'is a PEM or JWK key, not a shared secret: pass its JWKS URL as jwks (tokens signed with a private key are verified with the public key, never as HS256)',
      );
    }
    const secret =
      typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
    if (!(secret instanceof Uint8Array) || secret.byteLength < 32) {
      throw new ConfigError('jwtAuth.secret', 'must be at least 32 bytes (an HS256 key of 256 bits)');
    }
    return secret;
  }
  let url: URL;
  try {
    url = new URL(options.jwks as string | URL);
  } catch {
    throw new ConfigError('jwtAuth.jwks', 'must be the URL of a JSON Web Key Set');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError('jwtAuth.jwks', 'must be an https: URL (http: only on localhost)');
  }
  return createRemoteJWKSet(url);
}

/** Clock skew past minutes would keep an expired token valid: 0 to 300 seconds. */
function checkedTolerance(seconds: unknown): number {
  if (seconds === undefined) return 0;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 300) {
    throw new ConfigError('jwtAuth.clockToleranceSeconds', 'must be a number of seconds from 0 to 300');
  }
  return seconds;
}

/**
 * A PEM block or a JSON Web Key given as the HS256 secret: a verifier that HMACs with a public key accepts
 * tokens anyone holding that public key can sign.
 */
function looksLikeKey(secret: string): boolean {
  const text = secret.trim();
  if (/-----BEGIN [A-Z ]*KEY-----/.test(text) || /^ssh-(rsa|ed25519)\s/.test(text)) return true;
  if (!text.startsWith('{')) return false;
  try {
    const parsed = JSON.parse(text) as { kty?: unknown; keys?: unknown };
    return typeof parsed.kty === 'string' || Array.isArray(parsed.keys);
  } catch {
    return false;
  }
}
