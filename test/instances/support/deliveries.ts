import type { VerificationService } from '../../../src/service.js';
import type { IdentitySimulator } from '../../../src/testing/index.js';
import type { WebhookAnswer, WebhookInput } from '../../../src/webhooks/types.js';
import { WEBHOOK_SECRET } from '../../support/harness.js';

/** A Stripe event as the simulator created it. */
export type SimulatedEvent = IdentitySimulator['events'][number];

/** The events of one session, in the order Stripe created them. */
export function eventsOf(sim: IdentitySimulator, sessionId: string): SimulatedEvent[] {
  return sim.events.filter((event) => (event.data.object as { id?: string }).id === sessionId);
}

/** One delivery attempt: the same body, signed at the current simulated time as Stripe signs each attempt. */
export function signed(sim: IdentitySimulator, event: SimulatedEvent): WebhookInput {
  const rawBody = JSON.stringify(event);
  return { rawBody, signature: sim.signPayload(rawBody, WEBHOOK_SECRET, Math.floor(sim.now() / 1000)) };
}

/** Options of {@link deliverLikeStripe}. */
export interface RetryPolicy {
  /** What passes before Stripe tries again (a real pause, or the simulated clock moving on). */
  beforeRetry(answer: WebhookAnswer): Promise<void>;
  /** Give up (and fail the test) after this many attempts. */
  maxAttempts: number;
}

/** Stripe's side of one endpoint: redeliver after every non-2xx answer until one is 2xx. All answers, in order. */
export async function deliverLikeStripe(
  service: VerificationService,
  sim: IdentitySimulator,
  event: SimulatedEvent,
  policy: RetryPolicy,
): Promise<WebhookAnswer[]> {
  const answers: WebhookAnswer[] = [];
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
    const answer = await service.webhooks.handle(signed(sim, event));
    answers.push(answer);
    if (answer.status >= 200 && answer.status < 300) return answers;
    await policy.beforeRetry(answer);
  }
  throw new Error(`${event.id} was never acknowledged: ${answers.map((answer) => answer.status).join(', ')}`);
}

/** Retry after a short real pause: the instance holding the claim is finishing its work meanwhile. */
export const RETRY_SOON: RetryPolicy = {
  beforeRetry: () => new Promise((resolve) => setTimeout(resolve, 2)),
  maxAttempts: 2000,
};
