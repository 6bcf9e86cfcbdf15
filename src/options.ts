import type Stripe from 'stripe';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import type { IdentityStore } from './stores/contract.js';
import { MemoryStore } from './stores/memory.js';
import type { HookMap, Logger, OnAlternative, OnUnknownSession } from './types.js';

const DAY_MS = 86_400_000;

/** An absolute `https:` URL (or `http:`, which only test mode accepts: checked after the key mode is known). */
const webUrl = (example: string) =>
  z.url({
    protocol: /^https?$/,
    message: `must be an absolute https:// URL, such as ${example}`,
  });

/** Say what to pass when the store option is something close to a store but not one. */
function storeHint(input: unknown): string {
  const base = 'must implement IdentityStore';
  if (typeof input === 'function') {
    return `${base}: pass an instance (new ${input.name || 'YourStore'}(…)), not the class`;
  }
  if (input instanceof Map) {
    return `${base}, not a Map: use new MemoryStore() for an in-process store`;
  }
  const value = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (typeof value.evalsha === 'function' || typeof value.hget === 'function') {
    return `${base}: wrap the ioredis client, new RedisStore(client) from 'stripe-identity-kit/redis'`;
  }
  if (typeof value.query === 'function') {
    return `${base}: wrap the pg Pool, new PostgresStore(pool) from 'stripe-identity-kit/postgres' (then await store.migrate())`;
  }
  if (typeof value.prepare === 'function') {
    return `${base}: wrap the database, new SqliteStore(db) from 'stripe-identity-kit/sqlite'`;
  }
  return `${base} (MemoryStore, or SqliteStore, RedisStore, PostgresStore from their subpaths)`;
}

const isStripeClient = (value: unknown): value is Stripe =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { identity?: { verificationSessions?: { create?: unknown } } }).identity
    ?.verificationSessions?.create === 'function';

const isStore = (value: unknown): value is IdentityStore =>
  typeof value === 'object' &&
  value !== null &&
  ['getSession', 'listSessions', 'reserveSessionSlot', 'claimEvent'].every(
    (method) => typeof (value as Record<string, unknown>)[method] === 'function',
  );

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `must be a function (${what})` });

const secret = z.string().refine((value) => value.trim().length > 0 && value.trim() === value, {
  message: 'must be a non-empty webhook signing secret (whsec_…) without surrounding whitespace',
});

const positiveInt = (what: string) =>
  z
    .number({ message: `must be a positive integer (${what})` })
    .int()
    .positive();

const documentOptions = z
  .object({
    allowed_types: z
      .array(z.enum(['driving_license', 'id_card', 'passport']))
      .min(1)
      .optional(),
    require_id_number: z.boolean().optional(),
    require_live_capture: z.boolean().optional(),
    require_matching_selfie: z.boolean().optional(),
  })
  .strict();

