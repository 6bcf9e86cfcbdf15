/**
 * One app instance in a child process, for the crash tests: a VerificationService on the shared Redis,
 * talking to the parent's simulator over HTTP, driven over IPC. With `SIK_PAUSE_AT=<step>` it stops for
 * good at that step (telling the parent), so that the parent can SIGKILL it exactly there.
 */
import { Redis } from 'ioredis';
import { RedisStore } from '../../../src/redis.js';
import { VerificationService } from '../../../src/service.js';
import type { IdentityStore } from '../../../src/stores/contract.js';
import { createTestStripe } from '../../../src/testing/index.js';

const send = (message: unknown) => process.send?.(message);
const pauseAt = process.env.SIK_PAUSE_AT ?? '';
const stopHere = async (at: string) => {
  send({ type: 'paused', at });
  await new Promise(() => {});
};

/** The store, with the named step (and the fused operations that do it) stopping forever. */
function pausing(store: IdentityStore): IdentityStore {
  const steps: Record<string, string[]> = {
    commitSessionSlot: ['commitSessionSlot'],
    completeEvent: ['completeEvent', 'settleEvents'],
  };
  const stopping = new Set(steps[pauseAt] ?? []);
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!stopping.has(String(property))) return value.bind(target);
      return async () => stopHere(pauseAt);
    },
  });
}

const client = new Redis({ host: '127.0.0.1', port: 6379, retryStrategy: () => 10 });
client.on('error', () => {});
const store = pausing(new RedisStore(client, { prefix: process.env.SIK_PREFIX ?? 'sik-test:crash:' }));
const stripe = createTestStripe({
  host: '127.0.0.1',
  port: Number(process.env.SIK_SIM_PORT),
  protocol: 'http',
});
const service = new VerificationService({
  stripe,
  store,
  returnUrl: 'https://app.example.com/verify/return',
  webhookSecret: process.env.SIK_WEBHOOK_SECRET ?? '',
  logger: false,
  concurrency: { leaseSeconds: 1, waitSeconds: 1 },
  webhooks: { claimLeaseSeconds: 1 },
  on: {
    verified: async (event) => {
      if (pauseAt === 'hook') await stopHere('hook');
      send({ type: 'hook-done', kind: 'verified', sessionId: event.sessionId });
    },
  },
});

process.on(
  'message',
  async (message: { id: number; op: string; userId?: string; rawBody?: string; signature?: string }) => {
    try {
      const result =
        message.op === 'start'
          ? await service.start({ id: message.userId ?? '' })
          : await service.webhooks.handle({
              rawBody: message.rawBody ?? '',
              signature: message.signature ?? '',
            });
      send({ type: 'result', id: message.id, result });
    } catch (error) {
      send({
        type: 'result',
        id: message.id,
        error: { name: (error as Error).name, code: (error as { code?: string }).code },
      });
    }
  },
);
send({ type: 'ready' });
