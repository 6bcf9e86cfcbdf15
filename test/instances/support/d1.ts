import { afterAll } from 'vitest';
import { D1Store } from '../../../src/d1.js';
import { type D1Connection, type D1Server, startD1 } from '../../stores/fixtures/d1.js';
import type { Backend, BackendOptions } from './backends.js';

/** One local D1 (miniflare) per test file, started on first use: each backend gets tables of its own. */
let server: Promise<D1Server> | null = null;
afterAll(async () => {
  if (server) await (await server).dispose();
  server = null;
});

let backends = 0;

/**
 * A D1 database shared by the instances, as every Worker instance bound to it shares it. Each instance
 * reaches it through a connection of its own (the bridge Worker, one round trip per call); an outage cuts
 * every one of them, as a network partition between Workers and D1 would.
 */
export async function openD1Backend(
  options: BackendOptions,
  disposers: Array<() => Promise<void>>,
): Promise<Backend> {
  server ??= startD1();
  const d1 = await server;
  backends += 1;
  const tablePrefix = `inst${backends}_`;
  // The migration runs once, as `wrangler d1 migrations apply` does before a deploy, with a wide bound:
  // a cold workerd may take longer than an outage test's short timeoutMs.
  await new D1Store(d1.connect().db, { tablePrefix, timeoutMs: 30_000 }).migrate();
  const connections: D1Connection[] = [];
  disposers.push(async () => {
    for (const connection of connections) connection.restore();
  });
  return {
    name: 'd1',
    outage: {
      async begin() {
        for (const connection of connections) connection.cut();
      },
      async end() {
        for (const connection of connections) connection.restore();
      },
    },
    async connect() {
      const connection = d1.connect();
      connections.push(connection);
      // A wide bound even in outage tests: a cut connection fails at once (as a dropped one does), while
      // the bridge may take longer than their 150 ms to carry a call when 200 requests queue on it.
      return new D1Store(connection.db, { tablePrefix, timeoutMs: Math.max(options.timeoutMs ?? 0, 30_000) });
    },
  };
}
