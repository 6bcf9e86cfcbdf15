import type Stripe from 'stripe';
import { isIdentityKitError } from '../../../src/errors.js';
import type { VerificationServiceOptions } from '../../../src/options.js';
import { createPseudonymizer } from '../../../src/policies/privacy.js';
import { VerificationService } from '../../../src/service.js';
import type { IdentityStore } from '../../../src/stores/contract.js';
import { createTestStripe, IdentitySimulator } from '../../../src/testing/index.js';
import type { WebhookAnswer } from '../../../src/webhooks/types.js';
import { signed } from '../../instances/support/deliveries.js';
import { type SharedHooks, sharedHooks } from '../../instances/support/hooks.js';
import { RETURN_URL, WEBHOOK_SECRET } from '../../support/harness.js';
import { pick } from './seed.js';

/** Stripe-node's own limits in these runs: a short timeout, so that slow answers become lost answers. */
export const CLIENT_TIMEOUT_MS = 250;

/** Four app instances, one simulated Stripe, one shared store; everything the invariants look at. */
export interface World {
  sim: IdentitySimulator;
  instances: VerificationService[];
  stores: IdentityStore[];
  hooks: SharedHooks;
  /** Every error a call of the public API threw (each must be an IdentityKitError). */
  errors: unknown[];
  /** Every webhook answer, by event id. */
  answers: Map<string, WebhookAnswer[]>;
  stripe: Stripe;
  close(): Promise<void>;
}

/** Build a world on `connect()` (one store per instance), with a stripe-node client that times out. */
export async function openWorld(
  connect: () => Promise<IdentityStore>,
  options: { seed: number; service?: Partial<VerificationServiceOptions>; maxNetworkRetries?: number },
): Promise<World> {
  const sim = new IdentitySimulator({ seed: options.seed, webhooks: { autoDeliver: false } });
  const target = await sim.listen();
  const stripe = createTestStripe(target, {
    timeout: CLIENT_TIMEOUT_MS,
    maxNetworkRetries: options.maxNetworkRetries ?? 1,
  });
  const hooks = sharedHooks();
  const stores: IdentityStore[] = [];
  for (let index = 0; index < 4; index += 1) stores.push(await connect());
  const instances = stores.map(
    (store) =>
      new VerificationService({
        stripe,
        store,
        returnUrl: RETURN_URL,
        webhookSecret: WEBHOOK_SECRET,
        now: () => sim.now(),
        logger: false,
        on: hooks.on,
        onAlternative: hooks.onAlternative,
        limits: { maxSessions: 3, maxSubmissions: 3, linkRefreshesPerMinute: 1000 },
        ...options.service,
      }),
  );
  return { sim, instances, stores, hooks, errors: [], answers: new Map(), stripe, close: () => sim.close() };
}

/** One `start()` on a random instance; an error is recorded (and must be typed), not thrown. */
export async function tryStart(world: World, userId: string, random: () => number) {
  try {
    return await pick(world.instances, random).start({ id: userId });
  } catch (error) {
    world.errors.push(error);
    return null;
  }
}

/** Deliver one event to random instances until one acknowledges it (Stripe retries for three days). */
export async function deliver(
  world: World,
  event: IdentitySimulator['events'][number],
  random: () => number,
  maxAttempts = 400,
): Promise<void> {
  const answers = world.answers.get(event.id) ?? [];
  world.answers.set(event.id, answers);
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const answer = await pick(world.instances, random).webhooks.handle(signed(world.sim, event));
    answers.push(answer);
    if (answer.status === 200) return;
    // A claim held by a failed delivery expires with its lease (simulated time); then Stripe's retry wins.
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (attempt % 5 === 4) world.sim.advance(10_000);
  }
  throw new Error(`${event.id} never acknowledged: ${answers.map((a) => a.status).join(',')}`);
}

/** A user's journey: start (retrying failures), submit, maybe fail and start again, as people do. */
export async function journey(world: World, userId: string, random: () => number): Promise<void> {
  for (let visit = 0; visit < 3; visit += 1) {
    let sessionId: string | null = null;
    for (let attempt = 0; attempt < 6 && sessionId === null; attempt += 1) {
      // A double click: two instances receive the same start at once.
      const [first, second] = await Promise.all([
        tryStart(world, userId, random),
        tryStart(world, userId, random),
      ]);
      const result = first ?? second;
      if (result && result.status === 'redirect') sessionId = result.sessionId;
      if (result && result.status !== 'redirect') return;
    }
    if (!sessionId) return;
    const session = world.sim.session(sessionId);
    if (session?.status !== 'requires_input') continue;
    const outcome = random() < 0.6 ? 'verified' : 'document_unverified_other';
    await world.sim.submit(sessionId, outcome);
    if (outcome === 'verified') return;
  }
}

