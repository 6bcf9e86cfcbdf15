import { afterEach, describe, expect, test } from 'vitest';
import type { IdentitySimulator } from '../../src/testing/index.js';
import { runSeed, scaled } from './support/seed.js';
import { type KillableBackend, postgresBackend, redisBackend } from './support/stores.js';
import {
  CLIENT_TIMEOUT_MS,
  checkInvariants,
  deliver,
  deliveries,
  journey,
  openWorld,
  tryStart,
  uncountedReports,
} from './support/world.js';

const USERS = scaled(12, 60);
const opened: Array<{ dispose(): Promise<void> } | { close(): Promise<void> }> = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await ('dispose' in item ? item.dispose() : item.close());
});

/** 20 % of API calls fail: 500, 429, a reset or an answer slower than the client's timeout, before or after the work. */
function stripeFaults(sim: IdentitySimulator): void {
  for (const phase of ['before', 'after'] as const) {
    sim.setFaultRate(0.025, { kind: 'http_500', phase });
    sim.setFaultRate(0.025, { kind: 'http_429', phase });
    sim.setFaultRate(0.025, { kind: 'reset', phase });
    sim.setFaultRate(0.025, { kind: 'slow', phase, delayMs: CLIENT_TIMEOUT_MS + 100 });
  }
}

describe.each([
  { name: 'redis', open: redisBackend },
  { name: 'postgres', open: postgresBackend },
])(
  'Stripe fails a fifth of its calls during concurrent journeys on four instances on $name',
  ({ name, open }) => {
    test('no two open sessions per user, every session and report counted, effects once, only typed errors', async () => {
      const { seed, random } = runSeed(`stripe faults on ${name}`, name === 'redis' ? 1301 : 1302);
      const backend: KillableBackend = await open();
      opened.push(backend);
      const world = await openWorld(() => backend.connect(), { seed });
      opened.push(world);
      const users = Array.from({ length: USERS }, (_, index) => `user_${seed}_${index}`);
      stripeFaults(world.sim);
      await Promise.all(users.map((userId) => journey(world, userId, random)));
      // Webhooks arrive during the faults too (their handling may call Stripe), shuffled, some twice.
      // Each session's events in the order Stripe created them (one session after another), then every
      // event again, shuffled, some twice; the report counts are checked in between, from webhooks alone.
      for (const event of world.sim.events.filter((each) => each.type.startsWith('identity.'))) {
        await deliver(world, event, random);
      }
      expect(await uncountedReports(world, users)).toEqual([]);
      await Promise.all(deliveries(world, random).map((event) => deliver(world, event, random)));
      // Every billed report is counted by its webhooks alone, before any start() reconciles.
      expect(await uncountedReports(world, users)).toEqual([]);
      world.sim.clearFaults();
      // Once Stripe answers again, the next start() (or a created webhook) settles what the faults left.
      world.sim.advance(60_000);
      for (const userId of users) await tryStart(world, userId, random);
      await Promise.all(deliveries(world, random).map((event) => deliver(world, event, random)));
      const problems = await checkInvariants(world, { users });
      const faults = world.sim.requests.filter((request) => request.fault !== null).length;
      console.log(
        `[stripe faults/${name}] ${world.sim.requests.length} API calls, ${faults} faulted, ` +
          `${world.sim.sessions().length} sessions, ${world.sim.reports().length} reports, ${world.errors.length} typed errors`,
      );
      expect(faults).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      expect(unhandled).toEqual([]);
    }, 120_000);
  },
);
