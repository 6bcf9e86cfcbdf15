import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { WebhookSignatureError } from '../../src/errors.js';
import { builtinCryptoHmac, hmacSha256, webCryptoHmac } from '../../src/webhooks/signature-hmac.js';
import { verifyStripeSignature } from '../../src/webhooks/verify.js';

const NOW_MS = 1_767_225_600_000;
const NOW_S = NOW_MS / 1000;
const RUNS = { seed: 42, numRuns: 300 } as const;

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const secretArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string().map((s) => `whsec_${s}`),
);

/** Headers that look like Stripe's but carry no real signature, mixed with plain garbage. */
const headerArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(undefined, null, '', ' '),
  fc.array(fc.string(), { maxLength: 3 }),
  fc
    .tuple(
      fc.integer({ min: NOW_S - 1000, max: NOW_S + 1000 }),
      fc.array(hex64, { minLength: 0, maxLength: 3 }),
    )
    .map(([t, sigs]) => [`t=${t}`, ...sigs.map((s) => `v1=${s}`)].join(',')),
  fc
    .array(
      fc.tuple(fc.constantFrom('t', 'v1', 'v0', 'x', ''), fc.oneof(fc.string(), hex64, fc.nat().map(String))),
      { maxLength: 6 },
    )
    .map((items) => items.map(([k, v]) => `${k}=${v}`).join(',')),
);

const bodyArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.uint8Array(),
  fc.json(),
  fc.constantFrom(undefined, null, 0, true),
  fc.object(),
  fc.array(fc.nat()),
);

async function outcome(promise: Promise<unknown>): Promise<'accepted' | 'refused'> {
  try {
    await promise;
    return 'accepted';
  } catch {
    return 'refused';
  }
}

describe('verifyStripeSignature: properties', () => {
  it('only ever rejects with WebhookSignatureError, and never accepts an unsigned body', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyArb,
        headerArb,
        fc.array(secretArb, { maxLength: 3 }),
        async (body, header, secrets) => {
          const error = await verifyStripeSignature(body, header as string, {
            secrets,
            now: () => NOW_MS,
          }).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(WebhookSignatureError);
        },
      ),
      RUNS,
    );
  });

  it('never accepts a body other than the one that was signed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json(), fc.json(), secretArb, async (signed, sent, secret) => {
        fc.pre(signed !== sent && secret.trim() !== '');
        const header = Stripe.webhooks.generateTestHeaderString({
          payload: signed,
          secret,
          timestamp: NOW_S,
        });
        const error = await verifyStripeSignature(sent, header, {
          secrets: [secret],
          now: () => NOW_MS,
        }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WebhookSignatureError);
      }),
      RUNS,
    );
  });

  it("agrees with stripe-node's constructEventAsync for past timestamps", async () => {
    const caseArb = fc.record({
      payload: fc.json({ stringUnit: 'grapheme' }),
      secret: secretArb,
      verifySecret: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 4 },
        { arbitrary: secretArb, weight: 1 },
      ),
      ageSeconds: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 290, max: 2000 })),
      tamper: fc.oneof(
        { arbitrary: fc.constant('none'), weight: 4 },
        { arbitrary: fc.constantFrom('payload', 'signature', 'timestamp'), weight: 2 },
      ),
    });
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ payload, secret, verifySecret, ageSeconds, tamper }) => {
        const timestamp = NOW_S - ageSeconds;
        let header = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
        let body = payload;
        if (tamper === 'payload') body = `${payload} `;
        if (tamper === 'signature')
          header = header.replace(/v1=(.)/, (_, c: string) => `v1=${c === 'a' ? 'b' : 'a'}`);
        if (tamper === 'timestamp') header = header.replace(`t=${timestamp}`, `t=${timestamp - 1}`);
        const key = verifySecret ?? secret;

        const stripeVerdict = await outcome(
          Stripe.webhooks.constructEventAsync(body, header, key, 300, undefined, NOW_MS),
        );
        const ourVerdict = await outcome(
          verifyStripeSignature(body, header, { secrets: [key], now: () => NOW_MS }),
        );
        expect(ourVerdict).toBe(stripeVerdict);
        if (ourVerdict === 'accepted') accepted += 1;
      }),
      RUNS,
    );
    // The generators must exercise both verdicts, or the agreement says little.
    expect(accepted).toBeGreaterThan(50);
  });
});

describe('HMAC backends', () => {
  it('Web Crypto, the runtime built-in and node:crypto compute the same bytes', async () => {
    const builtin = builtinCryptoHmac();
    expect(builtin).not.toBeNull();
    const web = webCryptoHmac();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.uint8Array({ maxLength: 2048 }),
        async (secret, message) => {
          const bytes = new Uint8Array(message);
          const expected = createHmac('sha256', new TextEncoder().encode(secret)).update(bytes).digest('hex');
          const hex = (digest: Uint8Array) => Buffer.from(digest).toString('hex');
          expect(hex(await web(secret, bytes))).toBe(expected);
          expect(hex(await (builtin as NonNullable<typeof builtin>)(secret, bytes))).toBe(expected);
          expect(hex(await hmacSha256(secret, bytes))).toBe(expected);
        },
      ),
      RUNS,
    );
  });

  it('falls back to Web Crypto where the runtime has no usable built-in module loader', () => {
    expect(builtinCryptoHmac({})).toBeNull();
    expect(builtinCryptoHmac({ process: {} })).toBeNull();
    expect(builtinCryptoHmac({ process: { getBuiltinModule: () => undefined } })).toBeNull();
    expect(builtinCryptoHmac({ process: { getBuiltinModule: () => ({ createHmac: 1 }) } })).toBeNull();
    const throwing = {
      process: {
        getBuiltinModule: () => {
          throw new Error('not allowed here');
        },
      },
    };
    expect(builtinCryptoHmac(throwing)).toBeNull();
  });
});
