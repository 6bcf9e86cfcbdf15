import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { jwtAuth } from '../../src/auth.js';
import { ConfigError } from '../../src/errors.js';

const SECRET = 'a-test-hs256-secret-of-32-bytes-or-more!';
const key = new TextEncoder().encode(SECRET);

const bearer = (token: string) =>
  new Request('https://app.example/identity/status', { headers: { authorization: `Bearer ${token}` } });
const withoutExp = () => new SignJWT({ sub: 'user_42' }).setProtectedHeader({ alg: 'HS256' }).sign(key);

describe('jwtAuth requires exp', () => {
  test('a token without exp authenticates no one by default', async () => {
    expect(await jwtAuth({ secret: SECRET }).authenticate(bearer(await withoutExp()))).toBeNull();
  });

  test('allowMissingExp: true is the explicit opt-out; an expired token is still refused with it', async () => {
    const auth = jwtAuth({ secret: SECRET, allowMissingExp: true });
    expect(await auth.authenticate(bearer(await withoutExp()))).toEqual({ id: 'user_42' });
    const expired = await new SignJWT({ sub: 'user_42' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    expect(await auth.authenticate(bearer(expired))).toBeNull();
  });
});

describe('jwtAuth options that would switch a check off are ConfigErrors', () => {
  test.each([-1, 301, 10 * 365 * 86_400, Number.NaN, Number.POSITIVE_INFINITY, '5'])(
    'clockToleranceSeconds: %s',
    (clockToleranceSeconds) => {
      expect(() =>
        jwtAuth({ secret: SECRET, clockToleranceSeconds: clockToleranceSeconds as number }),
      ).toThrow(ConfigError);
    },
  );

  test('clockToleranceSeconds 0 and 300 are accepted', () => {
    expect(() => jwtAuth({ secret: SECRET, clockToleranceSeconds: 0 })).not.toThrow();
    expect(() => jwtAuth({ secret: SECRET, clockToleranceSeconds: 300 })).not.toThrow();
  });

  test('a public key as the HS256 secret (PEM, JWK, JWKS: the alg-confusion setup) is refused', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const jwk = JSON.stringify(await exportJWK(publicKey));
    for (const secret of [pem, `  ${pem}`, jwk, JSON.stringify({ keys: [JSON.parse(jwk)] })]) {
      expect(() => jwtAuth({ secret })).toThrow(ConfigError);
    }
  });

  test('an ordinary long secret, even one that is JSON without a key, is accepted', () => {
    expect(() => jwtAuth({ secret: SECRET })).not.toThrow();
    expect(() => jwtAuth({ secret: '{"note":"not a key, only a long random secret"}' })).not.toThrow();
  });
});
