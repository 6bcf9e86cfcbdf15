/** Checks and conversions of session parameters shared by create and update. */
import type Stripe from 'stripe';
import { invalidParam } from './api-error.js';
import type { MetadataPatch } from './params.js';

const MAX_METADATA_KEYS = 50;

/** Applies a metadata patch, enforcing Stripe's key count limit. */
export function applyMetadata(
  target: Map<string, string>,
  patch: MetadataPatch | undefined,
): Map<string, string> {
  if (!patch) return target;
  const next = patch.clear ? new Map<string, string>() : new Map(target);
  for (const [key, value] of patch.set) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  if (next.size > MAX_METADATA_KEYS) {
    throw invalidParam(
      `You can have up to ${MAX_METADATA_KEYS} metadata keys, but you passed ${next.size}.`,
      'metadata',
    );
  }
  return next;
}

/** A copy of the document options (an emptied value becomes `{}`). */
export function documentOptions(
  value: Stripe.Identity.VerificationSession.Options.Document | null | undefined,
): Stripe.Identity.VerificationSession.Options.Document {
  return value ? { ...value } : {};
}

/** Stripe refuses a `return_url` that is not an http(s) URL. */
export function checkUrl(value: string, param: string): void {
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw invalidParam(`Not a valid URL: ${param}`, param, 'url_invalid');
}
