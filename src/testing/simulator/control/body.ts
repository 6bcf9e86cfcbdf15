/** Reads a control request's body: JSON, or the form encoding curl sends with `-d`. */
import { StripeApiFailure } from '../api-error.js';
import type { RawApiRequest } from '../dispatch.js';
import { parseForm, toPlain } from '../form.js';

/** A control request's fields, whatever the encoding. */
export type ControlFields = Record<string, unknown>;

/** The body as an object; an empty body is `{}`. */
export function readFields(req: RawApiRequest): ControlFields {
  const type = req.headers['content-type'] ?? '';
  const text = req.body.trim();
  if (text === '') return {};
  if (type.includes('json') || text.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as ControlFields;
    } catch {
      // reported below
    }
    throw badRequest('The body must be a JSON object (or a form such as outcome=verified).');
  }
  return toPlain(parseForm(text)) as ControlFields;
}

/** A 400 answer for the control API. */
export function badRequest(message: string): StripeApiFailure {
  return new StripeApiFailure({ status: 400, type: 'invalid_request_error', message });
}

/** `fields[name]` as a string, or undefined. */
export function stringField(fields: ControlFields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`${name} must be a string`);
}

/** `fields[name]` as a finite number (form values arrive as strings), or undefined. */
export function numberField(fields: ControlFields, name: string): number | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value)) throw badRequest(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}
