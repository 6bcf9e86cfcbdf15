/** examples/hono over real HTTP, with signed webhooks from the simulator it embeds. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runJourney } from './support/journey.js';
import { freePort, type RunningExample, startExample } from './support/spawn.js';

let example: RunningExample;

beforeAll(async () => {
  example = await startExample('examples/hono/server.ts', { PORT: String(await freePort()) });
}, 40_000);

afterAll(() => example?.stop());

test('hono: 401, 403 cross-site, start → link → submit → signed webhook → verified, return page', async () => {
  await runJourney(example.url, { routes: '/identity' });
  expect(example.output()).not.toMatch(/_secret_|\/verify\/(test|live)_/);
});
