import { describe, expect, test } from 'vitest';
import { isCrossSite } from '../../src/http/csrf.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import { harness } from '../support/harness.js';
import { bearerAuth, listen } from './serve.js';

const user = { authorization: 'Bearer user_1' };
const frontend = 'https://frontend.example.net';

describe('allowedOrigins lets a frontend on another site call the routes', () => {
  test('a listed Origin with Sec-Fetch-Site: cross-site (what a browser sends) starts', async () => {
    const h = await harness();
    const routes = createVerificationRoutes(h.service, bearerAuth, { allowedOrigins: [frontend] });
    const base = await listen(toNodeListener(routes.fetch), '/identity');
    const answer = await fetch(`${base}/start`, {
      method: 'POST',
      headers: { ...user, origin: frontend, 'sec-fetch-site': 'cross-site' },
    });
    expect(answer.status).toBe(200);
    expect(h.created()).toBe(1);
  });

  test.each([
    ['cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['cross-site with another Origin', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ['a foreign Origin alone', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['Origin: null with cross-site', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
  ])('the rule still holds for the rest: %s → 403', async (_name, headers) => {
    const request = new Request('https://api.example.com/identity/start', { method: 'POST', headers });
    expect(isCrossSite(request, new Set([frontend]))).toBe(true);
  });
});
