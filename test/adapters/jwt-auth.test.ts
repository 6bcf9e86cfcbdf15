import express from 'express';
import { Hono } from 'hono';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { jwtAuth } from '../../src/auth.js';
import { ConfigError } from '../../src/errors.js';
import { createExpressRouter } from '../../src/express.js';
import { createHonoApp } from '../../src/hono.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import { listen } from '../http/serve.js';
import { harness } from '../support/harness.js';

const SECRET = 'a-test-hs256-secret-of-32-bytes-or-more!';
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

function hs256(claims: Record<string, unknown> = {}, sign = key) {
  const payload = {
    sub: 'user_42',
    iss: 'https://auth.example',
    aud: 'identity',
    iat: now(),
    exp: now() + 300,
    email: 'u@example.com',
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(sign);
}

const bearer = (token: string) =>
  new Request('https://app.example/identity/status', { headers: { authorization: `Bearer ${token}` } });

describe('jwtAuth with an HS256 secret', () => {
  const auth = jwtAuth({
    secret: SECRET,
    issuer: 'https://auth.example',
    audience: 'identity',
    cookie: 'session',
  });

  test('a valid token: the user id from sub, the email when present', async () => {
    expect(await auth.authenticate(bearer(await hs256()))).toEqual({ id: 'user_42', email: 'u@example.com' });
    const noEmail = await hs256({ email: undefined });
    expect(await auth.authenticate(bearer(noEmail))).toEqual({ id: 'user_42' });
  });

  test('from a cookie when there is no Bearer header; from Node header records and Hono contexts too', async () => {
    const token = await hs256();
    const cookie = new Request('https://app.example/', {
      headers: { cookie: `theme=dark; session=${token}` },
    });
    expect(await auth.authenticate(cookie)).toMatchObject({ id: 'user_42' });
    expect(await auth.authenticate({ headers: { authorization: `Bearer ${token}` } })).toMatchObject({
      id: 'user_42',
    });
    expect(await auth.authenticate({ req: { raw: bearer(token) } })).toMatchObject({ id: 'user_42' });
    expect(await auth.authenticate(new Request('https://app.example/'))).toBeNull();
  });

  test.each([
    ['expired', () => hs256({ exp: now() - 60 })],
    ['not yet valid', () => hs256({ nbf: now() + 600 })],
    ['wrong issuer', () => hs256({ iss: 'https://evil.example' })],
    ['wrong audience', () => hs256({ aud: 'billing' })],
    ['wrong key', () => hs256({}, new TextEncoder().encode('another-secret-that-is-32-bytes-long!!'))],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ sub: 'user_42' })
          .setIssuer('https://auth.example')
          .setAudience('identity')
          .setExpirationTime('5m')
          .encode(),
    ],
    ['garbage', async () => 'not.a.jwt'],
    ['no subject', () => hs256({ sub: undefined })],
  ])('%s: nobody is authenticated', async (_name, make) => {
    expect(await auth.authenticate(bearer(await make()))).toBeNull();
  });

  test('another claim can hold the user id', async () => {
    const byClaim = jwtAuth({ secret: SECRET, claim: 'uid' });
    expect(await byClaim.authenticate(bearer(await hs256({ uid: 'u_7' })))).toMatchObject({ id: 'u_7' });
  });

  test('bad options are ConfigErrors', () => {
    expect(() => jwtAuth({})).toThrow(ConfigError);
    expect(() => jwtAuth({ secret: SECRET, jwks: 'https://auth.example/jwks.json' })).toThrow(ConfigError);
    expect(() => jwtAuth({ secret: 'short' })).toThrow(/32 bytes/);
    expect(() => jwtAuth({ jwks: 'http://auth.example/jwks.json' })).toThrow(/https/);
    expect(() => jwtAuth({ jwks: 'not a url' })).toThrow(ConfigError);
  });
});

describe('jwtAuth with a JWKS served on 127.0.0.1', () => {
  test('RS256 tokens from the set are accepted, others refused; the routes use it end to end', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwksUrl = await listen((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    }, '/.well-known/jwks.json');
    const sign = (signer: CryptoKey, kid = 'k1') =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject('user_9')
        .setExpirationTime('5m')
        .sign(signer);
    const auth = jwtAuth({ jwks: jwksUrl });
    expect(await auth.authenticate(bearer(await sign(privateKey)))).toEqual({ id: 'user_9' });
    expect(await auth.authenticate(bearer(await sign(other.privateKey)))).toBeNull();
    expect(await auth.authenticate(bearer(await sign(other.privateKey, 'k2')))).toBeNull();
    expect(await auth.authenticate(bearer(await hs256()))).toBeNull(); // HS256 not accepted from a JWKS

    const h = await harness();
    const base = await listen(toNodeListener(createVerificationRoutes(h.service, auth).fetch), '/identity');
    const anonymous = await fetch(`${base}/start`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const started = await fetch(`${base}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sign(privateKey)}` },
    });
    expect(await started.json()).toMatchObject({ status: 'redirect' });
  });

  test('a JWKS that cannot be fetched is an error (500, logged), not a silent sign-out', async () => {
    const down = await listen((_req, res) => {
      res.statusCode = 500;
      res.end('down');
    }, '/jwks.json');
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('u')
      .sign(privateKey);
    await expect(jwtAuth({ jwks: down }).authenticate(bearer(token))).rejects.toThrow();
  });
});

describe('one jwtAuth for every adapter', () => {
  test('Express (Node header record) and Hono (context) take the same object', async () => {
    const auth = jwtAuth({ secret: SECRET, cookie: 'session' });
    const token = await hs256();
    const h = await harness();
    const app = express();
    app.use('/identity', createExpressRouter(h.service, auth));
    const base = await listen(app, '/identity');
    expect((await fetch(`${base}/status`)).status).toBe(401);
    const viaExpress = await fetch(`${base}/status`, { headers: { cookie: `session=${token}` } });
    expect(await viaExpress.json()).toMatchObject({ userId: 'user_42' });
    const hono = new Hono().route('/identity', createHonoApp(h.service, auth));
    const viaHono = await hono.fetch(bearer(token));
    expect(await viaHono.json()).toMatchObject({ userId: 'user_42' });
  });
});
