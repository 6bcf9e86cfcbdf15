import Stripe from 'stripe';
import { afterEach, describe, expect, test } from 'vitest';
import { type Harness, MODES, rejection, startHarness } from './harness.js';

describe.each(MODES)('results, reports and the account (%s)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.close();
  });

  test('verified outputs need expand; dob and id_number need a restricted key', async () => {
    h = await startHarness(mode);
    const s = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      options: { document: { require_id_number: true } },
      provided_details: { email: 'jenny@example.com' },
    });
    await h.sim.submit(s.id, 'verified');
    const plain = await h.stripe.identity.verificationSessions.retrieve(s.id);
    expect(plain).not.toHaveProperty('verified_outputs');
    const outputs = await h.stripe.identity.verificationSessions.retrieve(s.id, {
      expand: ['verified_outputs'],
    });
    expect(outputs.verified_outputs).toMatchObject({
      first_name: 'Jenny',
      email: 'jenny@example.com',
      id_number_type: 'us_ssn',
    });
    expect(outputs.verified_outputs).not.toHaveProperty('dob');
    const sensitive = ['verified_outputs.dob', 'verified_outputs.id_number'];
    const denied = await rejection(
      h.stripe.identity.verificationSessions.retrieve(s.id, { expand: sensitive }),
    );
    expect(denied).toBeInstanceOf(Stripe.errors.StripePermissionError);
    const restricted = h.client('rk_test_identity');
    const full = await restricted.identity.verificationSessions.retrieve(s.id, { expand: sensitive });
    expect(full.verified_outputs).toMatchObject({
      dob: { day: 1, month: 1, year: 1990 },
      id_number: '000000000',
    });
  });

  test('reports: retrieve, list with filters, sensitive fields with a restricted key', async () => {
    h = await startHarness(mode);
    const a = await h.stripe.identity.verificationSessions.create({
      type: 'document',
      client_reference_id: 'ua',
    });
    const b = await h.stripe.identity.verificationSessions.create({
      type: 'id_number',
      client_reference_id: 'ub',
    });
    await h.sim.submit(a.id, 'document_expired');
    await h.sim.submit(a.id, 'verified');
    await h.sim.submit(b.id, 'id_number_mismatch');
    const session = await h.stripe.identity.verificationSessions.retrieve(a.id);
    expect(session.last_verification_report).toBe(h.sim.reports()[1]?.id);
    const reports = h.stripe.identity.verificationReports;
    const forA = await reports.list({ verification_session: a.id });
    expect(forA.data.map((r) => r.document?.status)).toEqual(['verified', 'unverified']);
    expect(forA.data[1]?.document?.error).toMatchObject({ code: 'document_expired' });
    const idNumber = await reports.list({ type: 'id_number' });
    expect(idNumber.data).toHaveLength(1);
    expect(idNumber.data[0]?.id_number).toMatchObject({
      status: 'unverified',
      error: { code: 'id_number_mismatch' },
    });
    const byRef = await reports.list({ client_reference_id: 'ub', limit: 1 });
    expect(byRef.data[0]?.verification_session).toBe(b.id);
    const id = forA.data[0]?.id ?? '';
    const report = await reports.retrieve(id);
    expect(report.document).not.toHaveProperty('number');
    const denied = await rejection(reports.retrieve(id, { expand: ['document.number'] }));
    expect(denied).toBeInstanceOf(Stripe.errors.StripePermissionError);
    const full = await h.client('rk_test_identity').identity.verificationReports.retrieve(id, {
      expand: ['document.number', 'document.dob', 'document.expiration_date'],
    });
    expect(full.document).toMatchObject({
      number: 'D0000000',
      dob: { year: 1990 },
      expiration_date: { year: 2030 },
    });
    const missing = await rejection(reports.retrieve('vr_missing'));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  test('account and webhook endpoints are readable for go-live checks', async () => {
    h = await startHarness(mode, {
      account: { settings: { branding: { primary_color: '#123456' } } },
    });
    h.sim.addWebhookEndpoint({
      url: 'http://127.0.0.1:9/hook',
      enabledEvents: ['identity.verification_session.redacted'],
    });
    const account = await h.stripe.accounts.retrieveCurrent();
    expect(account.id).toMatch(/^acct_/);
    expect(account.settings?.branding.primary_color).toBe('#123456');
    expect(account.settings?.dashboard.display_name).toBe('Simulated Business');
    const endpoints = await h.stripe.webhookEndpoints.list();
    expect(endpoints.data).toEqual([
      expect.objectContaining({
        object: 'webhook_endpoint',
        url: 'http://127.0.0.1:9/hook',
        status: 'enabled',
        enabled_events: ['identity.verification_session.redacted'],
        api_version: Stripe.API_VERSION,
      }),
    ]);
  });
});
