/** The doctor's report, as `--json` prints it. */

/** A check's outcome: `manual` is something no API shows, to do by hand. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'manual';

/** One line of the checklist. `id` is stable (scripts match on it). */
export interface Check {
  id: string;
  status: CheckStatus;
  title: string;
  detail: string;
  /** One line saying what to do; empty when nothing is to be done. */
  fix: string;
}

/** A titled group, in the order of Stripe's go-live page. */
export interface CheckGroup {
  title: string;
  checks: Check[];
}

/** Builds a check. */
export function check(id: string, status: CheckStatus, title: string, detail: string, fix = ''): Check {
  return { id, status, title, detail, fix: status === 'pass' ? '' : fix };
}
