import type { ServiceContext } from '../context.js';
import type { SessionRecord } from '../domain.js';
import { AttemptInProgressError } from '../errors.js';
import type { AlternativeReason, StartResult } from '../types.js';
import { alternativePath, alternativeReason, classifyErrorCode } from './alternatives.js';
import { limitReached, linkLimit, linkOf, type Starter, type Step } from './answers.js';
import { type AttemptsView, pause, readAttempts } from './attempts.js';
import { createSession } from './creation.js';
import { notifyAlternative } from './notify.js';
import { syncSession } from './sync.js';
import { takeLink } from './throttle.js';

const MAX_ROUNDS = 200;

/**
 * Start or resume a user's verification without creating blindly: reuse the open session (retrieving
 * it for a fresh single-use link), answer from the store when nothing can be done, and create one
 * session only within the limits, holding the user's slot in the store while Stripe is called.
 */
export async function startVerification(ctx: ServiceContext, starter: Starter): Promise<StartResult> {
  const deadline = Date.now() + ctx.options.concurrency.waitSeconds * 1000;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const step = await startStep(ctx, starter);
    if (step === 'busy') {
      if (Date.now() >= deadline) throw new AttemptInProgressError(starter.user.id);
      await pause(round);
      continue;
    }
    if (step !== 'again') return step;
  }
  throw new AttemptInProgressError(starter.user.id);
}

async function startStep(ctx: ServiceContext, starter: Starter): Promise<Step> {
  const all = await ctx.store.listSessions(starter.subject);
  const records = all.filter((record) => record.redaction === null);
  const attempts = await readAttempts(ctx, starter.subject);
  // A verification stays valid after retention redacted its data.
  const verified = all.find((record) => record.status === 'verified');
  if (verified) return { status: 'verified', sessionId: verified.sessionId };
  const open = records.find((record) => record.status === 'requires_input' || record.status === 'processing');
  if (open?.status === 'processing') {
    // The result webhook may have been lost: after a while, ask Stripe once instead of waiting forever.
    if (ctx.now() - open.updatedAt < ctx.options.recheckProcessingAfterSeconds * 1000) {
      return { status: 'processing', sessionId: open.sessionId };
    }
    // The recheck is a Stripe call the user triggers: it takes from the link cap like a resume.
    if ((await takeLink(ctx, starter.subject)) !== null)
      return { status: 'processing', sessionId: open.sessionId };
    const { record } = await syncSession(ctx, starter.user.id, starter.subject, open.sessionId);
    if (record.status === 'processing') {
      await ctx.store.updateSession({ ...record, updatedAt: ctx.now() });
      return { status: 'processing', sessionId: open.sessionId };
    }
    return 'again';
  }
  if (open) return resume(ctx, starter, open, attempts);
  if (attempts.submissions.left === 0) return limitReached(ctx, starter, 'submissions', attempts);
  return createSession(ctx, starter);
}

async function resume(ctx: ServiceContext, starter: Starter, open: SessionRecord, attempts: AttemptsView) {
  const before = decideOnRecord(open, attempts);
  if (before) return finish(ctx, starter, open.sessionId, before, attempts);
  const throttled = await takeLink(ctx, starter.subject);
  if (throttled !== null) {
    ctx.log.warn('fresh links asked for too fast', { sessionId: open.sessionId });
    return linkLimit(ctx, throttled);
  }
  const { session, record } = await syncSession(ctx, starter.user.id, starter.subject, open.sessionId);
  if (record.status !== 'requires_input') return 'again';
  const fresh = await readAttempts(ctx, starter.subject);
  const after = decideOnRecord(record, fresh);
  if (after) return finish(ctx, starter, record.sessionId, after, fresh);
  return linkOf(ctx, session) ?? 'again';
}

/** What a `requires_input` record allows without calling Stripe: a terminal code or a used-up limit. */
function decideOnRecord(record: SessionRecord, attempts: AttemptsView): AlternativeReason | null {
  if (record.lastErrorCode !== null && classifyErrorCode(record.lastErrorCode) === 'alternative') {
    return alternativeReason(record.lastErrorCode);
  }
  if (attempts.submissions.left === 0) return 'submission_limit';
  return null;
}

async function finish(
  ctx: ServiceContext,
  starter: Starter,
  sessionId: string,
  reason: AlternativeReason,
  attempts: AttemptsView,
): Promise<StartResult> {
  if (reason === 'submission_limit') return limitReached(ctx, starter, 'submissions', attempts);
  await notifyAlternative(ctx, { userId: starter.user.id, subject: starter.subject, reason, sessionId });
  return {
    status: 'alternative_required',
    reason,
    sessionId,
    alternative: alternativePath(reason, ctx.options.alternative),
  };
}
