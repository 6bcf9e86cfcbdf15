import { describe, expect, test } from 'vitest';
import { LinkThrottle } from '../../src/policies/throttle.js';

const T = 1_767_225_600_000;

describe('LinkThrottle', () => {
  test('a sliding minute per user', () => {
    const throttle = new LinkThrottle(2);
    expect(throttle.take('u', T)).toBeNull();
    expect(throttle.take('u', T + 10)).toBeNull();
    expect(throttle.take('u', T + 20)).toBe(T + 60_000);
    expect(throttle.take('v', T + 20)).toBeNull();
    expect(throttle.take('u', T + 60_001)).toBeNull();
  });

  test('a clock stepped back never blocks longer than a minute', () => {
    const throttle = new LinkThrottle(2);
    throttle.take('u', T);
    throttle.take('u', T);
    expect(throttle.take('u', T - 3_600_000)).toBeNull();
  });

  test('a full map forgets idle users first, not an active one', () => {
    const throttle = new LinkThrottle(1);
    for (let index = 0; index < 9_999; index += 1) throttle.take(`idle_${index}`, T - 120_000);
    throttle.take('busy', T);
    expect(throttle.take('newcomer', T + 1)).toBeNull();
    expect(throttle.take('busy', T + 2)).toBe(T + 60_000);
  });
});
