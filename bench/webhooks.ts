/**
 * Verified webhook events per second through `webhooks.handle` with MemoryStore, next to the floor
 * measured in the same run: stripe-node's `constructEventAsync` plus `JSON.parse` alone.
 */
import Stripe from 'stripe';
import { MemoryStore, VerificationService } from '../src/index.js';
import { sized } from './mode.js';
import { signedSessionEvents } from './signed-events.js';

const SECRET = 'whsec_bench_0123456789abcdef';
const EVENTS = sized(3000, 300);
const ROUNDS = sized(7, 3);
/** Rounds run first and thrown away, so that both paths are measured with warm JIT and caches. */
const WARMUP_ROUNDS = sized(2, 1);

async function rate(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return EVENTS / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Print the handler's throughput against the floor, as a ratio. */
export async function runWebhooksBench(): Promise<void> {
  const batch = signedSessionEvents(EVENTS, SECRET, 'bench').map(({ rawBody, signature }) => ({
    body: rawBody,
    header: signature,
  }));
  const stripe = new Stripe('sk_test_bench');
  const floor: number[] = [];
  const handler: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    floor.push(
      await rate(async () => {
        for (const { body, header } of batch) {
          const event = await stripe.webhooks.constructEventAsync(body, header, SECRET);
          JSON.parse(body);
          void event;
        }
      }),
    );
    let verified = 0;
    const service = new VerificationService({
      stripe,
      store: new MemoryStore(),
      returnUrl: 'https://a.example/r',
      webhookSecret: SECRET,
      on: {
        verified: () => {
          verified += 1;
        },
      },
    });
    handler.push(
      await rate(async () => {
        for (const { body, header } of batch) {
          const answer = await service.webhooks.handle({ rawBody: body, signature: header });
          if (answer.status !== 200)
            throw new Error(`unexpected ${answer.status}: ${JSON.stringify(answer.body)}`);
        }
        if (verified !== EVENTS / 3) throw new Error(`the verified hook ran ${verified} times`);
      }),
    );
  }
  floor.splice(0, WARMUP_ROUNDS);
  handler.splice(0, WARMUP_ROUNDS);
  const floorRate = median(floor);
  const handlerRate = median(handler);
  // Each round's pair ran back to back on the same machine state: their ratio is steadier than medians.
  const ratio = median(handler.map((rate, index) => rate / (floor[index] ?? rate)));
  console.log(
    `\n## Webhook throughput (MemoryStore, one \`verified\` hook, sequential, median of ${ROUNDS - WARMUP_ROUNDS} rounds of ${EVENTS.toLocaleString('en')} events after ${WARMUP_ROUNDS} warm-up rounds)\n`,
  );
  console.log('| path | events/s |');
  console.log('|---|---|');
  console.log(`| floor: constructEventAsync + JSON.parse | ${floorRate.toFixed(0)} |`);
  console.log(`| webhooks.handle (verify, claim, order, count, hooks) | ${handlerRate.toFixed(0)} |`);
  console.log(`| ratio handler/floor, median of per-round ratios (goal >= 0.7) | ${ratio.toFixed(2)} |`);
}
