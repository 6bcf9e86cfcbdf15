/** Command-line flags: node:util's parseArgs, with every mistake turned into a {@link UsageError} (exit 2). */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A mistake in how the command was called: the message says what to type instead. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The flags a command accepts (every one takes a value unless `boolean`). */
export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags: strings and booleans, keyed by long name. */
export type Flags = Record<string, string | boolean | undefined>;

/** Parses `argv` strictly: unknown flags, missing values and stray arguments are usage errors. */
export function parseFlags(argv: string[], spec: FlagSpec, command: string): Flags {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values as Flags;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `${message.replace(/\. To specify a positional argument.*$/s, '.')}\nRun \`stripe-identity-kit ${command} --help\` for the flags it takes.`,
    );
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** An integer flag within bounds; `fallback` when absent. */
export function intFlag(flags: Flags, name: string, fallback: number, min: number, max: number): number {
  const raw = stringFlag(flags, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

/** A positive decimal flag (such as a price); `fallback` when absent. */
export function decimalFlag(flags: Flags, name: string, fallback: number): number {
  const raw = stringFlag(flags, name);
  if (raw === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || !(Number(raw) > 0)) {
    throw new UsageError(`--${name} must be a positive number such as 1.50, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** An absolute http(s) URL flag, or undefined when absent. */
export function urlFlag(
  flags: Flags,
  name: string,
  protocols: readonly string[] = ['http:', 'https:'],
): URL | undefined {
  const raw = stringFlag(flags, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${name} must be an absolute URL, got ${JSON.stringify(raw)}`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new UsageError(
      `--${name} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL, got ${JSON.stringify(raw)}`,
    );
  }
  return url;
}