/** The zod schema of {@link VerificationServiceOptions}; parsed once, in the service's constructor. */
export const optionsSchema = z
  .object({
    stripe: z.custom<Stripe>(isStripeClient, { message: 'must be a Stripe client (new Stripe(key))' }),
    restrictedStripe: z
      .custom<Stripe>(isStripeClient, {
        message: 'must be a Stripe client built with a restricted key (rk_…)',
      })
      .optional(),
    mode: z.enum(['test', 'live']).optional(),
    store: z.custom<IdentityStore>(isStore, { error: (issue) => storeHint(issue.input) }).optional(),
    webhookSecret: z.union([secret, z.array(secret).min(1)]).optional(),
    returnUrl: webUrl('https://app.example.com/verify/return').optional(),
    flow: z.enum(['redirect', 'modal']).default('redirect'),
    session: z
      .object({
        type: z.enum(['document', 'id_number']).default('document'),
        options: z.object({ document: documentOptions.optional() }).strict().optional(),
        verificationFlow: z.string().min(1).optional(),
      })
      .strict()
      .default({ type: 'document' }),
    limits: z
      .object({
        maxSubmissions: positiveInt('billable submissions per window').default(3),
        maxSessions: positiveInt('sessions created per window').default(5),
        windowDays: z
          .number({ message: 'must be a number of days' })
          .min(1 / 24, {
            message: 'must be at least one hour (1/24 day): a shorter window lets limits reset at once',
          })
          .default(30),
        linkRefreshesPerMinute: positiveInt(
          'fresh links per user per minute, shared by the instances of one store',
        ).default(10),
      })
      .strict()
      .default({ maxSubmissions: 3, maxSessions: 5, windowDays: 30, linkRefreshesPerMinute: 10 }),
    alternative: z
      .object({
        url: webUrl('https://app.example.com/manual-review').optional(),
        description: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    onAlternative: fn<OnAlternative>('onAlternative').optional(),
    onUnknownSession: fn<OnUnknownSession>('onUnknownSession').optional(),
    on: z
      .object({
        /** `identity.verification_session.created`. */
        created: fn<HookMap['created']>('on.created').optional(),
        /** `…processing`: the user submitted; Stripe is checking. */
        processing: fn<HookMap['processing']>('on.processing').optional(),
        /** `…verified`: unlock what the verification gates. */
        verified: fn<HookMap['verified']>('on.verified').optional(),
        /** `…requires_input`: a check failed (see `lastErrorCode`) or the user has not submitted. */
        requiresInput: fn<HookMap['requiresInput']>('on.requiresInput').optional(),
        /** `…canceled`: the session's links no longer work. */
        canceled: fn<HookMap['canceled']>('on.canceled').optional(),
        /** `…redacted`: Stripe confirmed the deletion (only endpoints that name this event receive it). */
        redacted: fn<HookMap['redacted']>('on.redacted').optional(),
      })
      .strict()
      .default({}),
    logger: z
      .union([
        z.literal(false),
        z.custom<Logger>(
          (value) =>
            typeof value === 'object' &&
            value !== null &&
            ['debug', 'info', 'warn', 'error'].every(
              (level) => typeof (value as Record<string, unknown>)[level] === 'function',
            ),
          { message: 'must have debug, info, warn and error functions, or be false to silence the library' },
        ),
      ])
      .optional(),
    redaction: z
      .object({
        hashSecret: z
          .string()
          .min(16, { message: 'must be at least 16 characters' })
          .refine((value) => new Set(value.trim()).size > 1, {
            message:
              'must be a real secret (random, at least 16 characters), not blank or one repeated character: it keys the hash that hides user ids',
          })
          .optional(),
      })
      .strict()
      .default({}),
    webhooks: z
      .object({
        toleranceSeconds: z
          .number()
          .int()
          .positive()
          .max(3600, {
            message:
              'must be at most 3600 seconds: a longer tolerance lets a captured delivery be replayed for longer',
          })
          .default(300),
        maxBodyBytes: z.number().int().positive().default(1_048_576),
        claimLeaseSeconds: z.number().int().positive().default(60),
        retainDays: z
          .number()
          .min(3, {
            message:
              'must be at least 3 days: Stripe retries a delivery for up to three days, and an event forgotten earlier runs its effects again',
          })
          .default(30),
        /** A webhook body still arriving after this many seconds is answered 408 and released. */
        bodyTimeoutSeconds: z.number().positive().max(300).default(10),
      })
      .strict()
      .default({
        toleranceSeconds: 300,
        maxBodyBytes: 1_048_576,
        claimLeaseSeconds: 60,
        retainDays: 30,
        bodyTimeoutSeconds: 10,
      }),
    concurrency: z
      .object({
        leaseSeconds: z
          .number()
          .min(1, {
            message:
              'must be at least 1 second: a shorter lease lets a second caller create while the first still waits for Stripe',
          })
          .default(30),
        waitSeconds: z.number().positive().default(10),
      })
      .strict()
      .default({ leaseSeconds: 30, waitSeconds: 10 }),
    /** A session the store has seen `processing` for longer is re-read from Stripe by `start()` (lost webhooks). */
    recheckProcessingAfterSeconds: z
      .number()
      .min(60, { message: 'must be at least 60 seconds: each recheck is a Stripe call a user can trigger' })
      .default(300),
    /** The clock, in milliseconds since the epoch (default `Date.now`); inject one in tests. */
    now: fn<() => number>('now: () => milliseconds').optional(),
  })
  .strict();

/** Options of `new VerificationService(options)`. */
export type VerificationServiceOptions = z.input<typeof optionsSchema>;

/** Options after parsing, with defaults filled in. */
export interface ResolvedOptions
  extends Omit<z.output<typeof optionsSchema>, 'store' | 'now' | 'webhookSecret'> {
  store: IdentityStore;
  /** The clock in milliseconds: the `now` option, or `Date.now`. */
  now: () => number;
  webhookSecrets: string[];
  /** Key mode, from the `mode` option or read from the client without a request. */
  keyMode: 'test' | 'live';
  windowMs: number;
}

/**
 * Parse and check options once. Throws {@link ConfigError} naming the first bad path and what was expected,
 * and refuses unsafe live configurations before any request reaches Stripe.
 */
export function resolveOptions(
  input: unknown,
  detectMode: (stripe: Stripe) => 'test' | 'live' | null,
): ResolvedOptions {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown option ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; check the spelling against the documented options`
        : (issue?.message ?? 'invalid options');
    throw new ConfigError(path, message);
  }
  const options = parsed.data;
  const detected = detectMode(options.stripe);
  if (options.mode && detected && options.mode !== detected) {
    throw new ConfigError('mode', `is '${options.mode}' but the Stripe client's key is a ${detected} key`);
  }
  const restrictedMode = options.restrictedStripe ? detectMode(options.restrictedStripe) : null;
  if (detected && restrictedMode && restrictedMode !== detected) {
    throw new ConfigError(
      'restrictedStripe',
      `uses a ${restrictedMode} key while stripe uses a ${detected} key`,
    );
  }
  const keyMode = options.mode ?? detected;
  if (!keyMode) {
    throw new ConfigError(
      'mode',
      "could not be read from the Stripe client: set mode: 'test' or 'live' explicitly",
    );
  }
  const store = options.store ?? new MemoryStore();
  if (keyMode === 'live') {
    if (!store.capabilities.durable) {
      throw new ConfigError(
        'store',
        'a live key needs a durable, shared store (SqliteStore, RedisStore or PostgresStore): MemoryStore forgets limits on restart',
      );
    }
    if (options.returnUrl && !options.returnUrl.startsWith('https://')) {
      throw new ConfigError('returnUrl', 'must use https:// with a live key');
    }
    if (options.alternative?.url && !options.alternative.url.startsWith('https://')) {
      throw new ConfigError('alternative.url', 'must use https:// with a live key');
    }
    if (!options.redaction.hashSecret) {
      throw new ConfigError(
        'redaction.hashSecret',
        'is required with a live key: attempt counters are kept under a keyed hash of the user id, and an unkeyed hash of a guessable id can be reversed',
      );
    }
    if (!options.webhookSecret) {
      throw new ConfigError(
        'webhookSecret',
        "is required with a live key: without webhooks a session's outcome, a redaction and a lost create are never learned (set it to the endpoint's whsec_… signing secret)",
      );
    }
  }
  if (options.flow === 'redirect' && !options.returnUrl) {
    throw new ConfigError(
      'returnUrl',
      "is required with flow: 'redirect' (where Stripe sends the user back)",
    );
  }
  const secrets = options.webhookSecret === undefined ? [] : [options.webhookSecret].flat();
  return {
    ...options,
    store,
    now: options.now ?? Date.now,
    webhookSecrets: secrets,
    keyMode,
    windowMs: options.limits.windowDays * DAY_MS,
  };
}
