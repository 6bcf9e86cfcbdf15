import type { SessionStatus } from './domain.js';

/** The user the service acts for, as your authentication established it. */
export interface VerificationUser {
  /** Your stable user id; becomes the session's `client_reference_id`. Not an email or other PII. */
  id: string;
  /** Prefills Stripe's `provided_details.email`; sent to Stripe, never stored here. */
  email?: string;
  /** Prefills Stripe's `provided_details.phone`; sent to Stripe, never stored here. */
  phone?: string;
  /** A Stripe customer (`cus_…`) to link as `related_customer`. */
  customerId?: string;
}

/** Why the user needs another way to verify. */
export type AlternativeReason =
  | 'consent_declined'
  | 'under_supported_age'
  | 'country_not_supported'
  | 'device_not_supported'
  | 'submission_limit'
  | 'session_limit'
  /** Too many fresh links asked for in a minute: not a reason to verify elsewhere, only to wait. */
  | 'link_limit';

/** What the app offers instead of Stripe Identity (manual review, another session type). */
export interface AlternativePath {
  reason: AlternativeReason;
  /** Where to send the user, from the `alternative.url` option. */
  url?: string;
  /** Text for the UI, from the `alternative.description` option. */
  description?: string;
}

/**
 * Outcome of `start()`. Expected outcomes are values: switch on `status`.
 * Links (`url`, `clientSecret`) are single-use: hand them to the user at once and never store them.
 */
export type StartResult =
  | { status: 'redirect'; sessionId: string; url: string }
  | { status: 'modal'; sessionId: string; clientSecret: string }
  | { status: 'processing'; sessionId: string }
  | { status: 'verified'; sessionId: string }
  | {
      status: 'limit_reached';
      /** `links`: the user asked for fresh links too fast (`limits.linkRefreshesPerMinute`); retry soon. */
      limit: 'submissions' | 'sessions' | 'links';
      retryAt: Date;
      alternative: AlternativePath;
    }
  | {
      status: 'alternative_required';
      reason: AlternativeReason;
      sessionId: string | null;
      alternative: AlternativePath;
    };

/** What the UI should offer next. */
export type NextStep = 'start' | 'resume' | 'wait' | 'done' | 'alternative' | 'retry_later';

/** Answer of `status()`, from the store alone. */
export interface StatusResult {
  userId: string;
  /** The newest session's status, or `none`. */
  state: SessionStatus | 'none';
  sessionId: string | null;
  lastErrorCode: string | null;
  submissions: { used: number; limit: number; left: number };
  sessions: { used: number; limit: number; left: number };
  /** When a used-up limit frees a slot again, or `null`. */
  retryAt: Date | null;
  next: NextStep;
}

/** What every hook receives: references only, never personal data. */
export interface SessionEvent {
  userId: string;
  sessionId: string;
  status: SessionStatus;
  lastErrorCode: string | null;
  /** The Stripe event that caused the call. */
  eventId: string;
}

/** Typed per-event hooks. A hook that throws makes the webhook answer 500, so Stripe redelivers. */
export interface HookMap {
  /** `identity.verification_session.created`: a session exists at Stripe. */
  created: (event: SessionEvent) => void | Promise<void>;
  /** `…processing`: the user submitted; Stripe is checking (a billed submission). */
  processing: (event: SessionEvent) => void | Promise<void>;
  /** `…verified`: every check passed; unlock what verification gates. */
  verified: (event: SessionEvent) => void | Promise<void>;
  /** `…requires_input`: a check failed (`lastErrorCode` says which) or the user has not submitted yet. */
  requiresInput: (event: SessionEvent) => void | Promise<void>;
  /** `…canceled`: the session was canceled; its links no longer work. */
  canceled: (event: SessionEvent) => void | Promise<void>;
  /** `…redacted`: Stripe finished deleting the session's data. */
  redacted: (event: SessionEvent) => void | Promise<void>;
}

/** Called when a user needs the alternative path. */
export type OnAlternative = (event: {
  userId: string;
  reason: AlternativeReason;
  sessionId: string | null;
}) => void | Promise<void>;

/** The logger option; the library only ever passes it redacted, allow-listed fields. */
export interface Logger {
  /** Routine detail (a refused route call, a duplicate event). */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** A normal but notable step. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something recovered from, worth a look (a retry, a replayed create). */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure answered with a 5xx or thrown to the caller. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Called for an identity event about a session this library does not own (no record, no known user). */
export type OnUnknownSession = (event: {
  eventId: string;
  eventType: string;
  sessionId: string;
}) => void | Promise<void>;

/** Where the redaction of one session stands after `redact()`. */
export interface SessionRedaction {
  sessionId: string;
  /**
   * `redacted`: done at Stripe. `redaction_pending`: Stripe accepted and finishes within four days.
   * `waiting_for_processing`: the session is being checked; it is redacted as soon as the check ends.
   */
  state: 'redacted' | 'redaction_pending' | 'waiting_for_processing';
}

/** Outcome of `redact(userId)`. */
export interface RedactionReport {
  sessions: SessionRedaction[];
  /** True when Stripe confirmed every redaction. */
  complete: boolean;
  /** What to tell the user: what was deleted, Stripe's four days, and Stripe's own data. */
  message: string;
}

/** Progress of `redactOlder()`. */
export interface RetentionProgress {
  done: number;
  left: number;
}
