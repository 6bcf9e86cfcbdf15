import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import { harness } from '../support/harness.js';
import { listen } from './serve.js';

/** Counts authentications: a refused request must not reach it. */
function countingAuth() {
  const seen = { count: 0 };
  return {
    seen,
    auth: {
      async authenticate(request: Request) {
        seen.count += 1;
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
        return token ? { id: token } : null;
      },
    },
  };
}

async function serve(allowedOrigins?: string[]) {
  const h = await harness();
  const { seen, auth } = countingAuth();
  const routes = createVerificationRoutes(h.service, auth, { allowedOrigins });
  const base = await listen(toNodeListener(routes.fetch), '/identity');
  return { h, seen, base, own: new URL(base).origin };
}

const user = { authorization: 'Bearer user_1' };

describe('state-changing requests from another site are refused before authentication', () => {
  test.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['an Origin that is not a URL', { origin: 'not a url' }],
    ['a foreign Origin on the same host but another port', { origin: 'http://127.0.0.1:1' }],
  ])('%s: 403 cross_site_request on every POST route, no Stripe call', async (_name, extra) => {
    const { h, seen, base } = await serve();
    for (const path of ['/start', '/cancel', '/redact', '/return']) {
      const answer = await fetch(`${base}${path}`, { method: 'POST', headers: { ...user, ...extra } });
      expect(answer.status, path).toBe(403);
      expect(await answer.json()).toMatchObject({ error: 'cross_site_request' });
    }
    expect(seen.count).toBe(0);
    expect(h.calls()).toBe(0);
    expect(h.created()).toBe(0);
  });

  test('a cross-site HTML form POST with the cookie is refused', async () => {
    const { h, base } = await serve();
    const answer = await fetch(`${base}/start`, {
      method: 'POST',
      headers: {
        ...user,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'a=1',
    });
    expect(answer.status).toBe(403);
    expect(h.created()).toBe(0);
  });

  test('same origin, listed origins, same-site and server-to-server requests pass', async () => {
    const { h, base, own } = await serve(['https://app.example.com']);
    const passes: Array<Record<string, string>> = [
      { origin: own, 'sec-fetch-site': 'same-origin' },
      { origin: 'https://app.example.com', 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'none' },
      {}, // no Origin: a server calling with its own credentials
    ];
    for (const extra of passes) {
      const answer = await fetch(`${base}/start`, { method: 'POST', headers: { ...user, ...extra } });
      expect(answer.status, JSON.stringify(extra)).toBe(200);
    }
    expect(h.created()).toBe(1);
  });

  test('behind a TLS-ending proxy the https Origin of the same host is the own origin', async () => {
    const h = await harness();
    const routes = createVerificationRoutes(h.service, countingAuth().auth);
    const answer = await routes.start(
      new Request('http://app.example.com/identity/start', {
        method: 'POST',
        headers: { ...user, origin: 'https://app.example.com' },
      }),
    );
    expect(answer.status).toBe(200);
    const downgraded = await routes.start(
      new Request('https://app.example.com/identity/start', {
        method: 'POST',
        headers: { ...user, origin: 'http://app.example.com' },
      }),
    );
    expect(downgraded.status).toBe(403);
  });

  test('GET /status is not state-changing: a cross-site read still needs the user', async () => {
    const { base } = await serve();
    const answer = await fetch(`${base}/status`, { headers: { ...user, 'sec-fetch-site': 'cross-site' } });
    expect(answer.status).toBe(200);
  });

  test('allowedOrigins entries must be origins', async () => {
    const h = await harness();
    for (const bad of [
      'app.example.com',
      'https://app.example.com/',
      'https://app.example.com/path',
      'ftp://app.example.com',
      '*',
      'null',
      42,
    ]) {
      expect(() =>
        createVerificationRoutes(h.service, countingAuth().auth, { allowedOrigins: [bad as string] }),
      ).toThrow(ConfigError);
    }
    expect(() =>
      createVerificationRoutes(h.service, countingAuth().auth, {
        allowedOrigins: 'https://app.example.com' as unknown as string[],
      }),
    ).toThrow(/allowedOrigins/);
    expect(() =>
      createVerificationRoutes(h.service, countingAuth().auth, {
        allowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      }),
    ).not.toThrow();
  });
});