/** Every event the simulator created, shuffled, some twice (Stripe's at-least-once, no ordering). */
export function deliveries(world: World, random: () => number) {
  const events = world.sim.events.filter((event) => event.type.startsWith('identity.'));
  const withDuplicates = events.flatMap((event) => (random() < 0.2 ? [event, event] : [event]));
  for (let index = withDuplicates.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [withDuplicates[index], withDuplicates[other]] = [withDuplicates[other], withDuplicates[index]] as [
      (typeof events)[number],
      (typeof events)[number],
    ];
  }
  return withDuplicates;
}

/**
 * Right after every event was acknowledged (before any later `start()` could reconcile): each report
 * Stripe billed is already counted, through the webhooks alone. Returns the violations.
 */
export async function uncountedReports(world: World, users: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const userId of users) {
    const ids = new Set(
      world.sim
        .sessions()
        .filter((session) => session.client_reference_id === userId)
        .map((session) => session.id),
    );
    const billed = world.sim
      .reports()
      .filter((report) => ids.has(String(report.verification_session))).length;
    const counted = (await world.instances[0]?.status(userId))?.submissions.used;
    if (counted !== billed)
      problems.push(`${userId}: ${billed} reports billed, ${counted} counted from webhooks`);
  }
  return problems;
}

/** Options of {@link checkInvariants}. */
export interface InvariantOptions {
  users: string[];
  /** A store failure may land between a hook and its completion mark: the hook may then run again. */
  hooksAtLeastOnce?: boolean;
}

/**
 * The invariants of issue 13, after faults have stopped and every event was delivered: a list of
 * violations (empty when all hold).
 */
export async function checkInvariants(world: World, options: InvariantOptions): Promise<string[]> {
  const problems: string[] = [];
  const { sim } = world;
  for (const error of world.errors) {
    if (!isIdentityKitError(error)) problems.push(`untyped error: ${String(error)}`);
  }
  for (const userId of options.users) {
    const sessions = sim.sessions().filter((session) => session.client_reference_id === userId);
    const open = sessions.filter((session) => session.status === 'requires_input');
    if (open.length > 1) problems.push(`${userId}: ${open.length} sessions open at Stripe`);
    const ids = new Set(sessions.map((session) => session.id));
    const billed = sim.reports().filter((report) => ids.has(String(report.verification_session))).length;
    const status = await world.instances[0]?.status(userId);
    if (status?.sessions.used !== sessions.length) {
      problems.push(
        `${userId}: Stripe created ${sessions.length} sessions, the ledger counts ${status?.sessions.used}`,
      );
    }
    if (status?.submissions.used !== billed) {
      problems.push(
        `${userId}: Stripe billed ${billed} reports, the ledger counts ${status?.submissions.used}`,
      );
    }
  }
  // No reservation left held: each user's slot is free (a reservation never outlives its attempt).
  const subjectOf = createPseudonymizer(undefined);
  const store = world.stores[0] as IdentityStore;
  for (const userId of options.users) {
    const subject = await subjectOf(userId);
    const slot = await store.reserveSessionSlot(subject, {
      limit: 1000,
      windowMs: 1,
      now: sim.now(),
      leaseMs: 1,
    });
    if (slot.outcome === 'busy') problems.push(`${userId}: a reservation is still held`);
    if (slot.outcome === 'reserved') await store.releaseSessionSlot(subject, slot.reservationId);
  }
  // Every acknowledged event's effect exactly once: one hook call per session, kind and report.
  const effects = new Map<string, number>();
  for (const call of world.hooks.calls) {
    const event = sim.events.find((candidate) => candidate.id === call.eventId);
    const report = (event?.data.object as { last_verification_report?: string | null })
      ?.last_verification_report;
    const key = `${call.sessionId}:${call.kind}:${report ?? '-'}`;
    effects.set(key, (effects.get(key) ?? 0) + 1);
  }
  for (const [key, count] of effects) {
    if (count > 1 && !options.hooksAtLeastOnce) problems.push(`effect ${key} ran ${count} times`);
  }
  for (const session of sim.sessions().filter((candidate) => candidate.status === 'verified')) {
    const acknowledged = sim.events.some(
      (event) =>
        event.type.endsWith('.verified') &&
        (event.data.object as { id: string }).id === session.id &&
        world.answers.get(event.id)?.some((answer) => answer.status === 200),
    );
    const ran = [...effects.keys()].some((key) => key.startsWith(`${session.id}:verified:`));
    if (acknowledged && !ran)
      problems.push(`${session.id}: verified was acknowledged but its hook never ran`);
  }
  return problems;
}
