/**
 * Small parser combinators that check decoded form parameters the way Stripe does: unknown names are
 * refused with `parameter_unknown`, wrong values with `invalid_request_error` naming the parameter.
 */
import { invalidParam } from './api-error.js';
import type { FormObject, FormValue } from './form.js';

/** Parses one decoded form value found at `path` (Stripe's bracket notation, used in error `param`). */
export interface Param<T> {
  readonly parse: (raw: FormValue, path: string) => T;
}

/** The value type a {@link Param} yields. */
export type ParamOf<P> = P extends Param<infer T> ? T : never;

/** A metadata change: `clear` empties the map first; a `null` value removes that key. */
export interface MetadataPatch {
  clear: boolean;
  set: Map<string, string | null>;
}

/** `created` filters: an exact second or a range. */
export type RangeFilter = number | { gt?: number; gte?: number; lt?: number; lte?: number };

function child(path: string, key: string): string {
  return path === '' ? key : `${path}[${key}]`;
}

function describe(raw: FormValue): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function emptyError(path: string): Error {
  return invalidParam(
    `You passed an empty string for '${path}'. We assume empty values are an attempt to unset a parameter; ` +
      `however '${path}' cannot be unset. You should remove '${path}' from your request or supply a non-empty value.`,
    path,
    'parameter_invalid_empty',
  );
}

function requireString(raw: FormValue, path: string): string {
  if (typeof raw !== 'string') throw invalidParam(`Invalid string: ${describe(raw)}`, path);
  if (raw === '') throw emptyError(path);
  return raw;
}

/** A non-empty string of at most `maxLength` characters (Stripe's default limit is 5000). */
export function str(maxLength = 5000): Param<string> {
  return {
    parse(raw, path) {
      const value = requireString(raw, path);
      if (value.length > maxLength) {
        throw invalidParam(`Invalid ${path}: must be at most ${maxLength} characters`, path);
      }
      return value;
    },
  };
}

/** One of a fixed set of strings. */
export function oneOf<const V extends string>(values: readonly V[]): Param<V> {
  return {
    parse(raw, path) {
      const value = requireString(raw, path);
      if (!(values as readonly string[]).includes(value)) {
        const list =
          values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values[0];
        throw invalidParam(`Invalid ${path}: must be one of ${list}`, path);
      }
      return value as V;
    },
  };
}

/** `true` or `false`. */
export function bool(): Param<boolean> {
  return {
    parse(raw, path) {
      const value = requireString(raw, path);
      if (value !== 'true' && value !== 'false') throw invalidParam(`Invalid boolean: ${value}`, path);
      return value === 'true';
    },
  };
}

/** An integer, optionally bounded. */
export function int(bounds: { min?: number; max?: number } = {}): Param<number> {
  return {
    parse(raw, path) {
      const value = requireString(raw, path);
      if (!/^-?\d+$/.test(value)) {
        throw invalidParam(`Invalid integer: ${value}`, path, 'parameter_invalid_integer');
      }
      const n = Number(value);
      if (bounds.min !== undefined && n < bounds.min) {
        throw invalidParam(
          `This value must be greater than or equal to ${bounds.min}.`,
          path,
          'parameter_invalid_integer',
        );
      }
      if (bounds.max !== undefined && n > bounds.max) {
        throw invalidParam(
          `This value must be less than or equal to ${bounds.max}.`,
          path,
          'parameter_invalid_integer',
        );
      }
      return n;
    },
  };
}

/** A list (`a[0]=x&a[1]=y` or `a[]=x`). */
export function list<T>(item: Param<T>): Param<T[]> {
  return {
    parse(raw, path) {
      if (!Array.isArray(raw)) throw invalidParam(`Invalid array`, path);
      return raw.map((value, index) => item.parse(value, `${path}[${index}]`));
    },
  };
}

/** A map with known fields; any other field is `parameter_unknown`. */
export function obj<F extends Record<string, Param<unknown>>>(
  fields: F,
): Param<{ [K in keyof F]?: ParamOf<F[K]> }> {
  return {
    parse(raw, path) {
      if (typeof raw === 'string' || Array.isArray(raw)) throw invalidParam('Invalid object', path);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(raw)) {
        const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
        const name = child(path, key);
        if (!field) throw invalidParam(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
        out[key] = field.parse(raw[key] as FormValue, name);
      }
      return out as { [K in keyof F]?: ParamOf<F[K]> };
    },
  };
}

/** Accepts an empty string as "clear" (`null`), as Stripe's `Emptyable` parameters do. */
export function emptyable<T>(inner: Param<T>): Param<T | null> {
  return { parse: (raw, path) => (raw === '' ? null : inner.parse(raw, path)) };
}

/**
 * The metadata map as sent. The form decoder reads keys `0..n-1` as a list, but metadata keys are free-form
 * strings (Stripe accepts `metadata[0]=x`), so a list's indices are its keys.
 */
function metadataEntries(raw: FormValue[] | FormObject): [string, FormValue][] {
  if (Array.isArray(raw)) return raw.map((value, index) => [String(index), value]);
  return Object.keys(raw).map((key) => [key, raw[key] as FormValue]);
}

/** `metadata[key]=value`; an empty value unsets a key and `metadata=` clears them all. */
export function metadata(): Param<MetadataPatch> {
  return {
    parse(raw, path) {
      if (raw === '') return { clear: true, set: new Map() };
      if (typeof raw === 'string') throw invalidParam('Invalid metadata: must be an object', path);
      const set = new Map<string, string | null>();
      for (const [key, value] of metadataEntries(raw)) {
        const name = child(path, key);
        if (typeof value !== 'string') throw invalidParam(`Invalid value for metadata key ${key}`, name);
        if (key.length > 40)
          throw invalidParam('Metadata keys can have a maximum length of 40 characters.', name);
        if (value.length > 500) {
          throw invalidParam(
            `Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters.`,
            name,
          );
        }
        set.set(key, value === '' ? null : value);
      }
      return { clear: false, set };
    },
  };
}

/** `created=123` or `created[gte]=123` (and `gt`, `lt`, `lte`). */
export function range(): Param<RangeFilter> {
  const bounds = obj({ gt: int(), gte: int(), lt: int(), lte: int() });
  const exact = int();
  return {
    parse: (raw, path) => (typeof raw === 'string' ? exact.parse(raw, path) : bounds.parse(raw, path)),
  };
}

/** Parses a whole request's parameters against `spec`. */
export function parseParams<T>(spec: Param<T>, raw: FormObject): T {
  return spec.parse(raw, '');
}

/** True when `seconds` passes a `created` filter. */
export function matchesRange(filter: RangeFilter | undefined, seconds: number): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'number') return seconds === filter;
  return (
    (filter.gt === undefined || seconds > filter.gt) &&
    (filter.gte === undefined || seconds >= filter.gte) &&
    (filter.lt === undefined || seconds < filter.lt) &&
    (filter.lte === undefined || seconds <= filter.lte)
  );
}
