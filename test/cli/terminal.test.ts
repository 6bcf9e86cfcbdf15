import { describe, expect, test } from 'vitest';
import { colorEnabled, palette, withSpinner } from '../../src/cli/terminal.js';

describe('terminal output rules', () => {
  test('colour only on a TTY, and never with a non-empty NO_COLOR or TERM=dumb', () => {
    expect(colorEnabled({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ write: () => true, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ write: () => true, isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ write: () => true, isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ write: () => true }, {})).toBe(false);
    expect(palette(false).red('x')).toBe('x');
    expect(palette(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  test('the spinner draws on a TTY, erases itself, and is silent elsewhere', async () => {
    const tty: string[] = [];
    const pipe: string[] = [];
    const work = async () => 42;
    expect(await withSpinner({ write: (t) => tty.push(t), isTTY: true }, 'Asking', work)).toBe(42);
    expect(await withSpinner({ write: (t) => pipe.push(t) }, 'Asking', work)).toBe(42);
    expect(tty[0]).toBe('\r⠋ Asking');
    expect(tty.at(-1)).toBe(`\r${' '.repeat(8)}\r`);
    expect(pipe).toEqual([]);
  });
});
