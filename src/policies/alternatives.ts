import type { AlternativePath, AlternativeReason } from '../types.js';

/**
 * `last_error.code`s after which another try at Stripe cannot succeed: the person needs another path
 * (Stripe asks integrators to offer one, such as a manual review).
 */
const TERMINAL_CODES: ReadonlySet<string> = new Set([
  'consent_declined',
  'under_supported_age',
  'country_not_supported',
  'device_not_supported',
]);

/** What to do after a failed check. Unknown codes are retryable: the submission limit still caps them. */
export type ErrorClass = 'retry' | 'alternative';

/** Classify a `last_error.code` (or `null`, no error yet). */
export function classifyErrorCode(code: string | null): ErrorClass {
  return code !== null && TERMINAL_CODES.has(code) ? 'alternative' : 'retry';
}

/** The alternative path for `reason`, with the app's configured URL and text. */
export function alternativePath(
  reason: AlternativeReason,
  configured: { url?: string | undefined; description?: string | undefined } | undefined,
): AlternativePath {
  const path: AlternativePath = { reason };
  if (configured?.url) path.url = configured.url;
  if (configured?.description) path.description = configured.description;
  return path;
}

/** `reason` for a terminal error code; callers check {@link classifyErrorCode} first. */
export function alternativeReason(code: string): AlternativeReason {
  return TERMINAL_CODES.has(code) ? (code as AlternativeReason) : 'submission_limit';
}
