import { describe, expect, test } from 'vitest';
import { LinkWindows } from '../../src/stores/shared/link-window.js';

const T = 1_767_225_600_000;
const MINUTE = 60_000;

describe('LinkWindows (the in-memory link cap)', () => {
  test('a sliding minute per user', () => {
    const windows = new LinkWindows();
    expect(windows.take('u', T, 2, MINUTE)).toBeNull();
    expect(windows.take('u', T + 10, 2, MINUTE)).toBeNull();
    expect(windows.take('u', T + 20, 2, MINUTE)).toBe(T + MINUTE);
    expect(windows.take('v', T + 20, 2, MINUTE)).toBeNull();
    expect(windows.take('u', T + MINUTE + 1, 2, MINUTE)).toBeNull();
  });

  test('a clock stepped back never blocks longer than a minute', () => {
    const windows = new LinkWindows();
    windows.take('u', T, 2, MINUTE);
    windows.take('u', T, 2, MINUTE);
    expect(windows.take('u', T - 3_600_000, 2, MINUTE)).toBeNull();
  });

  test('a throttled user stays throttled while 10,000 other users click in the same minute', () => {
    const windows = new LinkWindows(10_000);
    for (let i = 0; i < 10; i += 1) windows.take('abuser', T + i, 10, MINUTE);
    expect(windows.take('abuser', T + 20, 10, MINUTE)).toBe(T + MINUTE);
    for (let i = 0; i < 20_000; i += 1) windows.take(`user_${i}`, T + 30, 10, MINUTE);
    expect(windows.take('abuser', T + 40, 10, MINUTE)).toBe(T + MINUTE);
    // Bounded: the crowd of users under their cap was shed, the throttled one kept.
    expect(windows.size <= 10_001).toBe(true);
  });

  test('a full map forgets idle users first, not an active one', () => {
    const windows = new LinkWindows(10_000);
    for (let i = 0; i < 9_999; i += 1) windows.take(`idle_${i}`, T - 2 * MINUTE, 1, MINUTE);
    windows.take('busy', T, 1, MINUTE);
    expect(windows.take('newcomer', T + 1, 1, MINUTE)).toBeNull();
    expect(windows.take('busy', T + 2, 1, MINUTE)).toBe(T + MINUTE);
  });
});
