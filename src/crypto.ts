/**
 * Hashing for the core (webhook signatures, user pseudonyms, idempotency keys), without importing
 * `node:crypto` or using `Buffer`, so the core runs on Node and edge runtimes alike.
 *
 * Web Crypto is the portable path. On Node it costs a thread-pool round trip per signature (about 40 µs against
 * about 8 µs for stripe-node's synchronous HMAC), so where the runtime offers `process.getBuiltinModule`
 * (Node ≥ 20.16, Bun, Deno, Workers with nodejs_compat) its own `createHmac` is used instead, found at run time and
 * never imported. Both compute the same bytes (a test holds them to it); the comparison stays ours either way.
 */

/** HMAC-SHA256 keyed with `secret`'s UTF-8 bytes (Stripe keys with the whole `whsec_…` string). */
/** A string message is hashed as its UTF-8 bytes (and never copied into a buffer first where the runtime can avoid it). */
export type HmacSha256 = (secret: string, message: string | Uint8Array<ArrayBuffer>) => Promise<Uint8Array>;

const encoder = new TextEncoder();

/**
 * Keys are prepared once per secret: importing costs as much as signing. The bound keeps a caller that passes many
 * different secrets (tests, misconfiguration) from growing the cache without limit.
 */
const MAX_CACHED_KEYS = 16;

function keyCache<K>(prepare: (secret: string) => K): (secret: string) => K {
  const keys = new Map<string, K>();
  return (secret) => {
    const cached = keys.get(secret);
    if (cached !== undefined) return cached;
    if (keys.size >= MAX_CACHED_KEYS) {
      const oldest = keys.keys().next();
      if (oldest.done !== true) keys.delete(oldest.value);
    }
    const key = prepare(secret);
    keys.set(secret, key);
    return key;
  };
}

/** Web Crypto HMAC, available on every runtime this package supports. */
export function webCryptoHmac(): HmacSha256 {
  const keyFor = keyCache((secret) =>
    globalThis.crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    ),
  );
  return async (secret, message) =>
    new Uint8Array(
      await globalThis.crypto.subtle.sign(
        'HMAC',
        await keyFor(secret),
        typeof message === 'string' ? encoder.encode(message) : message,
      ),
    );
}

/** The part of `node:crypto` used here, typed structurally so the core carries no Node types. */
interface NodeCryptoSubset {
  createSecretKey(key: Uint8Array): object;
  createHmac(
    algorithm: 'sha256',
    key: object,
  ): { update(data: string | Uint8Array): { digest(): Uint8Array } };
}

/**
 * The runtime's own HMAC through `process.getBuiltinModule('node:crypto')`, or `null` where there is none.
 *
 * @param runtime - The global object to look on; a parameter so that tests can present a runtime without it.
 */
export function builtinCryptoHmac(runtime: object = globalThis): HmacSha256 | null {
  const sync = builtinCryptoHmacSync(runtime);
  return sync ? async (secret, message) => sync(secret, message) : null;
}

/** A synchronous HMAC-SHA256, where the runtime has one. */
export type HmacSha256Sync = (secret: string, message: string | Uint8Array<ArrayBuffer>) => Uint8Array;

/**
 * The runtime's own HMAC, synchronous, or `null` where there is none. Callers on a hot path use it to
 * skip a promise per signature; everyone else uses {@link hmacSha256}.
 */
export function builtinCryptoHmacSync(runtime: object = globalThis): HmacSha256Sync | null {
  const host = (runtime as { process?: { getBuiltinModule?: unknown } }).process;
  const getBuiltinModule = host?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return null;
  let crypto: Partial<NodeCryptoSubset> | undefined;
  try {
    crypto = getBuiltinModule.call(host, 'node:crypto') as Partial<NodeCryptoSubset> | undefined;
  } catch {
    return null;
  }
  const { createHmac, createSecretKey } = crypto ?? {};
  if (typeof createHmac !== 'function' || typeof createSecretKey !== 'function') return null;
  const keyFor = keyCache((secret) => createSecretKey(encoder.encode(secret)));
  return (secret, message) => createHmac('sha256', keyFor(secret)).update(message).digest();
}

let selected: HmacSha256 | undefined;
let selectedSync: HmacSha256Sync | null | undefined;

/** The synchronous HMAC of this runtime, chosen on first use, or `null` (use {@link hmacSha256}). */
export function hmacSha256Sync(): HmacSha256Sync | null {
  if (selectedSync === undefined) selectedSync = builtinCryptoHmacSync();
  return selectedSync;
}

/** HMAC-SHA256 with the fastest backend this runtime has, chosen on first use. */
export const hmacSha256: HmacSha256 = (secret, message) => {
  selected ??= builtinCryptoHmac() ?? webCryptoHmac();
  return selected(secret, message);
};

/** The part of `node:crypto` used for plain digests. */
interface NodeHashSubset {
  createHash(algorithm: 'sha256'): { update(data: string): { digest(encoding: 'hex'): string } };
}

let hashBackend: ((text: string) => Promise<string>) | undefined;

function selectHash(): (text: string) => Promise<string> {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const nodeCrypto = host?.getBuiltinModule?.('node:crypto') as Partial<NodeHashSubset> | undefined;
    const createHash = nodeCrypto?.createHash;
    if (typeof createHash === 'function')
      return async (text) => createHash('sha256').update(text).digest('hex');
  } catch {
    // fall back to Web Crypto
  }
  return async (text) => {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text));
    return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  };
}

/** Lower-case hex SHA-256 of a string's UTF-8 bytes, with the fastest backend the runtime has. */
export function sha256Hex(text: string): Promise<string> {
  hashBackend ??= selectHash();
  return hashBackend(text);
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their length (XOR accumulation, no early exit), so a
 * forger learns nothing from how long a wrong guess took to reject.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}
