import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { ConfigError, type WebhookSignatureReason } from '../../src/errors.js';
import { MAX_SIGNATURE_HEADER_LENGTH } from '../../src/webhooks/signature-header.js';
import { verifyStripeSignature } from '../../src/webhooks/verify.js';
import { expectReason, NOW_MS, NOW_S, options, PAYLOAD, SECRET, sign } from './verify-harness.js';

describe('verifyStripeSignature: timestamps, both ways', () => {
  it('accepts exactly at the tolerance and refuses one second past it (old)', async () => {
    await expect(
      verifyStripeSignature(PAYLOAD, sign(PAYLOAD, SECRET, NOW_S - 300), options()),
    ).resolves.toBeDefined();
    const message = await expectReason(
      verifyStripeSignature(PAYLOAD, sign(PAYLOAD, SECRET, NOW_S - 301), options()),
      'timestamp_too_old',
    );
    expect(message).toMatch(/301s old/);
    expect(message).toMatch(/NTP/);
  });

  it('refuses a timestamp too far in the future (stripe-node would accept it)', async () => {
    await expect(
      verifyStripeSignature(PAYLOAD, sign(PAYLOAD, SECRET, NOW_S + 300), options()),
    ).resolves.toBeDefined();
    const header = sign(PAYLOAD, SECRET, NOW_S + 3600);
    await expect(
      Stripe.webhooks.constructEventAsync(PAYLOAD, header, SECRET, 300, undefined, NOW_MS),
    ).resolves.toBeDefined();
    const message = await expectReason(
      verifyStripeSignature(PAYLOAD, header, options()),
      'timestamp_too_new',
    );
    expect(message).toMatch(/3600s in the future/);
    expect(message).toMatch(/clock/);
  });

  it('honours a custom tolerance', async () => {
    const header = sign(PAYLOAD, SECRET, NOW_S - 30);
    await expectReason(
      verifyStripeSignature(PAYLOAD, header, options({ toleranceSeconds: 10 })),
      'timestamp_too_old',
    );
    await expect(
      verifyStripeSignature(PAYLOAD, header, options({ toleranceSeconds: 60 })),
    ).resolves.toBeDefined();
  });

  it('reports the signature, not the timestamp, when both are wrong', async () => {
    const header = sign(PAYLOAD, 'whsec_other', NOW_S - 10_000);
    await expectReason(verifyStripeSignature(PAYLOAD, header, options()), 'no_matching_signature');
  });

  it('refuses a tolerance that would switch the replay check off (a programming error)', async () => {
    for (const toleranceSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(
        verifyStripeSignature(PAYLOAD, sign(PAYLOAD), options({ toleranceSeconds })),
      ).rejects.toThrow(ConfigError);
    }
  });

  it('uses Date.now when no clock is injected', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const result = await verifyStripeSignature(PAYLOAD, sign(PAYLOAD, SECRET, nowS), { secrets: [SECRET] });
    expect(result.timestamp).toBe(nowS);
  });
});

