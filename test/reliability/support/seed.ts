import { seededRandom } from '../../../src/testing/conformance/fixtures.js';

/**
 * The seed of a randomized run: `SIK_SEED` when given (to replay a failure), else `fallback`. Printed,
 * so that any failing run can be repeated exactly.
 */
export function runSeed(name: string, fallback: number): { seed: number; random: () => number } {
  const given = Number(process.env.SIK_SEED);
  const seed = Number.isInteger(given) && given > 0 ? given : fallback;
  console.log(`[seed] ${name}: SIK_SEED=${seed}`);
  return { seed, random: seededRandom(seed) };
}

/** `SIK_SOAK=1` (npm run test:soak) runs the long form of the reliability suite. */
export const SOAK = process.env.SIK_SOAK === '1';

/** `full` in the soak run, `short` in the normal test run (CI). */
export function scaled(short: number, full: number): number {
  return SOAK ? full : short;
}

/** One item of `items`, picked with `random`. */
export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}
