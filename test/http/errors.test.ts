import { describe, expect, test } from 'vitest';
import { StoreUnavailableError } from '../../src/errors.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import type { IdentityStore } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory.js';
import { harness } from '../support/harness.js';
import { bearerAuth, listen, recordingLogger } from './serve.js';

const STORE_DETAIL = 'connect ECONNREFUSED 10.1.2.3:5432 role "app" table sik_x';
const SECRET_DETAIL = 'password=hunter2 at db-primary.internal';

/** A store whose every method fails the way `make` says, as a driver would fail. */
function failingStore(make: () => Error): IdentityStore {
  const inner = new MemoryStore();
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async () => {
        throw make();
      };
    },
  });
}

async function serveWith(store: IdentityStore) {
  const { lines, logger } = recordingLogger();
  const h = await harness({ store, service: { logger } });
  const routes = createVerificationRoutes(h.service, bearerAuth);
  return { h, lines, base: await listen(toNodeListener(routes.fetch), '/identity') };
}

const headers = { authorization: 'Bearer user_1' };

describe('error bodies never carry store or unexpected messages', () => {
  test.each([
    ['a store outage', () => new StoreUnavailableError(STORE_DETAIL), 503, 'store_unavailable'],
    ['an unexpected error', () => new Error(SECRET_DETAIL), 500, 'internal_error'],
  ] as const)(
    '%s: a fixed message per code, details to the logger only',
    async (_name, make, status, code) => {
      const { h, lines, base } = await serveWith(failingStore(make));
      for (const [path, method] of [
        ['/start', 'POST'],
        ['/status', 'GET'],
        ['/return', 'GET'],
        ['/cancel', 'POST'],
        ['/redact', 'POST'],
      ]) {
        const answer = await fetch(`${base}${path}`, { method, headers });
        const text = await answer.text();
        expect(answer.status, path).toBe(status);
        const body = JSON.parse(text) as Record<string, unknown>;
        expect(body.error).toBe(code);
        expect(typeof body.message).toBe('string');
        for (const secret of ['10.1.2.3', '5432', 'ECONNREFUSED', 'role', 'sik_x', 'hunter2', 'db-primary']) {
          expect(text, `${path} leaks ${secret}`).not.toContain(secret);
        }
        if (status === 503) expect(answer.headers.get('retry-after')).toBe('1');
      }
      expect(h.calls()).toBe(0);
      const logged = lines.filter((line) => line.level === 'error' && line.fields?.code === code);
      expect(logged.length).toBeGreaterThanOrEqual(5);
      expect(logged[0]?.fields).toMatchObject({ code, statusCode: status });
      expect(JSON.stringify(lines)).not.toMatch(/10\.1\.2\.3|hunter2|sik_x|db-primary/);
    },
  );

  test('a retryable Stripe failure is a 503 with Retry-After and no Stripe message', async () => {
    const h = await harness();
    const routes = createVerificationRoutes(h.service, bearerAuth);
    h.sim.failNext({ kind: 'http_500', match: { method: 'POST' }, count: 5 });
    const answer = await routes.start(
      new Request('http://app.example/identity/start', { method: 'POST', headers }),
    );
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    const body = (await answer.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'stripe_api', retryable: true });
    expect(Object.keys(body).sort()).toEqual(['error', 'message', 'retryable']);
  });
});