describe('verifyStripeSignature: malformed headers', () => {
  const valid = (): string => sign(PAYLOAD);
  const cases: Array<[string, unknown, WebhookSignatureReason]> = [
    ['undefined', undefined, 'missing_header'],
    ['null', null, 'missing_header'],
    ['empty', '', 'missing_header'],
    ['whitespace', '  \t ', 'missing_header'],
    ['garbage', 'garbage', 'malformed_header'],
    ['non-numeric t', `t=abc,v1=${'a'.repeat(64)}`, 'malformed_header'],
    ['partly numeric t', `t=123abc,v1=${'a'.repeat(64)}`, 'malformed_header'],
    ['negative t', `t=-5,v1=${'a'.repeat(64)}`, 'malformed_header'],
    ['non-ASCII digits in t', `t=١٢٣,v1=${'a'.repeat(64)}`, 'malformed_header'],
    ['no t', `v1=${'a'.repeat(64)}`, 'malformed_header'],
    [
      'two timestamps (a joined duplicate)',
      `t=1,v1=${'a'.repeat(64)}, t=2,v1=${'b'.repeat(64)}`,
      'malformed_header',
    ],
    ['no v1', 't=123', 'no_v1_signature'],
    ['only v0', `t=123,v0=${'a'.repeat(64)}`, 'no_v1_signature'],
    ['element without =', `t=123,v1${'a'.repeat(64)}`, 'malformed_header'],
    ['unicode', 't=123,v1=✓✓✓,🙂', 'malformed_header'],
    ['very long', `t=123,${'v1=x,'.repeat(5000)}`, 'malformed_header'],
    ['an array (duplicated by a proxy)', ['t=1,v1=a', 't=1,v1=a'], 'malformed_header'],
    ['an array of one', ['t=1,v1=a'], 'malformed_header'],
    ['a number', 42, 'malformed_header'],
  ];
  it.each(cases)('%s', async (_name, header, reason) => {
    await expectReason(verifyStripeSignature(PAYLOAD, header as string, options()), reason);
  });

  it('joins a duplicated valid header into a malformed one', async () => {
    const message = await expectReason(
      verifyStripeSignature(PAYLOAD, `${valid()}, ${valid()}`, options()),
      'malformed_header',
    );
    expect(message).toMatch(/duplicated/);
  });

  it('bounds the header length', async () => {
    const padded = `${valid()},${'x=1,'.repeat(MAX_SIGNATURE_HEADER_LENGTH)}`;
    await expectReason(verifyStripeSignature(PAYLOAD, padded, options()), 'malformed_header');
  });

  it('treats v1 values that are not 64 hex digits as non-matching', async () => {
    await expectReason(
      verifyStripeSignature(PAYLOAD, `t=${NOW_S},v1=,v1=zz,v1=abc`, options()),
      'no_matching_signature',
    );
  });
});

describe('verifyStripeSignature: bodies and secrets', () => {
  it('refuses a parsed object with the express.raw hint', async () => {
    const message = await expectReason(
      verifyStripeSignature(JSON.parse(PAYLOAD), sign(PAYLOAD), options()),
      'body_not_raw',
    );
    expect(message).toContain(
      "looks like express.json() ran before this route: use express.raw({ type: 'application/json' })",
    );
  });

  it('refuses other non-raw values as not raw', async () => {
    for (const body of [42, true, [1, 2], { toString: () => PAYLOAD }]) {
      await expectReason(verifyStripeSignature(body, sign(PAYLOAD), options()), 'body_not_raw');
    }
  });

  it('refuses empty bodies', async () => {
    for (const body of ['', new Uint8Array(0), new ArrayBuffer(0), undefined, null]) {
      await expectReason(verifyStripeSignature(body, sign(PAYLOAD), options()), 'body_empty');
    }
  });

  it('refuses missing, empty and blank secrets, naming the blank one', async () => {
    for (const secrets of [[], [''], ['   '], ['\n']]) {
      await expectReason(
        verifyStripeSignature(PAYLOAD, sign(PAYLOAD), options({ secrets })),
        'missing_secret',
      );
    }
    const message = await expectReason(
      verifyStripeSignature(PAYLOAD, sign(PAYLOAD), options({ secrets: [SECRET, ' '] })),
      'missing_secret',
    );
    expect(message).toMatch(/index 1/);
    expect(message).toMatch(/stripe listen/);
  });

  it('refuses a secrets value that is not a list of strings', async () => {
    for (const secrets of [undefined, SECRET, [42]]) {
      await expectReason(
        verifyStripeSignature(PAYLOAD, sign(PAYLOAD), { secrets: secrets as unknown as string[] }),
        'missing_secret',
      );
    }
  });
});

describe('element trimming matches String.prototype.trim', () => {
  it.each(['\u00a0', '\ufeff', '\u2003', '\u3000', '\t', '\n'])(
    '%j around elements is trimmed',
    async (space) => {
      const { parseSignatureHeader } = await import('../../src/webhooks/signature-header.js');
      const sig = 'a'.repeat(64);
      expect(parseSignatureHeader(`${space}t=1700000000,${space}v1=${sig}${space}`)).toMatchObject({
        timestamp: 1700000000,
      });
      expect(parseSignatureHeader(`t=1700000000,${space}v1=${sig}${space}`).v1).toHaveLength(1);
    },
  );

  it('other control characters are not whitespace', async () => {
    const { parseSignatureHeader } = await import('../../src/webhooks/signature-header.js');
    expect(() => parseSignatureHeader(`t=1700000000,\u0001v1=${'a'.repeat(64)}`)).toThrow(/v1/);
  });
});
