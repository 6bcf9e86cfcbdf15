import { afterEach, describe, expect, test } from 'vitest';
import { runSeed, scaled } from './support/seed.js';
import { type KillableBackend, postgresBackend, redisBackend } from './support/stores.js';
import {
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
process.on('unhandledRejection', (reason) => unhandled.push(reason));
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await ('dispose' in item ? item.dispose() : item.close());
});

/** Kills the app's store connections at the server every `everyMs` until stopped; counts the kills. */
function killer(backend: KillableBackend, everyMs: number) {
  let running = true;
  let killed = 0;
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      if (running) killed += await backend.killConnections().catch(() => 0);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return killed;
    },
  };
}

describe.each([
  { name: 'redis', open: redisBackend, kill: 'CLIENT KILL' },
  { name: 'postgres', open: postgresBackend, kill: 'pg_terminate_backend' },
])('$name connections killed ($kill) in the middle of journeys and webhook bursts', ({ name, open }) => {
  test('every failure typed, every webhook applied or 5xx then redelivered, nothing created at Stripe left uncounted', async () => {
    const { seed, random } = runSeed(`store faults on ${name}`, name === 'redis' ? 1311 : 1312);
    const backend = await open(300);
    opened.push(backend);
    const world = await openWorld(() => backend.connect(), { seed });
    opened.push(world);
    const users = Array.from({ length: USERS }, (_, index) => `user_${seed}_${index}`);
    const kills = killer(backend, name === 'redis' ? 7 : 100);
    // Journeys and bursts of their webhooks at once, while connections keep dying under them.
    await Promise.all(users.map((userId) => journey(world, userId, random)));
    await Promise.all(deliveries(world, random).map((event) => deliver(world, event, random)));
    const killed = await kills.stop();
    // Every billed report is counted by its (redelivered) webhooks alone, before any start() reconciles.
    expect(await uncountedReports(world, users)).toEqual([]);
    // Faults over: a failed attempt's reservation lapses with its lease, then the next start() settles.
    world.sim.advance(5 * 60_000);
    for (const userId of users) await tryStart(world, userId, random);
    await Promise.all(deliveries(world, random).map((event) => deliver(world, event, random)));
    const failed = [...world.answers.values()].flat().filter((answer) => answer.status >= 500).length;
    console.log(
      `[store faults/${name}] ${killed} connections killed, ${world.errors.length} typed start() errors, ` +
        `${failed} webhook 5xx answers (all redelivered), ${world.sim.sessions().length} sessions`,
    );
    expect(killed).toBeGreaterThan(0);
    // A kill between a hook and its completion mark may run that hook again (at least once, never zero).
    expect(await checkInvariants(world, { users, hooksAtLeastOnce: true })).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 180_000);
});
