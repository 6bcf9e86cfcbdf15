import type { VerificationUser } from '../types.js';

/**
 * How the HTTP handlers learn who is calling: your session cookie, JWT or framework auth. Return `null`
 * for an anonymous request; the handlers then answer 401 before any Stripe call.
 */
export interface AuthAdapter {
  /** The signed-in user of `request` (from your session cookie, token or framework), or `null` for 401. */
  authenticate(request: Request): Promise<VerificationUser | null>;
}
