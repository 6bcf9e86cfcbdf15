import type { SessionRecord } from '../domain.js';
import type { NextStep, StatusResult } from '../types.js';
import { classifyErrorCode } from './alternatives.js';
import type { AttemptsView } from './attempts.js';

/** The UI's view of a user, computed from the store's records and counters only. */
export function describeStatus(
  userId: string,
  records: SessionRecord[],
  attempts: AttemptsView,
): StatusResult {
  const live = records.filter((record) => record.redaction === null);
  const current =
    records.find((record) => record.status === 'verified') ??
    live.find((record) => record.status === 'requires_input' || record.status === 'processing') ??
    live[0] ??
    null;
  const retryAt = [attempts.submissions, attempts.sessions]
    .filter((limit) => limit.left === 0)
    .map((limit) => limit.retryAt ?? 0)
    .reduce((latest, at) => Math.max(latest, at), 0);
  return {
    userId,
    state: current?.status ?? 'none',
    sessionId: current?.sessionId ?? null,
    lastErrorCode: current?.lastErrorCode ?? null,
    submissions: pick(attempts.submissions),
    sessions: pick(attempts.sessions),
    retryAt: retryAt > 0 ? new Date(retryAt) : null,
    next: nextStep(current, attempts),
  };
}

function pick(limit: AttemptsView['submissions']) {
  return { used: limit.used, limit: limit.limit, left: limit.left };
}

function nextStep(current: SessionRecord | null, attempts: AttemptsView): NextStep {
  if (current?.status === 'verified') return 'done';
  if (current?.status === 'processing') return 'wait';
  if (current && classifyErrorCode(current.lastErrorCode) === 'alternative') return 'alternative';
  if (attempts.submissions.left === 0) return 'retry_later';
  if (current?.status === 'requires_input') return 'resume';
  return attempts.sessions.left === 0 ? 'retry_later' : 'start';
}
