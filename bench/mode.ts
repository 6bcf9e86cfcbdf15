/**
 * `npm run bench -- --quick`: every benchmark in a short form, so that CI runs them all and none can
 * rot. Figures from a quick run are for smoke only; the README's come from the full run.
 */
export const QUICK = process.argv.includes('--quick');

/** `full` in a full run, `quick` in a quick one. */
export function sized(full: number, quick: number): number {
  return QUICK ? quick : full;
}
