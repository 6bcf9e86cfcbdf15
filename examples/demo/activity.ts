/**
 * What the demo's admin view shows: the demo users who signed in and what the kit's hooks reported about
 * their sessions. References only (user ids, session ids, statuses, error codes, event ids): the hooks
 * never receive a link, a client secret or personal data, so there is none to show.
 */
import type { HookMap, SessionEvent } from 'stripe-identity-kit';

/** One session as the hooks last described it. */
export interface SessionActivity {
  sessionId: string;
  userId: string;
  status: SessionEvent['status'];
  lastErrorCode: string | null;
  /** Stripe event ids that reached a hook, oldest first. */
  eventIds: string[];
  updatedAt: Date;
}

/** The admin view's in-memory log (a real app would read its own user table and audit log). */
export class ActivityLog {
  private readonly users = new Map<string, Date>();
  private readonly sessions = new Map<string, SessionActivity>();
  private readonly alternatives: { userId: string; reason: string; at: Date }[] = [];

  /** Remember a demo user at sign-in. */
  signedIn(userId: string): void {
    if (!this.users.has(userId)) this.users.set(userId, new Date());
  }

  /** The user ids seen, in sign-in order. */
  userIds(): string[] {
    return [...this.users.keys()];
  }

  /** Sessions, newest change first. */
  sessionList(): SessionActivity[] {
    return [...this.sessions.values()].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  }

  /** `onAlternative` calls, newest first. */
  alternativeList(): { userId: string; reason: string; at: Date }[] {
    return [...this.alternatives].reverse();
  }

  /** The `onAlternative` option. */
  readonly onAlternative = ({ userId, reason }: { userId: string; reason: string }): void => {
    this.alternatives.push({ userId, reason, at: new Date() });
  };

  /** The `on` option: every hook records the session's new state. */
  readonly hooks: HookMap = {
    created: (event) => this.record(event),
    processing: (event) => this.record(event),
    verified: (event) => this.record(event),
    requiresInput: (event) => this.record(event),
    canceled: (event) => this.record(event),
    redacted: (event) => this.record(event),
  };

  private record(event: SessionEvent): void {
    const known = this.sessions.get(event.sessionId);
    this.sessions.set(event.sessionId, {
      sessionId: event.sessionId,
      userId: event.userId,
      status: event.status,
      lastErrorCode: event.lastErrorCode,
      eventIds: [...(known?.eventIds ?? []), event.eventId],
      updatedAt: new Date(),
    });
  }
}
