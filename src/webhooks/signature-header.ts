import { duplicatedHeader, malformedHeader, missingHeader, noV1Signature } from './signature-messages.js';

/**
 * Longest `Stripe-Signature` value accepted. Stripe's is about 150 characters per signature and carries one
 * signature per active secret; the bound keeps a hostile header from costing more than a glance.
 */
export const MAX_SIGNATURE_HEADER_LENGTH = 8192;

/** Length in bytes of an HMAC-SHA256 signature. */
const SIGNATURE_BYTES = 32;

/** A `Stripe-Signature` header, read. */
export interface SignatureHeader {
  /** The signing time `t`, in unix seconds. */
  timestamp: number;
  /**
   * The well-formed `v1` signatures, decoded to bytes. A `v1` value that is not 64 lower-case hex digits cannot
   * equal any HMAC we compute, so it is dropped here rather than compared.
   */
  v1: Uint8Array[];
}

/**
 * Reads a `Stripe-Signature` header (`t=…,v1=…,v1=…,v0=…`). Schemes other than `v1` are ignored so that a
 * forged weaker scheme can never be accepted.
 *
 * @throws WebhookSignatureError `missing_header`, `malformed_header` or `no_v1_signature`.
 */
export function parseSignatureHeader(header: unknown): SignatureHeader {
  if (Array.isArray(header)) throw duplicatedHeader();
  if (header === null || header === undefined) throw missingHeader();
  if (typeof header !== 'string') throw malformedHeader(`expected text, got ${typeof header}`);
  if (header.trim() === '') throw missingHeader();
  if (header.length > MAX_SIGNATURE_HEADER_LENGTH) {
    throw malformedHeader(`it is longer than ${MAX_SIGNATURE_HEADER_LENGTH} characters`);
  }

  let timestamp: number | undefined;
  let v1Count = 0;
  const v1: Uint8Array[] = [];
  // A hand-rolled scan: this runs once per delivery, and split/trim/regex allocate on a hot path.
  let start = 0;
  while (start <= header.length) {
    let end = header.indexOf(',', start);
    if (end < 0) end = header.length;
    let from = start;
    let to = end;
    while (from < to && isTrimmed(header.charCodeAt(from))) from += 1;
    while (to > from && isTrimmed(header.charCodeAt(to - 1))) to -= 1;
    start = end + 1;
    if (from === to) continue;
    const eq = header.indexOf('=', from);
    if (eq <= from || eq >= to) throw malformedHeader('an element is not of the form key=value');
    if (eq === from + 1 && header.charCodeAt(from) === 116 /* t */) {
      // Two timestamps mean two headers were joined (Node and fetch join duplicates with ', '): refuse to guess.
      if (timestamp !== undefined)
        throw malformedHeader('it holds more than one timestamp (t=); it was probably duplicated');
      timestamp = parseSeconds(header, eq + 1, to);
    } else if (
      eq === from + 2 &&
      header.charCodeAt(from) === 118 /* v */ &&
      header.charCodeAt(from + 1) === 49 /* 1 */
    ) {
      v1Count += 1;
      const bytes = decodeLowerHex(header, eq + 1, to);
      if (bytes !== null) v1.push(bytes);
    }
  }
  if (timestamp === undefined) throw malformedHeader('it has no timestamp (t=)');
  if (v1Count === 0) throw noV1Signature();
  return { timestamp, v1 };
}

/** Digits of `text[from, to)` as whole seconds (1 to 15 digits), or a `malformed_header` error. */
function parseSeconds(text: string, from: number, to: number): number {
  if (to - from < 1 || to - from > 15)
    throw malformedHeader('the timestamp (t=) is not a whole number of seconds');
  let value = 0;
  for (let i = from; i < to; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) throw malformedHeader('the timestamp (t=) is not a whole number of seconds');
    value = value * 10 + digit;
  }
  return value;
}

/** Decodes exactly 64 lower-case hex digits (Stripe's format) to 32 bytes, or `null` for anything else. */
function decodeLowerHex(text: string, from: number, to: number): Uint8Array | null {
  if (to - from !== SIGNATURE_BYTES * 2) return null;
  const bytes = new Uint8Array(SIGNATURE_BYTES);
  for (let i = 0; i < SIGNATURE_BYTES; i += 1) {
    const high = hexDigit(text.charCodeAt(from + 2 * i));
    const low = hexDigit(text.charCodeAt(from + 2 * i + 1));
    if (high < 0 || low < 0) return null;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

/** Exactly the characters `String.prototype.trim` removes (white space and line terminators). */
function isTrimmed(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  return -1;
}
