import type { VerificationServiceOptions } from '../../../src/options.js';
import type { VerificationService } from '../../../src/service.js';
import type { IdentityStore } from '../../../src/stores/contract.js';
import type { IdentitySimulator } from '../../../src/testing/index.js';
import { harness } from '../../support/harness.js';
import type { Backend } from './backends.js';

/** Several app instances behind one load balancer: one simulated Stripe, one shared store server. */
export interface Fleet {
  sim: IdentitySimulator;
  /** The app instances; each has its own store object on its own connection. */
  instances: VerificationService[];
  stores: IdentityStore[];
  /** Instance `index` modulo the fleet size, as a round-robin balancer would pick. */
  pick(index: number): VerificationService;
  /** Create requests that reached the simulator (whatever their outcome). */
  createRequests(): number;
}

/** Options of {@link startFleet}. */
export interface FleetOptions {
  /** Number of app instances (default 4). */
  size?: number;
  /** Options shared by every instance (hooks, limits). */
  service?: Partial<VerificationServiceOptions>;
  /** Hands instance `index` another view of its store (to break the connection at an exact step). */
  wrapStore?: (store: IdentityStore, index: number) => IdentityStore;
}

const CREATE_PATH = '/v1/identity/verification_sessions';

/** Start `size` instances on `backend`; webhooks are delivered by the test, not by the simulator. */
export async function startFleet(backend: Backend, options: FleetOptions = {}): Promise<Fleet> {
  const size = options.size ?? 4;
  const stores: IdentityStore[] = [];
  const wrap = options.wrapStore ?? ((store) => store);
  for (let index = 0; index < size; index += 1) stores.push(wrap(await backend.connect(), index));
  const [first, ...others] = stores;
  if (!first) throw new Error('a fleet needs at least one instance');
  const h = await harness({ store: first, service: options.service, webhooks: false });
  const instances = [h.service, ...others.map((store) => h.another({ store }))];
  return {
    sim: h.sim,
    instances,
    stores,
    pick: (index) => instances[index % instances.length] as VerificationService,
    createRequests: () =>
      h.sim.requests.filter((request) => request.method === 'POST' && request.path === CREATE_PATH).length,
  };
}

/** The conformance suite's seeded generator, so that interleavings are the same on every run. */
export { seededRandom } from '../../../src/testing/conformance/fixtures.js';

/** Yield to the event loop `count` times: other requests' I/O callbacks run in between. */
export async function yieldTimes(count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) await new Promise((resolve) => setImmediate(resolve));
}
