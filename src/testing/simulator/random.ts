/**
 * Seeded pseudo-random streams. Each concern (object ids, request ids, secrets, faults, deliveries) draws
 * from its own stream so that, for example, injecting a fault does not change the ids of the sessions
 * created afterwards.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Mixes a seed and a stream name into a 32-bit state (FNV-1a over the name, then a murmur finaliser). */
function mixSeed(seed: number, stream: string): number {
  let h = 2166136261 ^ (seed | 0);
  for (let i = 0; i < stream.length; i += 1) {
    h = Math.imul(h ^ stream.charCodeAt(i), 16777619);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A deterministic random stream (mulberry32). */
export class SeededRandom {
  private state: number;
  private readonly origin: number;

  constructor(seed: number, stream: string) {
    this.origin = mixSeed(seed, stream);
    this.state = this.origin;
  }

  /**
   * A stream that depends only on this stream's seed and `key`, never on how much has been drawn here:
   * for choices that must not shift when unrelated draws happen earlier or later.
   */
  derive(key: string): SeededRandom {
    return new SeededRandom(this.origin, key);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `length` characters of [0-9A-Za-z]. */
  base62(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += BASE62[Math.floor(this.next() * 62)];
    return out;
  }
}

/**
 * Stripe-shaped identifiers. Object ids come from one seeded stream; request ids from another, so an
 * extra request (a list call, a client retry after a dropped connection) never shifts later object ids.
 */
export class IdFactory {
  private readonly random: SeededRandom;
  private readonly requests: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed, 'ids');
    this.requests = new SeededRandom(seed, 'requests');
  }

  /** An object id such as `vs_1Abc…` (24 characters after the prefix, like Stripe's). */
  object(prefix: string): string {
    return `${prefix}_1${this.random.base62(23)}`;
  }

  /** A request id such as `req_Abc…`. */
  request(): string {
    return `req_${this.requests.base62(14)}`;
  }
}
