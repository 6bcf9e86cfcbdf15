/**
 * Requests per second from stripe-node to the simulator through each transport, for `retrieve` and
 * `create`: real HTTP on 127.0.0.1 (the baseline), the in-process fetch client (`createTestStripe(sim)`)
 * and nock (`sim.intercept()`), all in this process, interleaved round by round. Stripe's own mock server
 * (stripe-mock) is measured when it is on the PATH. `--quick` runs a short form for CI.
 */
import { spawn, spawnSync } from 'node:child_process';
import Stripe from 'stripe';
import { createTestStripe, IdentitySimulator } from '../src/testing/index.js';

const QUICK = process.argv.includes('--quick');
const REQUESTS = QUICK ? 200 : 1000;
const ROUNDS = QUICK ? 3 : 8;
/** Rounds run first and thrown away, so every transport is measured with warm JIT and caches. */
const WARMUP_ROUNDS = QUICK ? 1 : 2;

type Operation = 'retrieve' | 'create';

interface Transport {
  name: string;
  /** A client and a session id to retrieve; `close` stops what was started. */
  open: () => Promise<{ stripe: Stripe; sessionId: string; close: () => Promise<void> }>;
}

async function simulatorTransport(
  connect: (sim: IdentitySimulator) => Promise<Stripe>,
  after: (sim: IdentitySimulator) => void = () => undefined,
) {
  const sim = new IdentitySimulator({ seed: 5, webhooks: { autoDeliver: false } });
  const stripe = await connect(sim);
  const session = await stripe.identity.verificationSessions.create({ type: 'document' });
  return {
    stripe,
    sessionId: session.id,
    close: async () => {
      after(sim);
      await sim.close();
    },
  };
}

const TRANSPORTS: Transport[] = [
  {
    name: 'HTTP (listen + createTestStripe(target))',
    open: () => simulatorTransport(async (sim) => createTestStripe(await sim.listen())),
  },
  {
    name: 'in-process (createTestStripe(sim))',
    open: () => simulatorTransport(async (sim) => createTestStripe(sim)),
  },
  {
    name: 'nock (sim.intercept() + new Stripe(key))',
    open: () =>
      simulatorTransport(
        async (sim) => {
          sim.intercept();
          return new Stripe('sk_test_bench', { maxNetworkRetries: 0, telemetry: false });
        },
        (sim) => sim.restore(),
      ),
  },
];

/** stripe-mock on a free port, when installed; null (and why) otherwise. */
function stripeMockTransport(): Transport | string {
  const found = spawnSync('stripe-mock', ['-version'], { encoding: 'utf8' });
  if (found.error) return 'stripe-mock is not installed (not on PATH): not measured';
  const port = 12_400 + Math.floor(Math.random() * 500);
  return {
    name: "stripe-mock (Stripe's stateless mock server)",
    open: async () => {
      const child = spawn('stripe-mock', ['-http-port', String(port)], { stdio: 'ignore' });
      const stripe = new Stripe('sk_test_bench', {
        host: '127.0.0.1',
        port,
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      for (let tries = 0; ; tries += 1) {
        try {
          const session = await stripe.identity.verificationSessions.create({ type: 'document' });
          return { stripe, sessionId: session.id, close: async () => void child.kill() };
        } catch (error) {
          if (tries > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
  };
}

async function rate(stripe: Stripe, sessionId: string, operation: Operation): Promise<number> {
  const sessions = stripe.identity.verificationSessions;
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i += 1) {
    if (operation === 'retrieve') await sessions.retrieve(sessionId);
    else await sessions.create({ type: 'document', metadata: { n: String(i) } });
  }
  return REQUESTS / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Prints requests/s per transport and operation, with ratios to HTTP measured round by round. */
export async function runTransportsBench(): Promise<void> {
  const mock = stripeMockTransport();
  const transports = typeof mock === 'string' ? TRANSPORTS : [...TRANSPORTS, mock];
  console.log(
    `\n## stripe-node → simulator, requests/s by transport (sequential; median of ${ROUNDS - WARMUP_ROUNDS} interleaved rounds of ${REQUESTS} after ${WARMUP_ROUNDS} warm-up${QUICK ? '; --quick' : ''})\n`,
  );
  console.log('| transport | operation | requests/s | ratio to HTTP (median of per-round ratios) |');
  console.log('|---|---|---|---|');
  for (const operation of ['retrieve', 'create'] as const) {
    const rates = transports.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [index, transport] of transports.entries()) {
        const { stripe, sessionId, close } = await transport.open();
        try {
          rates[index]?.push(await rate(stripe, sessionId, operation));
        } finally {
          await close();
        }
      }
    }
    for (const list of rates) list.splice(0, WARMUP_ROUNDS);
    const baseline = rates[0] ?? [];
    for (const [index, transport] of transports.entries()) {
      const own = rates[index] ?? [];
      const ratio = median(own.map((value, round) => value / (baseline[round] ?? value)));
      const goal = index === 1 ? ' (goal >= 5)' : '';
      console.log(
        `| ${transport.name} | ${operation} | ${median(own).toFixed(0)} | ${ratio.toFixed(2)}x${goal} |`,
      );
    }
  }
  if (typeof mock === 'string') console.log(`\n${mock}.`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runTransportsBench();
