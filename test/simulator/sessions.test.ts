import Stripe from 'stripe';
import { afterEach, describe, expect, test } from 'vitest';
import { type Harness, MODES, rejection, startHarness } from './harness.js';

describe.each(MODES)('verification sessions (%s)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.close();
  });

  test('create returns a requires_input session with links, options and metadata', async () => {
    h = await startHarness(mode);
    const session = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      client_reference_id: 'user_1',
      metadata: { user_id: 'user_1' },
      options: { document: { allowed_types: ['passport', 'id_card'], require_matching_selfie: true } },
      return_url: 'https://app.example/return',
    });
    expect(session).toMatchObject({
      object: 'identity.verification_session',
      status: 'requires_input',
      type: 'document',
      client_reference_id: 'user_1',
      metadata: { user_id: 'user_1' },
      options: { document: { allowed_types: ['passport', 'id_card'], require_matching_selfie: true } },
      last_error: null,
      last_verification_report: null,
      livemode: false,
      redaction: null,
      created: Math.floor(h.sim.now() / 1000),
    });
    expect(session.id).toMatch(/^vs_1[0-9A-Za-z]{23}$/);
    expect(session.client_secret).toMatch(new RegExp(`^${session.id}_secret_`));
    expect(session.url).toBeTypeOf('string');
    expect(session).not.toHaveProperty('verified_outputs');
    expect(session).not.toHaveProperty('provided_details');
    expect(session.lastResponse.requestId).toMatch(/^req_/);
    expect(h.sim.session(session.id)).toEqual({ ...session });
    expect(h.sim.events.map((e) => e.type)).toEqual(['identity.verification_session.created']);
  });

  test('ids are reproducible from the seed', async () => {
    h = await startHarness(mode, { seed: 42 });
    const first = await h.stripe.identity.verificationSessions.create({ type: 'id_number' });
    await h.sim.close();
    h = await startHarness(mode, { seed: 42 });
    const again = await h.stripe.identity.verificationSessions.create({ type: 'id_number' });
    expect(again.id).toBe(first.id);
    expect(again.options).toEqual({ id_number: {} });
  });

  test('retrieve hands out a fresh link and revokes the previous one', async () => {
    h = await startHarness(mode);
    const created = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    const again = await h.stripe.identity.verificationSessions.retrieve(created.id);
    expect(again.url).not.toBe(created.url);
    expect(again.client_secret).not.toBe(created.client_secret);
    expect(h.sim.linkStatus(created.url ?? '')).toBe('revoked');
    expect(h.sim.linkStatus(created.client_secret ?? '')).toBe('revoked');
    expect(h.sim.linkStatus(again.url ?? '')).toBe('active');
  });

  test('update changes metadata and options; an empty value unsets a key', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      metadata: { a: '1', b: '2' },
    });
    const updated = await h.stripe.identity.verificationSessions.update(s.id, {
      metadata: { a: '', c: '3' },
      options: { document: { require_live_capture: true } },
      provided_details: { email: 'jenny@example.com' },
      expand: ['provided_details'],
    });
    expect(updated.metadata).toEqual({ b: '2', c: '3' });
    expect(updated.options).toEqual({ document: { require_live_capture: true } });
    expect(updated.provided_details).toEqual({ email: 'jenny@example.com' });
    const cleared = await h.stripe.identity.verificationSessions.update(s.id, { options: { document: '' } });
    expect(cleared.options).toEqual({ document: {} });
  });

  test('numeric metadata keys are accepted', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      metadata: { '0': 'x', '1': 'y' },
    });
    expect(s.metadata).toEqual({ '0': 'x', '1': 'y' });
  });

  test('metadata limits are Stripe’s: 50 keys, key 40 chars, value 500 chars', async () => {
    h = await startHarness(mode);
    const vs = h.stripe.identity.verificationSessions;
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await rejection(vs.create({ type: 'document', metadata: many }));
    expect(tooMany).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMany.param).toBe('metadata');
    const longKey = await rejection(vs.create({ type: 'document', metadata: { ['k'.repeat(41)]: 'v' } }));
    expect(longKey.message).toMatch(/40 characters/);
    const longValue = await rejection(vs.create({ type: 'document', metadata: { k: 'v'.repeat(501) } }));
    expect(longValue.param).toBe('metadata[k]');
    expect(h.sim.sessions()).toHaveLength(0);
  });

  test('list paginates newest first with cursors, and auto-pagination walks every page', async () => {
    h = await startHarness(mode);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const s = await h.stripe.identity.verificationSessions.create({
        type: 'document',
        client_reference_id: `u${i % 2}`,
      });
      ids.push(s.id);
      h.sim.advance(1000);
    }
    const newestFirst = [...ids].reverse();
    const page1 = await h.stripe.identity.verificationSessions.list({ limit: 2 });
    expect(page1).toMatchObject({
      object: 'list',
      has_more: true,
      url: '/v1/identity/verification_sessions',
    });
    expect(page1.data.map((s) => s.id)).toEqual(newestFirst.slice(0, 2));
    const page2 = await h.stripe.identity.verificationSessions.list({
      limit: 2,
      starting_after: newestFirst[1],
    });
    expect(page2.data.map((s) => s.id)).toEqual(newestFirst.slice(2, 4));
    const back = await h.stripe.identity.verificationSessions.list({
      limit: 2,
      ending_before: newestFirst[3],
    });
    expect(back.data.map((s) => s.id)).toEqual(newestFirst.slice(1, 3));
    expect(back.has_more).toBe(true);
    const all: string[] = [];
    for await (const s of h.stripe.identity.verificationSessions.list({ limit: 2 })) all.push(s.id);
    expect(all).toEqual(newestFirst);
    const byRef = await h.stripe.identity.verificationSessions.list({ client_reference_id: 'u1' });
    expect(byRef.data.map((s) => s.id)).toEqual([ids[3], ids[1]]);
    const created = Math.floor(h.sim.now() / 1000) - 5;
    const range = await h.stripe.identity.verificationSessions.list({
      created: { gte: created + 1, lt: created + 3 },
    });
    expect(range.data.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    const exact = await h.stripe.identity.verificationSessions.list({ created });
    expect(exact.data.map((s) => s.id)).toEqual([ids[0]]);
  });

  test('list filters by status and related_customer, and expands under data.', async () => {
    h = await startHarness(mode);
    const a = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      related_customer: 'cus_1',
    });
    const b = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    await h.sim.submit(a.id, 'verified');
    const verified = await h.stripe.identity.verificationSessions.list({
      status: 'verified',
      expand: ['data.last_verification_report', 'data.verified_outputs'],
    });
    expect(verified.data.map((s) => s.id)).toEqual([a.id]);
    const first = verified.data[0];
    expect(typeof first?.last_verification_report).toBe('object');
    expect(first?.verified_outputs?.first_name).toBe('Jenny');
    const open = await h.stripe.identity.verificationSessions.list({ status: 'requires_input' });
    expect(open.data.map((s) => s.id)).toEqual([b.id]);
    const byCustomer = await h.stripe.identity.verificationSessions.list({ related_customer: 'cus_1' });
    expect(byCustomer.data.map((s) => s.id)).toEqual([a.id]);
    const wrong = await rejection(
      h.stripe.identity.verificationSessions.list({ expand: ['verified_outputs'] }),
    );
    expect(wrong.message).toContain("'data.verified_outputs'");
  });

  test('cancel ends the session; the event carries the request id and idempotency key', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    const canceled = await h.stripe.identity.verificationSessions.cancel(
      s.id,
      {},
      { idempotencyKey: 'cancel-1' },
    );
    expect(canceled).toMatchObject({ status: 'canceled', url: null, client_secret: null });
    expect(h.sim.linkStatus(s.url ?? '')).toBe('revoked');
    const event = h.sim.events.at(-1);
    expect(event?.type).toBe('identity.verification_session.canceled');
    expect(event?.request).toEqual({ id: canceled.lastResponse.requestId, idempotency_key: 'cancel-1' });
  });

  test('redact a verified session: processing, then redacted with placeholders and an event', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      metadata: { user: 'u1' },
    });
    await h.sim.submit(s.id, 'verified');
    const redacting = await h.stripe.identity.verificationSessions.redact(s.id);
    expect(redacting).toMatchObject({
      status: 'verified',
      redaction: { status: 'processing' },
      metadata: {},
    });
    h.sim.advance(59_999);
    expect(h.sim.session(s.id)?.redaction).toEqual({ status: 'processing' });
    h.sim.advance(1);
    const after = await h.stripe.identity.verificationSessions.retrieve(s.id, {
      expand: ['verified_outputs', 'last_verification_report'],
    });
    expect(after.redaction).toEqual({ status: 'redacted' });
    expect(after.verified_outputs).toMatchObject({
      first_name: '[redacted]',
      last_name: '[redacted]',
      address: { line1: '[redacted]', country: 'US' },
    });
    expect(after.last_verification_report).toMatchObject({ document: { first_name: '[redacted]' } });
    expect(h.sim.events.at(-1)?.type).toBe('identity.verification_session.redacted');
    const update = await rejection(
      h.stripe.identity.verificationSessions.update(s.id, { metadata: { a: 'b' } }),
    );
    expect(update).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});
