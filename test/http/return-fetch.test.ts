import { describe, expect, test } from 'vitest';
import { isCrossSiteSubresource } from '../../src/http/return-fetch.js';

describe('isCrossSiteSubresource', () => {
  const request = (headers: Record<string, string>) =>
    new Request('https://app.example/identity/return', { headers });
  test.each([
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }, false],
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'document' }, false],
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' }, true],
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }, true],
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'image' }, false],
    [{ 'sec-fetch-dest': 'image' }, false],
    [{}, false],
  ])('%o → %s', (headers, expected) => {
    expect(isCrossSiteSubresource(request(headers), new Set())).toBe(expected);
  });
});
