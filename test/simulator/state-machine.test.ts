import Stripe from 'stripe';
import { afterEach, describe, expect, test } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { type Harness, MODES, rejection, startHarness } from './harness.js';

const TYPES = (h: Harness) => h.sim.events.map((e) => e.type.replace('identity.verification_session.', ''));

describe.each(MODES)('state machine (%s)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.close();
  });

  test('submit: processing with a new report, then verified', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.beginSubmission(s.id);
    const processing = await h.stripe.identity.verificationSessions.retrieve(s.id);
    expect(processing).toMatchObject({ status: 'processing', url: null, client_secret: null });
    expect(processing.last_verification_report).toMatch(/^vr_/);
    expect(h.sim.linkStatus(s.url ?? '')).toBe('revoked');
    await h.sim.completeSubmission(s.id, 'verified');
    const verified = await h.stripe.identity.verificationSessions.retrieve(s.id);
    expect(verified).toMatchObject({ status: 'verified', last_error: null, url: null });
    expect(TYPES(h)).toEqual(['created', 'processing', 'verified']);
  });

  test('a failed check returns to requires_input with last_error; each attempt has its own report', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.submit(s.id, 'selfie_face_mismatch');
    const failed = await h.stripe.identity.verificationSessions.retrieve(s.id);
    expect(failed.status).toBe('requires_input');
    expect(failed.last_error?.code).toBe('selfie_face_mismatch');
    expect(failed.last_error?.reason).toBeTypeOf('string');
    expect(failed.url).toBeTypeOf('string');
    const firstReport = failed.last_verification_report;
    await h.sim.submit(s.id, 'verified');
    const verified = await h.stripe.identity.verificationSessions.retrieve(s.id);
    expect(verified.last_verification_report).not.toBe(firstReport);
    expect(h.sim.reports()).toHaveLength(2);
    expect(TYPES(h)).toEqual(['created', 'processing', 'requires_input', 'processing', 'verified']);
  });

  test('unknown but well-formed codes pass through (Stripe’s enum is open); malformed ones are refused', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.submit(s.id, 'address_mismatch');
    expect(h.sim.session(s.id)?.last_error?.code).toBe('address_mismatch');
    await expect(h.sim.submit(s.id, 'Not A Code')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(h.sim.submit('vs_unknown', 'verified')).rejects.toBeInstanceOf(InvalidInputError);
  });

  test('forbidden transitions are typed Stripe errors and change nothing', async () => {
    h = await startHarness(mode);
    const vs = h.stripe.identity.verificationSessions;
    const processing = await vs.create({ type: 'document' });
    await h.sim.beginSubmission(processing.id);
    const verified = await vs.create({ type: 'document' });
    await h.sim.submit(verified.id, 'verified');
    const canceled = await vs.create({ type: 'document' });
    await vs.cancel(canceled.id);
    const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
      ['cancel processing', () => vs.cancel(processing.id), /processing/],
      ['cancel verified', () => vs.cancel(verified.id), /verified/],
      ['cancel canceled', () => vs.cancel(canceled.id), /canceled/],
      ['update processing', () => vs.update(processing.id, { metadata: { a: '1' } }), /processing/],
      ['update verified', () => vs.update(verified.id, { metadata: { a: '1' } }), /verified/],
      ['update canceled', () => vs.update(canceled.id, { type: 'id_number' }), /canceled/],
      ['redact processing', () => vs.redact(processing.id), /processing/],
    ];
    const before = h.sim.events.length;
    for (const [name, call, message] of cases) {
      const error = await rejection(call());
      expect(error, name).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.statusCode, name).toBe(400);
      expect(error.message, name).toMatch(message);
    }
    expect(h.sim.events.length).toBe(before);
    expect(h.sim.session(processing.id)?.status).toBe('processing');
    await expect(h.sim.submit(canceled.id, 'verified')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(h.sim.completeSubmission(verified.id, 'verified')).rejects.toBeInstanceOf(InvalidInputError);
  });

  test('redacting requires_input cancels first, then redacts after simulated time', async () => {
    h = await startHarness(mode, { redactionDelayMs: 5_000 });
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      metadata: { user: 'u' },
    });
    const redacted = await h.stripe.identity.verificationSessions.redact(s.id);
    expect(redacted).toMatchObject({
      status: 'canceled',
      redaction: { status: 'processing' },
      url: null,
      client_secret: null,
      metadata: {},
    });
    expect(TYPES(h)).toEqual(['created', 'canceled']);
    h.sim.advance(5_000);
    expect(TYPES(h)).toEqual(['created', 'canceled', 'redacted']);
    expect(h.sim.session(s.id)?.redaction).toEqual({ status: 'redacted' });
  });

  test('the canceled event of a redaction already shows the redaction and no metadata', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      metadata: { user: 'u' },
    });
    await h.stripe.identity.verificationSessions.redact(s.id);
    const canceled = h.sim.events.find((e) => e.type === 'identity.verification_session.canceled');
    expect(canceled?.data.object).toMatchObject({
      status: 'canceled',
      redaction: { status: 'processing' },
      metadata: {},
    });
  });

  test('changing the type drops the options of the old type', async () => {
    h = await startHarness(mode);
    const vs = h.stripe.identity.verificationSessions;
    const s = await vs.create({ type: 'id_number' });
    const document = await vs.update(s.id, {
      type: 'document',
      options: { document: { require_matching_selfie: true } },
    });
    expect(document.options).toEqual({ document: { require_matching_selfie: true } });
    const back = await vs.update(s.id, { type: 'id_number' });
    expect(back.options).toEqual({ id_number: {} });
    const plain = await vs.update(s.id, { type: 'document' });
    expect(plain.options).toEqual({ document: {} });
  });

  test('canceled sessions can be redacted; completeRedactions forces the end; redacting twice changes nothing', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.stripe.identity.verificationSessions.cancel(s.id);
    await h.stripe.identity.verificationSessions.redact(s.id);
    await h.sim.completeRedactions();
    const again = await h.stripe.identity.verificationSessions.redact(s.id);
    expect(again.redaction).toEqual({ status: 'redacted' });
    expect(TYPES(h)).toEqual(['created', 'canceled', 'redacted']);
    expect(await h.sim.flushWebhooks()).toBeUndefined();
  });

  test('verification_flow sessions and validation of type', async () => {
    h = await startHarness(mode);
    const flow = await h.stripe.identity.verificationSessions.create({ verification_flow: 'vf_123' });
    expect(flow).toMatchObject({ type: 'verification_flow', verification_flow: 'vf_123', options: {} });
    const missing = await rejection(h.stripe.identity.verificationSessions.create({}));
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'type' });
    const both = await rejection(
      h.stripe.identity.verificationSessions.create({ type: 'document', verification_flow: 'vf_1' }),
    );
    expect(both).toMatchObject({ code: 'parameters_exclusive' });
  });
});
