import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { checkedReturnTo, returnLocation } from '../../src/http/return-to.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import type { StatusResult } from '../../src/types.js';
import { harness } from '../support/harness.js';
import { bearerAuth, listen } from './serve.js';

const user = { authorization: 'Bearer user_1' };
const anyStatus = {} as StatusResult;

describe('a non-ASCII returnTo is sent percent-encoded (a Location header is a byte string)', () => {
  test.each([
    ['a path', '/vérifier/完成'],
    ['a function', () => '/vérifier/完成'],
  ])('%s: GET /return answers 303 with the encoded path', async (_name, returnTo) => {
    const h = await harness();
    const routes = createVerificationRoutes(h.service, bearerAuth, { returnTo });
    const base = await listen(toNodeListener(routes.fetch), '/identity');
    expect((await fetch(`${base}/start`, { method: 'POST', headers: user })).status).toBe(200);
    const back = await fetch(`${base}/return`, { headers: user, redirect: 'manual' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/v%C3%A9rifier/%E5%AE%8C%E6%88%90');
  });

  test('absolute URLs, queries and fragments are encoded; what is encoded already stays as it is', () => {
    expect(returnLocation('https://bücher.example/ü?q=é#ß', anyStatus)).toBe(
      'https://xn--bcher-kva.example/%C3%BC?q=%C3%A9#%C3%9F',
    );
    expect(returnLocation('/done?next=%2Fhome', anyStatus)).toBe('/done?next=%2Fhome');
  });

  test('dot segments folding into another host are refused, at config time and from a function', () => {
    expect(() => checkedReturnTo('/.//evil.example')).toThrow(ConfigError);
    expect(() => returnLocation(() => '/.//evil.example', anyStatus)).toThrow(ConfigError);
  });
});
