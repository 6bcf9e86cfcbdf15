import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { RedisStore } from '../../src/redis.js';
import { VerificationService } from '../../src/service.js';
import { createTestStripe, IdentitySimulator } from '../../src/testing/index.js';
import { eventsOf, signed } from '../instances/support/deliveries.js';
import { deleteKeys, redisClient, uniquePrefix } from '../stores/helpers/redis.js';
import { RETURN_URL, WEBHOOK_SECRET } from '../support/harness.js';

const CHILD = fileURLToPath(new URL('./support/crash-child.ts', import.meta.url));
const nextPrefix = uniquePrefix('crash');
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const run of cleanup.splice(0).reverse()) await run();
});

/** A child process running one app instance; `call` drives it, `paused` resolves where it stopped. */
interface Instance {
  child: ChildProcess;
  call(op: 'start' | 'webhook', payload: object): Promise<{ result?: unknown; error?: unknown }>;
  paused: Promise<string>;
  hooksDone: string[];
}

async function spawnInstance(port: number, prefix: string, pauseAt = ''): Promise<Instance> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      SIK_SIM_PORT: String(port),
      SIK_PREFIX: prefix,
      SIK_PAUSE_AT: pauseAt,
      SIK_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  cleanup.push(async () => {
    child.kill('SIGKILL');
  });
  const waiting = new Map<number, (value: { result?: unknown; error?: unknown }) => void>();
  const hooksDone: string[] = [];
  let onPaused: (at: string) => void = () => {};
  const paused = new Promise<string>((resolve) => {
    onPaused = resolve;
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    child.on('message', (message: { type: string; id?: number; at?: string; sessionId?: string }) => {
      if (message.type === 'ready') resolve();
      if (message.type === 'paused') onPaused(message.at ?? '');
      if (message.type === 'hook-done') hooksDone.push(message.sessionId ?? '');
      if (message.type === 'result' && message.id !== undefined)
        waiting.get(message.id)?.(message as { result?: unknown; error?: unknown });
    });
  });
  await ready;
  let next = 0;
  return {
    child,
    paused,
    hooksDone,
    call(op, payload) {
      next += 1;
      const id = next;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.send({ id, op, ...payload });
      });
    },
  };
}

/** SIGKILL and wait until the process is gone. */
async function kill(instance: Instance): Promise<void> {
  const gone = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGKILL');
  await gone;
}

async function world() {
  // Real time: the child processes use their own clocks, and the signatures must be fresh for them.
  const sim = new IdentitySimulator({ seed: 13, webhooks: { autoDeliver: false }, wallClock: true });
  const target = await sim.listen();
  cleanup.push(() => sim.close());
  const prefix = nextPrefix();
  const admin = redisClient();
  cleanup.push(async () => {
    await deleteKeys(admin, prefix);
    await admin.quit();
  });
  // The parent's own view of the shared store, for status() after the crash.
  const observer = new VerificationService({
    stripe: createTestStripe(target),
    store: new RedisStore(admin, { prefix }),
    returnUrl: RETURN_URL,
    webhookSecret: WEBHOOK_SECRET,
    logger: false,
  });
  return { sim, port: target.port, prefix, observer };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an app process SIGKILLed mid-step, restarted, Stripe redelivering (Redis)', () => {
  test("killed between Stripe's create and the commit: after restart, one session at Stripe, counted once", async () => {
    const { sim, port, prefix, observer } = await world();
    const first = await spawnInstance(port, prefix, 'commitSessionSlot');
    void first.call('start', { userId: 'user_crash' });
    expect(await first.paused).toBe('commitSessionSlot');
    await kill(first);
    expect(sim.sessions()).toHaveLength(1);
    const second = await spawnInstance(port, prefix);
    await sleep(1_200); // the killed attempt's reservation lapses with its lease
    const started = (await second.call('start', { userId: 'user_crash' })).result as { sessionId: string };
    expect(started.sessionId).toBe(sim.sessions()[0]?.id);
    expect(sim.sessions()).toHaveLength(1);
    expect((await observer.status('user_crash')).sessions.used).toBe(1);
  }, 30_000);

  for (const at of ['hook', 'completeEvent'] as const) {
    test(`killed between the claim of a verified event and its completion (${at === 'hook' ? 'inside the hook' : 'after the hook, before the completion mark'}): redelivered, applied once`, async () => {
      const { sim, port, prefix, observer } = await world();
      const runner = await spawnInstance(port, prefix);
      const started = (await runner.call('start', { userId: 'user_hook' })).result as { sessionId: string };
      await sim.submit(started.sessionId, 'verified');
      const verified = eventsOf(sim, started.sessionId).find((event) => event.type.endsWith('.verified'));
      if (!verified) throw new Error('no verified event');
      await kill(runner);
      const crashing = await spawnInstance(port, prefix, at);
      void crashing.call('webhook', signed(sim, verified));
      expect(await crashing.paused).toBe(at);
      await kill(crashing);
      const restarted = await spawnInstance(port, prefix);
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
        const answer = (await restarted.call('webhook', signed(sim, verified))).result as { status: number };
        status = answer.status;
        if (status !== 200) await sleep(200); // the dead process's claim holds until its one-second lease ends
      }
      expect(status).toBe(200);
      const again = (await restarted.call('webhook', signed(sim, verified))).result as {
        status: number;
        body: unknown;
      };
      expect(again.body).toMatchObject({ duplicate: true });
      expect(await observer.status('user_hook')).toMatchObject({
        state: 'verified',
        submissions: { used: 1 },
        sessions: { used: 1 },
      });
      const done = [...crashing.hooksDone, ...restarted.hooksDone];
      // Inside the hook: it never finished, so it runs once more. After it: a hook is at-least-once across
      // a crash before its completion mark (the store's effects stay exactly once either way).
      if (at === 'hook') expect(done).toEqual([started.sessionId]);
      else expect(done.length).toBeGreaterThanOrEqual(1);
      console.log(`[crash at ${at}] verified hook completed ${done.length} time(s)`);
    }, 30_000);
  }
});
