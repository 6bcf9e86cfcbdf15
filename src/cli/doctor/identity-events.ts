/** Identity's webhook events. */

const PREFIX = 'identity.verification_session.';

/** The six events of a verification session, in lifecycle order. */
export const IDENTITY_EVENTS = [
  `${PREFIX}created`,
  `${PREFIX}processing`,
  `${PREFIX}verified`,
  `${PREFIX}requires_input`,
  `${PREFIX}canceled`,
  `${PREFIX}redacted`,
] as const;

/** What the library needs delivered to keep its records right. */
export const REQUIRED_EVENTS = [
  `${PREFIX}verified`,
  `${PREFIX}requires_input`,
  `${PREFIX}processing`,
  `${PREFIX}canceled`,
] as const;

/** Only delivered to endpoints that name it: `*` leaves it out. */
export const REDACTED_EVENT = `${PREFIX}redacted`;
