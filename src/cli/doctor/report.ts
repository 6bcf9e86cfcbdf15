/** Prints the doctor's report: a grouped checklist for people, or JSON for scripts. */
import type { OutputStream, Palette } from '../terminal.js';
import type { Check, CheckGroup, CheckStatus } from './types.js';

/** The `--json` document. */
export interface DoctorJson {
  ready: boolean;
  checks: Check[];
}

/** Ready means no check failed (warnings and manual items do not block). */
export function isReady(groups: CheckGroup[]): boolean {
  return groups.every((group) => group.checks.every((c) => c.status !== 'fail'));
}

/** The JSON document. */
export function toJson(groups: CheckGroup[]): DoctorJson {
  return { ready: isReady(groups), checks: groups.flatMap((group) => group.checks) };
}

const SYMBOLS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', manual: '○' };

/** The checklist for a terminal or a log. */
export function printChecklist(
  out: OutputStream,
  paint: Palette,
  header: string,
  groups: CheckGroup[],
): void {
  const color: Record<CheckStatus, (text: string) => string> = {
    pass: paint.green,
    fail: paint.red,
    warn: paint.yellow,
    manual: paint.dim,
  };
  const lines = [paint.bold(header), ''];
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, manual: 0 };
  for (const group of groups) {
    if (group.checks.length === 0) continue;
    lines.push(paint.bold(group.title));
    for (const c of group.checks) {
      counts[c.status] += 1;
      lines.push(
        `  ${color[c.status](SYMBOLS[c.status])} ${c.title}${c.detail ? paint.dim(` — ${c.detail}`) : ''}`,
      );
      if (c.fix) lines.push(`      ${paint.dim('fix:')} ${c.fix}`);
    }
    lines.push('');
  }
  const verdict =
    counts.fail === 0 ? paint.green('Ready: nothing failed.') : paint.red('Not ready: fix the ✗ items.');
  lines.push(
    `${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warnings, ${counts.manual} to check by hand. ${verdict}`,
    '',
  );
  out.write(lines.join('\n'));
}
