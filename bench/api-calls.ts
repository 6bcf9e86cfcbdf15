/**
 * Stripe API calls, sessions created and billed submissions per journey: this library against the naive
 * integration of Stripe's sample (a new session per click), both against the simulator in one process.
 */
import { MemoryStore, VerificationService } from '../src/index.js';
import { createTestStripe, IdentitySimulator } from '../src/testing/index.js';
import { sized } from './mode.js';

const CLICKS = sized(1000, 100);

interface Tally {
  calls: number;
  sessions: number;
  submissions: number;
}

/** `start` opens the flow; `back` is the user returning from Stripe's page after a submission. */
type Journey = (
  start: (userId: string) => Promise<string | null>,
  back: (userId: string) => Promise<void>,
  sim: IdentitySimulator,
) => Promise<void>;

/** A user who opens the flow three times before finishing (the third time, verified). */
const hesitantUser: Journey = async (start, back, sim) => {
  await start('hesitant');
  await start('hesitant');
  const sessionId = await start('hesitant');
  if (sessionId) await sim.submit(sessionId, 'verified');
  await back('hesitant');
};

/** An abuser who clicks 1,000 times and submits a failing document after each click. */
const abuser: Journey = async (start, back, sim) => {
  for (let click = 0; click < CLICKS; click += 1) {
    const sessionId = await start('abuser');
    if (sessionId && sim.session(sessionId)?.status === 'requires_input') {
      await sim.submit(sessionId, 'document_unverified_other');
      await back('abuser');
    }
  }
};

/** A script that clicks 1,000 times within a minute and never submits: costs reads, not money. */
const clicker: Journey = async (start) => {
  for (let click = 0; click < CLICKS; click += 1) await start('clicker');
};

async function measure(journey: Journey, kit: boolean): Promise<Tally> {
  const sim = new IdentitySimulator({ seed: 3, webhooks: { autoDeliver: false } });
  const stripe = createTestStripe(await sim.listen());
  try {
    let start: (userId: string) => Promise<string | null>;
    let back: (userId: string) => Promise<void> = async () => undefined;
    if (kit) {
      const service = new VerificationService({
        stripe,
        store: new MemoryStore(),
        returnUrl: 'https://app.example.com/return',
        now: () => sim.now(),
        logger: false,
      });
      start = async (userId) => {
        const result = await service.start({ id: userId });
        return result.status === 'redirect' ? result.sessionId : null;
      };
      back = async (userId) => {
        await service.handleReturn(userId);
      };
    } else {
      // Stripe's sample: create a session on every click.
      start = async (userId) => {
        const session = await stripe.identity.verificationSessions.create({
          type: 'document',
          metadata: { user_id: userId },
        });
        return session.id;
      };
    }
    await journey(start, back, sim);
    return { calls: sim.requests.length, sessions: sim.sessions().length, submissions: sim.reports().length };
  } finally {
    await sim.close();
  }
}

const ratio = (naive: number, ours: number) =>
  ours === 0 ? (naive === 0 ? '—' : `${naive}:0`) : `${(naive / ours).toFixed(1)}x`;

/** Run both journeys and print one table. */
export async function runApiCallsBench(): Promise<void> {
  console.log("\n## Stripe API use per journey (naive = new session per click, as in Stripe's sample)\n");
  console.log('| journey | integration | API calls | sessions created | billed submissions |');
  console.log('|---|---|---|---|---|');
  for (const [name, journey] of [
    ['opens 3 times, then verifies', hesitantUser],
    [`abuser: ${CLICKS.toLocaleString('en')} clicks + failing submissions`, abuser],
    [`clicker: ${CLICKS.toLocaleString('en')} clicks in a minute, no submission`, clicker],
  ] as const) {
    const naive = await measure(journey, false);
    const ours = await measure(journey, true);
    console.log(`| ${name} | naive | ${naive.calls} | ${naive.sessions} | ${naive.submissions} |`);
    console.log(`| ${name} | stripe-identity-kit | ${ours.calls} | ${ours.sessions} | ${ours.submissions} |`);
    console.log(
      `| ${name} | ratio naive/kit | ${ratio(naive.calls, ours.calls)} | ${ratio(naive.sessions, ours.sessions)} | ${ratio(naive.submissions, ours.submissions)} |`,
    );
  }
}
