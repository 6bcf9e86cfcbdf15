import { describe, expect, test } from 'vitest';
import { headerOf } from '../../src/stripe/headers.js';

describe("stripe-node's response headers, from either of its HTTP clients", () => {
  test('a fetch Headers object (Workers, Deno, Bun) and a plain object (Node) read the same', () => {
    expect(headerOf(new Headers({ 'Idempotent-Replayed': 'true' }), 'idempotent-replayed')).toBe('true');
    expect(headerOf({ 'idempotent-replayed': 'true' }, 'idempotent-replayed')).toBe('true');
    expect(headerOf({ 'idempotent-replayed': ['true'] }, 'idempotent-replayed')).toBe('true');
    expect(headerOf(new Headers(), 'idempotent-replayed')).toBeUndefined();
    expect(headerOf(undefined, 'idempotent-replayed')).toBeUndefined();
    expect(headerOf({ 'idempotent-replayed': 1 }, 'idempotent-replayed')).toBeUndefined();
  });
});
