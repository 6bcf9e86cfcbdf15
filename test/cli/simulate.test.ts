import { createServer } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { type BuiltCli, buildCli, type RunningSimulator, runCli, startSimulate } from './binary.js';
import { type Receiver, startReceiver } from './receiver.js';

// Each test spawns the binary (a Node start-up or more); a busy CI machine needs the headroom.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const SECRET = 'whsec_cliTestSecret0123456789';
const T = 'identity.verification_session';

let cli: BuiltCli;
let sim: RunningSimulator;
let receiver: Receiver;
let stripe: Stripe;

/** Calls the control API with a JSON body (or a form body, as curl -d sends). */
async function control(
  method: string,
  path: string,
  body?: Record<string, unknown> | string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = typeof body === 'string';
  const response = await fetch(`${sim.base}/_simulator/${path}`, {
    method,
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const typesReceived = () => receiver.received.map((r) => r.event.type);

beforeAll(async () => {
  cli = await buildCli();
  receiver = await startReceiver(() => SECRET);
  sim = await startSimulate(cli, [
    '--port',
    '0',
    '--forward-to',
    receiver.url,
    '--webhook-secret',
    SECRET,
    '--seed',
    '7',
  ]);
  const url = new URL(sim.base);
  stripe = new Stripe('sk_test_cli', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  await receiver?.close();
  cli?.dispose();
});

beforeEach(async () => {
  expect((await control('POST', 'reset')).status).toBe(200);
  receiver.received.length = 0;
  receiver.rejected.length = 0;
  receiver.failNext(0);
});

describe('stripe-identity-kit simulate (the real binary over HTTP)', () => {
  test('prints its address and the given secret; the API answers stripe-node', async () => {
    expect(sim.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.secret).toBe(SECRET);
    const session = await stripe.identity.verificationSessions.create({ type: 'document' });
    expect(session.status).toBe('requires_input');
    expect(session.url?.startsWith(`${sim.base}/verify/`)).toBe(true);
    // Wall clock: `created` is now, not the library's fixed test date.
    expect(Math.abs(session.created - Date.now() / 1000)).toBeLessThan(5);
    await receiver.until((r) => r.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // One line per call and per delivery, never the key.
    expect(sim.output()).toMatch(
      /\d\d:\d\d:\d\d {2}POST \/v1\/identity\/verification_sessions 200 req_\w+\n/,
    );
    expect(sim.output()).toMatch(/--> identity\.verification_session\.created evt_\w+ \[200\] attempt 1\n/);
    expect(sim.output()).not.toContain('sk_test_cli');
  });

  test('submit (JSON) verifies the session; its events reach --forward-to signed, in any order', async () => {
    const session = await stripe.identity.verificationSessions.create({ type: 'document' });
    const answer = await control('POST', `sessions/${session.id}/submit`, { outcome: 'verified' });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('verified');
    await receiver.until(() => typesReceived().includes(`${T}.verified`));
    expect(new Set(typesReceived())).toEqual(new Set([`${T}.created`, `${T}.processing`, `${T}.verified`]));
    expect(receiver.rejected).toEqual([]);
    expect((await stripe.identity.verificationSessions.retrieve(session.id)).status).toBe('verified');
  });

  test('events of live-mode objects are forwarded too', async () => {
    const url = new URL(sim.base);
    const live = new Stripe('sk_live_cli', { host: url.hostname, port: Number(url.port), protocol: 'http' });
    const session = await live.identity.verificationSessions.create({ type: 'document' });
    await receiver.until((r) =>
      r.some((x) => x.event.livemode && (x.event.data.object as { id: string }).id === session.id),
    );
    expect(receiver.rejected).toEqual([]);
  });

  test('submit (form, as curl -d) with a last_error code leaves requires_input', async () => {
    const session = await stripe.identity.verificationSessions.create({ type: 'document' });
    const answer = await control('POST', `sessions/${session.id}/submit`, 'outcome=document_expired');
    expect(answer.body.status).toBe('requires_input');
    expect((answer.body.last_error as { code: string }).code).toBe('document_expired');
    await receiver.until(() => typesReceived().includes(`${T}.requires_input`));
  });

  test('a slow submission stays processing between begin and complete', async () => {
    const session = await stripe.identity.verificationSessions.create({ type: 'document' });
    await control('POST', `sessions/${session.id}/begin_submission`);
    expect((await stripe.identity.verificationSessions.retrieve(session.id)).status).toBe('processing');
    const done = await control(
      'POST',
      `sessions/${session.id}/complete_submission`,
      'outcome=selfie_face_mismatch',
    );
    expect(done.body.status).toBe('requires_input');
  });

  test('redacted is delivered to --forward-to once the redaction completes (advance)', async () => {
    const session = await stripe.identity.verificationSessions.create({ type: 'document' });
    await control('POST', `sessions/${session.id}/submit`, { outcome: 'verified' });
    await stripe.identity.verificationSessions.redact(session.id);
    const advanced = await control('POST', 'advance', 'ms=60000');
    expect(advanced.status).toBe(200);
    expect(advanced.body.now).toBeGreaterThan(Date.now() + 50_000);
    await receiver.until(() => typesReceived().includes(`${T}.redacted`));
    expect(receiver.rejected).toEqual([]);
  });

  test('a non-2xx answer is retried with backoff (10 s, then doubling)', async () => {
    receiver.failNext(1);
    const session = await stripe.identity.verificationSessions.create({ type: 'document' });
    await receiver.until((r) => r.length === 1);
    expect(receiver.received[0]?.answered).toBe(500);
    // 5 s of the 10 s backoff (the wall clock adds the real time the test takes): not retried yet.
    await control('POST', 'advance', { ms: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
    await control('POST', 'advance', { ms: 5_500 });
    await receiver.until((r) => r.length === 2);
    expect(receiver.received[1]?.answered).toBe(200);
    expect(receiver.received[1]?.event.id).toBe(receiver.received[0]?.event.id);
    const deliveries = (await control('GET', 'deliveries')).body.data as Array<{
      attempt: number;
      status: number;
    }>;
    expect(deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(session.id).toBeTruthy();
  });

  test('faults through the control API: 500, 429, reset, after-phase, slow', async () => {
    const sessions = stripe.identity.verificationSessions;
    expect((await control('POST', 'faults', 'kind=http_500&method=POST')).status).toBe(200);
    await expect(sessions.create({ type: 'document' })).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    await control('POST', 'faults', { kind: 'http_429' });
    await expect(sessions.list()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    // stripe-node retries a dropped connection once by itself: two resets reach the caller.
    await control('POST', 'faults', { kind: 'reset', count: 2 });
    await expect(sessions.list()).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await control('POST', 'faults', {
      kind: 'http_500',
      phase: 'after',
      match: { path: '/v1/identity/verification_sessions' },
    });
    await expect(sessions.create({ type: 'document' })).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect((await sessions.list()).data).toHaveLength(1);
    await control('POST', 'faults', 'kind=slow&delay_ms=500&path_pattern=^/v1/identity/');
    await expect(sessions.list({}, { timeout: 100 })).rejects.toThrow(/timeout/);
    await control('POST', 'faults', 'kind=http_500&count=5');
    expect((await control('DELETE', 'faults')).status).toBe(200);
    expect((await sessions.list()).data).toHaveLength(1);
    const bad = await control('POST', 'faults', { kind: 'meteor' });
    expect(bad.status).toBe(400);
  });

  test('GET /_simulator/requests lists every call, without keys or bodies', async () => {
    await stripe.identity.verificationSessions.create({ type: 'document', metadata: { user: 'u1' } });
    await stripe.identity.verificationSessions.list({ limit: 3 });
    const log = (await control('GET', 'requests')).body.data as Array<Record<string, unknown>>;
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /v1/identity/verification_sessions 200',
      'GET /v1/identity/verification_sessions 200',
    ]);
    expect(log[1]?.query).toEqual({ limit: '3' });
    expect(JSON.stringify(log)).not.toContain('sk_test_cli');
    expect(JSON.stringify(log)).not.toContain('u1');
  });

  test('reset forgets sessions and logs but keeps forwarding', async () => {
    const first = await stripe.identity.verificationSessions.create({ type: 'document' });
    await control('POST', 'reset');
    expect((await control('GET', 'requests')).body.data).toEqual([]);
    await expect(stripe.identity.verificationSessions.retrieve(first.id)).rejects.toMatchObject({
      statusCode: 404,
    });
    await stripe.identity.verificationSessions.create({ type: 'document' });
    await receiver.until((r) => r.some((x) => x.event.type === `${T}.created`));
  });

  test('a session url opens the hosted page in a browser; a choice redirects to return_url', async () => {
    const session = await stripe.identity.verificationSessions.create({
      type: 'document',
      return_url: 'https://app.example/back',
    });
    const page = await fetch(session.url ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-outcome="verified"');
    const chosen = await fetch(session.url ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=verified',
      redirect: 'manual',
    });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe('https://app.example/back');
    expect((await stripe.identity.verificationSessions.retrieve(session.id)).status).toBe('verified');
  });

  test('control API mistakes are answered, not crashed on', async () => {
    expect((await control('POST', 'sessions/vs_missing/submit', { outcome: 'verified' })).status).toBe(404);
    const session = await stripe.identity.verificationSessions.create({ type: 'document' });
    expect((await control('POST', `sessions/${session.id}/submit`, { outcome: '' })).status).toBe(400);
    expect((await control('POST', `sessions/${session.id}/submit`, { outcome: ['verified'] })).status).toBe(
      400,
    );
    expect((await control('POST', 'advance', { ms: -1 })).status).toBe(400);
    expect((await control('GET', 'nothing')).status).toBe(404);
    const broken = await fetch(`${sim.base}/_simulator/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(broken.status).toBe(400);
  });

  test('the account answered by GET /v1/account can be changed through the control API', async () => {
    await control('POST', 'account', { country: 'FR', settings: { branding: { primary_color: '#123456' } } });
    const account = await stripe.accounts.retrieveCurrent();
    expect(account.country).toBe('FR');
    expect(account.settings?.branding.primary_color).toBe('#123456');
    expect(account.business_profile?.name).toBe('Simulated Business');
  });
});

describe('simulate: secrets, seeds, ports and stopping', () => {
  test('generates a signing secret when none is given, and deliveries verify with it', async () => {
    let secret = '';
    const own = await startReceiver(() => secret);
    const other = await startSimulate(cli, ['--port', '0', '--forward-to', own.url]);
    try {
      secret = other.secret;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
      expect(secret).not.toBe(SECRET);
      const url = new URL(other.base);
      const client = new Stripe('sk_test_x', {
        host: url.hostname,
        port: Number(url.port),
        protocol: 'http',
      });
      await client.identity.verificationSessions.create({ type: 'document' });
      await own.until((r) => r.length === 1);
      expect(own.rejected).toEqual([]);
    } finally {
      await other.stop();
      await own.close();
    }
  });

  test('the same --seed gives the same ids; --quiet prints no traffic', async () => {
    const ids: string[] = [];
    for (let run = 0; run < 2; run += 1) {
      const other = await startSimulate(cli, ['--port', '0', '--seed', '42', '--quiet']);
      const url = new URL(other.base);
      const client = new Stripe('sk_test_x', {
        host: url.hostname,
        port: Number(url.port),
        protocol: 'http',
      });
      ids.push((await client.identity.verificationSessions.create({ type: 'document' })).id);
      const { output } = await other.stop();
      expect(output).not.toContain('POST /v1/');
    }
    expect(ids[0]).toBe(ids[1]);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('%s stops it cleanly and frees the port', async (signal) => {
    const other = await startSimulate(cli, ['--port', '0']);
    const port = Number(new URL(other.base).port);
    const { code, output } = await other.stop(signal);
    expect(code).toBe(0);
    expect(output).toContain(`Stopped (${signal}).`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    server.close();
  });

  test('a port in use is reported (exit 1), not a crash', async () => {
    const port = Number(new URL(sim.base).port);
    const run = await runCli(cli, ['simulate', '--port', String(port)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  });
});
