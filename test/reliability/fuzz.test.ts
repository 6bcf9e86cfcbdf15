import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isIdentityKitError } from '../../src/errors.js';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { VerificationService } from '../../src/service.js';
import { MemoryStore } from '../../src/stores/memory.js';
import { createTestStripe, IdentitySimulator } from '../../src/testing/index.js';
import { RETURN_URL, WEBHOOK_SECRET } from '../support/harness.js';
import { runSeed, scaled } from './support/seed.js';

const RUNS = scaled(150, 2000);
/** A call that has not answered by then counts as a hang. */
const HANG_MS = 5_000;

function within<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('hang')), HANG_MS);
  });
  return Promise.race([work, hang]).finally(() => clearTimeout(timer));
}

function world() {
  const sim = new IdentitySimulator({ seed: 3, webhooks: { autoDeliver: false } });
  const service = new VerificationService({
    stripe: createTestStripe(sim),
    store: new MemoryStore(),
    returnUrl: RETURN_URL,
    webhookSecret: WEBHOOK_SECRET,
    now: () => sim.now(),
    logger: false,
  });
  const routes = createVerificationRoutes(service, {
    async authenticate(request) {
      const token = request.headers.get('authorization');
      return token === null ? null : { id: token };
    },
  });
  return { sim, service, routes };
}

/** Anything a JSON-ish option or body may hold, including the wrong types. */
const anything = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
);

describe('fast-check over every public input a request can reach', () => {
  test('options: a service is built, or a typed ConfigError says why', () => {
    const { seed } = runSeed('fuzz: options', 1331);
    const sim = new IdentitySimulator({ seed: 1 });
    const stripe = createTestStripe(sim);
    fc.assert(
      fc.property(
        fc.record(
          {
            returnUrl: fc.oneof(anything, fc.webUrl()),
            webhookSecret: anything,
            limits: fc.oneof(
              anything,
              fc.record({ maxSessions: anything, maxSubmissions: anything, windowDays: anything }),
            ),
            webhooks: fc.oneof(
              anything,
              fc.record({ toleranceSeconds: anything, retainDays: anything, bodyTimeoutSeconds: anything }),
            ),
            concurrency: fc.oneof(anything, fc.record({ leaseSeconds: anything, waitSeconds: anything })),
            redaction: fc.oneof(anything, fc.record({ hashSecret: anything })),
          },
          { requiredKeys: [] },
        ),
        (options) => {
          try {
            new VerificationService({
              stripe,
              store: new MemoryStore(),
              returnUrl: RETURN_URL,
              logger: false,
              ...options,
            } as never);
          } catch (error) {
            expect(isIdentityKitError(error)).toBe(true);
          }
        },
      ),
      { seed, numRuns: RUNS },
    );
  });

  test('user ids (any UTF-16, lone surrogates included): an answer, or a typed error', async () => {
    const { seed } = runSeed('fuzz: user ids', 1332);
    const { service } = world();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), anything),
        async (id) => {
          for (const call of [
            () => service.start({ id } as never),
            () => service.status(id as never),
          ] as Array<() => Promise<unknown>>) {
            try {
              await within<unknown>(call());
            } catch (error) {
              expect(isIdentityKitError(error)).toBe(true);
            }
          }
        },
      ),
      { seed, numRuns: RUNS },
    );
  });

  test('routes: any method, path, query, headers and body answer without a 500 or a hang', async () => {
    const { seed } = runSeed('fuzz: routes', 1333);
    const { routes } = world();
    const header = fc
      .string({ unit: 'binary-ascii', maxLength: 40 })
      .map((value) => value.replace(/[\r\n\0]/g, ''));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
        fc.constantFrom('start', 'status', 'return', 'cancel', 'redact', 'nope', ''),
        fc.string({ maxLength: 60 }),
        fc.option(header),
        fc.option(header),
        fc.option(fc.oneof(fc.json(), fc.string({ unit: 'binary' }))),
        fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded')),
        async (method, route, query, authorization, origin, body, type) => {
          const headers = new Headers();
          if (authorization !== null) headers.set('authorization', authorization);
          if (origin !== null) headers.set('origin', origin);
          if (type !== null) headers.set('content-type', type);
          const hasBody = body !== null && method !== 'GET';
          const url = `http://app.example/identity/${route}?${encodeURI(query)}`;
          const response = await within(
            routes.fetch(new Request(url, { method, headers, body: hasBody ? body : undefined })),
          );
          expect(response.status).toBeLessThan(500);
          await response.text();
        },
      ),
      { seed, numRuns: RUNS },
    );
  });

  test('webhooks: any body and signature header answer 4xx, never throw', async () => {
    const { seed } = runSeed('fuzz: webhooks', 1334);
    const { service, sim } = world();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.json(), fc.string({ unit: 'binary' })),
        fc.oneof(fc.string(), fc.constant(`t=${Math.floor(sim.now() / 1000)},v1=${'a'.repeat(64)}`)),
        async (rawBody, signature) => {
          const answer = await within(service.webhooks.handle({ rawBody, signature }));
          expect(answer.status >= 400 && answer.status < 500).toBe(true);
        },
      ),
      { seed, numRuns: RUNS },
    );
  });
});
