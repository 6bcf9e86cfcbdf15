import { ConfigError } from '../../errors.js';

/** How long a store call may take before it fails with `StoreUnavailableError`, unless configured. */
export const DEFAULT_TIMEOUT_MS = 2000;

/** Validates the `timeoutMs` option shared by every store. */
export function resolveTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigError('timeoutMs', `must be a positive integer number of milliseconds, got ${timeoutMs}`);
  }
  return timeoutMs;
}

/**
 * Validates a table-name prefix. It is spliced into SQL (identifiers cannot be parameters), so only
 * identifier characters are allowed: this is what keeps SQL injection out.
 */
export function resolveTablePrefix(prefix: string | undefined, fallback: string): string {
  const value = prefix ?? fallback;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(value)) {
    throw new ConfigError(
      'tablePrefix',
      `must start with a letter or underscore and hold only letters, digits and underscores (at most 40), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
