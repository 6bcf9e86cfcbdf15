import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IdentitySimulator } from '../../src/testing/index.js';
import { StripeSchemas } from './schema-validator.js';

/** Raw JSON over the wire, exactly as stripe-node would receive it. */
interface Wire {
  status: number;
  body: Record<string, unknown>;
}

let sim: IdentitySimulator;
let base = '';
let schemas: StripeSchemas;
const seen: Array<{ label: string; schema: string; value: unknown }> = [];

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params = '',
  key = 'sk_test_schema',
  headers: Record<string, string> = {},
): Promise<Wire> {
  const url = method === 'GET' && params ? `${base}${path}?${params}` : `${base}${path}`;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    ...(method === 'POST' ? { body: params } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function collect(
  label: string,
  schema: string,
  wire: Promise<Wire>,
  status = 200,
): Promise<Record<string, unknown>> {
  const { status: actual, body } = await wire;
  expect(actual, label).toBe(status);
  seen.push({ label, schema, value: body });
  return body;
}

const S = '/v1/identity/verification_sessions';
const R = '/v1/identity/verification_reports';
const FULL_EXPAND =
  'expand[0]=verified_outputs.dob&expand[1]=verified_outputs.id_number&expand[2]=last_verification_report.document.number' +
  '&expand[3]=last_verification_report.document.dob&expand[4]=last_verification_report.id_number.id_number&expand[5]=provided_details';

beforeAll(async () => {
  schemas = new StripeSchemas();
  sim = new IdentitySimulator({ seed: 3 });
  base = (await sim.listen()).baseUrl;
  sim.addWebhookEndpoint({ url: 'http://127.0.0.1:9/hook', apiVersion: '2024-04-10' });
  sim.addWebhookEndpoint({
    handler: async () => new Response(null, { status: 204 }),
    enabledEvents: ['identity.verification_session.redacted'],
  });
  const session = 'identity.verification_session';
  const doc = await collect(
    'create document',
    session,
    call(
      'POST',
      S,
      'type=document&client_reference_id=u1&metadata[user]=u1&options[document][require_matching_selfie]=true&options[document][require_id_number]=true&options[document][allowed_types][0]=passport&provided_details[email]=jenny%40example.com&provided_details[phone]=%2B15555550100&return_url=https%3A%2F%2Fa.example%2Fr',
    ),
  );
  const idn = await collect(
    'create id_number',
    session,
    call(
      'POST',
      S,
      'type=id_number&related_customer=cus_1&related_person[account]=acct_1&related_person[person]=person_1',
    ),
  );
  await collect('create flow', session, call('POST', S, 'verification_flow=vf_1'));
  const docId = String(doc.id);
  const idnId = String(idn.id);
  await sim.submit(docId, 'selfie_face_mismatch');
  await collect(
    'failed',
    session,
    call('GET', `${S}/${docId}`, 'expand[0]=verified_outputs&expand[1]=last_verification_report'),
  );
  await sim.beginSubmission(docId);
  await collect('processing', session, call('GET', `${S}/${docId}`));
  await sim.completeSubmission(docId, 'verified');
  await collect('verified full', session, call('GET', `${S}/${docId}`, FULL_EXPAND, 'rk_test_schema'));
  await sim.submit(idnId, 'id_number_mismatch');
  await sim.submit(idnId, 'verified');
  await collect('verified id_number', session, call('GET', `${S}/${idnId}`, FULL_EXPAND, 'rk_test_schema'));
  await collect('redact verified', session, call('POST', `${S}/${docId}/redact`));
  const other = await collect('create', session, call('POST', S, 'type=document'));
  await collect('cancel', session, call('POST', `${S}/${String(other.id)}/cancel`));
  const third = await collect('create', session, call('POST', S, 'type=document&metadata[a]=b'));
  await sim.submit(String(third.id), 'consent_declined');
  await sim.submit(String(third.id), 'email_unverified_other');
  await collect(
    'update',
    session,
    call('POST', `${S}/${String(third.id)}`, 'metadata[a]=&options[document]='),
  );
  await collect('redact requires_input', session, call('POST', `${S}/${String(third.id)}/redact`));
  await sim.completeRedactions();
  await collect('redacted full', session, call('GET', `${S}/${docId}`, FULL_EXPAND, 'rk_test_schema'));
  await collect(
    'list sessions',
    `list:${session}`,
    call('GET', S, 'limit=3&expand[0]=data.verified_outputs&expand[1]=data.last_verification_report'),
  );
  const reports = await collect(
    'list reports',
    'list:identity.verification_report',
    call('GET', R, 'limit=100'),
  );
  for (const report of reports.data as Array<{ id: string }>) {
    await collect(
      `report ${report.id}`,
      'identity.verification_report',
      call(
        'GET',
        `${R}/${report.id}`,
        'expand[0]=document.number&expand[1]=document.dob&expand[2]=document.expiration_date&expand[3]=id_number.dob&expand[4]=id_number.id_number',
        'rk_test_schema',
      ),
    );
  }
  await collect('account', 'account', call('GET', '/v1/account'));
  const created = await collect(
    'create webhook endpoint',
    'webhook_endpoint',
    call(
      'POST',
      '/v1/webhook_endpoints',
      'url=https%3A%2F%2Fa.example%2Fhook&enabled_events[0]=identity.verification_session.verified&enabled_events[1]=identity.verification_session.redacted&description=ours&metadata[team]=id',
    ),
  );
  expect(created.secret).toMatch(/^whsec_/);
  const endpointPath = `/v1/webhook_endpoints/${String(created.id)}`;
  await collect('retrieve webhook endpoint', 'webhook_endpoint', call('GET', endpointPath));
  await collect(
    'update webhook endpoint',
    'webhook_endpoint',
    call('POST', endpointPath, 'disabled=true&description='),
  );
  await collect('webhook endpoints', 'list:webhook_endpoint', call('GET', '/v1/webhook_endpoints'));
  await collect('delete webhook endpoint', 'deleted_webhook_endpoint', call('DELETE', endpointPath));
  await collect(
    '400 endpoint url',
    'error',
    call('POST', '/v1/webhook_endpoints', 'url=nope&enabled_events[0]=*'),
    400,
  );
  sim.setAccount({
    country: 'FR',
    business_profile: { support_url: 'https://a.example/help' },
    settings: { branding: { icon: 'file_1', primary_color: '#112233' } },
  });
  await collect('account with branding', 'account', call('GET', '/v1/account'));
  await collect('401', 'error', call('GET', S, '', 'sk_test_'), 401);
  await collect('403', 'error', call('GET', `${S}/${docId}`, 'expand[0]=verified_outputs.dob'), 403);
  await collect('404', 'error', call('GET', `${S}/vs_missing`), 404);
  await collect('404 route', 'error', call('GET', '/v1/nothing'), 404);
  await collect('400 unknown', 'error', call('POST', S, 'type=document&nope=1'), 400);
  await collect('400 state', 'error', call('POST', `${S}/${docId}/cancel`), 400);
  await call('POST', S, 'type=document', 'sk_test_schema', { 'idempotency-key': 'k' });
  await collect(
    '400 idempotency',
    'error',
    call('POST', S, 'type=id_number', 'sk_test_schema', { 'idempotency-key': 'k' }),
    400,
  );
  sim.failNext({ kind: 'http_429' });
  await collect('429', 'error', call('GET', S), 429);
  sim.failNext({ kind: 'http_500' });
  await collect('500', 'error', call('GET', S), 500);
  await sim.flushWebhooks();
  for (const event of sim.events) seen.push({ label: `event ${event.type}`, schema: 'event', value: event });
});

afterAll(async () => {
  await sim.close();
});

describe('every object the simulator returns matches Stripe’s OpenAPI schema (made strict)', () => {
  test('sessions, reports, lists, events, errors and the account', () => {
    expect(seen.length).toBeGreaterThan(40);
    const failures = seen.flatMap(({ label, schema, value }) =>
      schemas.errors(schema, value).map((e) => `${label} (${schema}): ${e}`),
    );
    expect(failures).toEqual([]);
  });

  test('the strict schema catches drift: an unknown field, a wrong enum, a missing field', () => {
    const session = seen.find((s) => s.label === 'create document')?.value as Record<string, unknown>;
    expect(schemas.errors('identity.verification_session', session)).toEqual([]);
    expect(
      schemas.errors('identity.verification_session', { ...session, return_url: 'https://a.example' }),
    ).not.toEqual([]);
    expect(schemas.errors('identity.verification_session', { ...session, status: 'pending' })).not.toEqual(
      [],
    );
    const { url: _url, ...withoutUrl } = session;
    expect(schemas.errors('identity.verification_session', withoutUrl)).not.toEqual([]);
  });

  test('every event type, sensitive and redacted variants were exercised', () => {
    const types = new Set(sim.events.map((e) => e.type));
    expect(types.size).toBe(6);
    const full = seen.find((s) => s.label === 'verified full')?.value as {
      verified_outputs: Record<string, unknown>;
    };
    expect(full.verified_outputs).toHaveProperty('dob');
    const redacted = seen.find((s) => s.label === 'redacted full')?.value as {
      verified_outputs: { first_name: string };
    };
    expect(redacted.verified_outputs.first_name).toBe('[redacted]');
  });
});
