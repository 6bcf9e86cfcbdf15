import Stripe from 'stripe';
import { afterEach, describe, expect, test } from 'vitest';
import { IdentitySimulator } from '../../src/testing/index.js';
import { type Harness, MODES, rejection, startHarness } from './harness.js';

describe.each(MODES)('errors and idempotency (%s)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.close();
  });

  test('401 for a bad, publishable or unlisted key, with a masked key in the message', async () => {
    h = await startHarness(mode);
    const bad = await rejection(h.client('sk_test_').identity.verificationSessions.list());
    expect(bad).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(bad.statusCode).toBe(401);
    expect(bad.message).toBe('Invalid API Key provided: sk_test_****');
    const other = await rejection(h.client('xk_test_abcdefgh').identity.verificationSessions.list());
    expect(other.message).toBe('Invalid API Key provided: ****efgh');
    const publishable = await rejection(h.client('pk_test_123').identity.verificationSessions.list());
    expect(publishable).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(publishable.message).toMatch(/publishable API key/);
    expect(h.sim.requests.map((r) => r.status)).toEqual([401, 401, 401]);
  });

  test('apiKeys restricts the accepted keys', async () => {
    h = await startHarness(mode, { apiKeys: ['sk_test_only_this_one'] });
    const refused = await rejection(h.stripe.identity.verificationSessions.list());
    expect(refused.message).toBe('Invalid API Key provided: sk_test_****ator');
    const ok = await h.client('sk_test_only_this_one').identity.verificationSessions.list();
    expect(ok.data).toEqual([]);
  });

  test('404 resource_missing for unknown ids and for the other mode’s objects', async () => {
    h = await startHarness(mode);
    const missing = await rejection(h.stripe.identity.verificationSessions.retrieve('vs_nope'));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
    expect(missing.requestId).toBe(h.sim.requests.at(-1)?.requestId);
    expect(missing.doc_url).toBe('https://stripe.com/docs/error-codes/resource-missing');
    const test = await h.stripe.identity.verificationSessions.create({ type: 'document' });
    const live = h.client('sk_live_simulator');
    const hidden = await rejection(live.identity.verificationSessions.retrieve(test.id));
    expect(hidden.statusCode).toBe(404);
    const liveSession = await live.identity.verificationSessions.create({ type: 'document' });
    expect(liveSession.livemode).toBe(true);
    expect(liveSession.url).toMatch(/\/live_/);
    expect((await h.stripe.identity.verificationSessions.list()).data.map((s) => s.id)).toEqual([test.id]);
    const route = await rejection(h.stripe.rawRequest('GET', '/v1/identity/nothing_here'));
    expect(route).toMatchObject({ statusCode: 404 });
    expect(route.message).toMatch(/Unrecognized request URL \(GET: \/v1\/identity\/nothing_here\)/);
  });

  test('a malformed percent escape in an id is an unknown resource, not a 500', async () => {
    h = await startHarness(mode);
    const missing = await rejection(
      h.stripe.rawRequest('GET', '/v1/identity/verification_sessions/%E0%A4%A'),
    );
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect(h.sim.requests.at(-1)?.status).toBe(404);
  });

  test('400 for unknown and invalid parameters, naming the parameter', async () => {
    h = await startHarness(mode);
    const vs = h.stripe.identity.verificationSessions;
    const unknownTop = { type: 'document', colour: 'blue' } as const;
    const unknown = await rejection(vs.create(unknownTop));
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'colour' });
    expect(unknown.message).toBe('Received unknown parameter: colour');
    // Parameters stripe-node's types would refuse, as an untyped caller could still send them.
    const nestedParams = { type: 'document', options: { document: { require_selfie: true } } };
    const nested = await rejection(
      vs.create(nestedParams as unknown as Stripe.Identity.VerificationSessionCreateParams),
    );
    expect(nested).toMatchObject({ code: 'parameter_unknown', param: 'options[document][require_selfie]' });
    const badType = await rejection(vs.create({ type: 'selfie' }));
    expect(badType).toMatchObject({ statusCode: 400, param: 'type', type: 'StripeInvalidRequestError' });
    expect(badType.message).toBe('Invalid type: must be one of document or id_number');
    const badDoc = await rejection(
      vs.create({ type: 'document', options: { document: { allowed_types: ['passport', 'library_card'] } } }),
    );
    expect(badDoc).toMatchObject({ param: 'options[document][allowed_types][1]' });
    const badBool = { type: 'document', options: { document: { require_live_capture: 'yes' } } };
    const badBoolCall = vs.create(badBool as unknown as Stripe.Identity.VerificationSessionCreateParams);
    expect(await rejection(badBoolCall)).toMatchObject({
      param: 'options[document][require_live_capture]',
    });
    expect(await rejection(vs.create({ type: 'document', return_url: 'not a url' }))).toMatchObject({
      param: 'return_url',
    });
    expect(await rejection(vs.create({ type: 'document', client_reference_id: '' }))).toMatchObject({
      code: 'parameter_invalid_empty',
    });
    expect(await rejection(vs.list({ limit: 0 }))).toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'limit',
    });
    expect(await rejection(vs.list({ limit: 101 }))).toMatchObject({ code: 'parameter_invalid_integer' });
    expect(await rejection(vs.list({ starting_after: 'vs_nope' }))).toMatchObject({
      param: 'starting_after',
    });
    expect(await rejection(vs.retrieve('vs_x', { expand: ['secrets'] }))).toMatchObject({ param: 'expand' });
    expect(h.sim.sessions()).toHaveLength(0);
  });

  test('same idempotency key and params replays the first answer; other params fail', async () => {
    h = await startHarness(mode);
    const vs = h.stripe.identity.verificationSessions;
    const first = await vs.create(
      { type: 'document', client_reference_id: 'u1' },
      { idempotencyKey: 'attempt-1' },
    );
    const replay = await vs.create(
      { type: 'document', client_reference_id: 'u1' },
      { idempotencyKey: 'attempt-1' },
    );
    expect(replay).toEqual(first);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(replay.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect(replay.lastResponse.requestId).not.toBe(first.lastResponse.requestId);
    expect(h.sim.sessions()).toHaveLength(1);
    expect(h.sim.requests.map((r) => r.replayed)).toEqual([false, true]);
    const mismatch = await rejection(
      vs.create({ type: 'document', client_reference_id: 'u2' }, { idempotencyKey: 'attempt-1' }),
    );
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch.statusCode).toBe(400);
    const otherKey = await h
      .client('sk_test_other')
      .identity.verificationSessions.create(
        { type: 'document', client_reference_id: 'u1' },
        { idempotencyKey: 'attempt-1' },
      );
    expect(otherKey.id).not.toBe(first.id);
    h.sim.advance(24 * 60 * 60 * 1000);
    const afterExpiry = await vs.create(
      { type: 'document', client_reference_id: 'u2' },
      { idempotencyKey: 'attempt-1' },
    );
    expect(afterExpiry.id).not.toBe(first.id);
  });

  test('errors from a started endpoint are replayed; validation errors are not stored', async () => {
    h = await startHarness(mode);
    const vs = h.stripe.identity.verificationSessions;
    const s = await vs.create({ type: 'document' });
    await h.sim.submit(s.id, 'verified');
    const first = await rejection(vs.cancel(s.id, {}, { idempotencyKey: 'c1' }));
    const second = await rejection(vs.cancel(s.id, {}, { idempotencyKey: 'c1' }));
    expect(second.message).toBe(first.message);
    expect(h.sim.requests.at(-1)?.replayed).toBe(true);
    const invalid = { type: 'document', bogus: '1' } as const;
    await rejection(vs.create(invalid, { idempotencyKey: 'v1' }));
    const valid = await vs.create({ type: 'document' }, { idempotencyKey: 'v1' });
    expect(valid.status).toBe('requires_input');
  });
});

test('a missing Authorization header is a 401 in Stripe’s words', async () => {
  const sim = new IdentitySimulator();
  const target = await sim.listen();
  const response = await fetch(`${target.baseUrl}/v1/identity/verification_sessions`);
  expect(response.status).toBe(401);
  expect(response.headers.get('request-id')).toMatch(/^req_/);
  const body = (await response.json()) as { error: { type: string; message: string } };
  expect(body.error.type).toBe('invalid_request_error');
  expect(body.error.message).toMatch(/^You did not provide an API key/);
  await sim.close();
});
