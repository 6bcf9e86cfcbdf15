/**
 * Decodes Stripe's form encoding (`options[document][allowed_types][0]=passport`, `expand[]=x`) into a
 * nested value. Objects are built without prototypes so keys such as `__proto__` stay plain data.
 */
import { invalidParam } from './api-error.js';

/** A decoded form value: a string, a list or a map, nested as the brackets say. */
export type FormValue = string | FormValue[] | FormObject;

/** A decoded form map. */
export interface FormObject {
  [key: string]: FormValue;
}

const MAX_DEPTH = 8;

function newObject(): FormObject {
  return Object.create(null) as FormObject;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw invalidParam(`Invalid URL encoding: ${part.slice(0, 50)}`);
  }
}

/** Splits `a[b][0]` into `['a', 'b', '0']`; `a[]` yields an empty segment meaning "append". */
function keySegments(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  let pos = open;
  while (pos < key.length) {
    const close = key.indexOf(']', pos);
    if (key[pos] !== '[' || close === -1) return [key];
    segments.push(key.slice(pos + 1, close));
    pos = close + 1;
  }
  return segments;
}

function assign(root: FormObject, segments: string[], value: string, fullKey: string): void {
  if (segments.length > MAX_DEPTH) throw invalidParam(`Parameter nested too deeply: ${fullKey}`, fullKey);
  let node: FormObject = root;
  for (let i = 0; i < segments.length; i += 1) {
    let segment = segments[i] ?? '';
    const last = i === segments.length - 1;
    if (segment === '') segment = String(Object.keys(node).length);
    const existing = node[segment];
    if (last) {
      if (existing !== undefined && typeof existing !== 'string') {
        throw invalidParam(`Invalid parameter structure for ${fullKey}`, fullKey);
      }
      node[segment] = value;
      return;
    }
    if (existing === undefined) {
      const child = newObject();
      node[segment] = child;
      node = child;
    } else if (typeof existing === 'string' || Array.isArray(existing)) {
      throw invalidParam(`Invalid parameter structure for ${fullKey}`, fullKey);
    } else {
      node = existing;
    }
  }
}

/** Maps whose keys are exactly 0..n-1 become lists (Stripe's indexed array form). */
function listify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = listify(value[key] as FormValue);
  const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
  return isList ? keys.map((key) => value[key] as FormValue) : value;
}

/** Decodes a query string or an `application/x-www-form-urlencoded` body. */
export function parseForm(text: string): FormObject {
  const root = newObject();
  if (text.length === 0) return root;
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    assign(root, keySegments(key), value, key);
  }
  for (const key of Object.keys(root)) root[key] = listify(root[key] as FormValue);
  return root;
}

/** Converts a decoded form into plain JSON-safe data (for logs and fingerprints). */
export function toPlain(value: FormValue): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(toPlain);
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, toPlain(value[key] as FormValue)]),
  );
}
