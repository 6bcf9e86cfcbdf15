import type { HookMap, OnAlternative } from '../../../src/types.js';

/** One hook call as the app saw it (references only). */
export interface HookCall {
  kind: string;
  eventId: string;
  sessionId: string;
}

/** Hooks that every instance of a fleet shares, recording calls in one place (as a shared database would). */
export interface SharedHooks {
  on: HookMap;
  onAlternative: OnAlternative;
  calls: HookCall[];
  /** Session ids `onAlternative` was called for. */
  alternatives: string[];
}

/** Build {@link SharedHooks}; `onEnter` runs inside each hook, after the call is recorded. */
export function sharedHooks(onEnter: (kind: string) => Promise<void> = async () => {}): SharedHooks {
  const calls: HookCall[] = [];
  const alternatives: string[] = [];
  const hook =
    (kind: string) =>
    async (event: { eventId: string; sessionId: string }): Promise<void> => {
      calls.push({ kind, eventId: event.eventId, sessionId: event.sessionId });
      await onEnter(kind);
    };
  return {
    on: {
      created: hook('created'),
      processing: hook('processing'),
      verified: hook('verified'),
      requiresInput: hook('requires_input'),
      canceled: hook('canceled'),
      redacted: hook('redacted'),
    },
    onAlternative: async ({ sessionId }) => {
      alternatives.push(sessionId ?? 'none');
    },
    calls,
    alternatives,
  };
}
