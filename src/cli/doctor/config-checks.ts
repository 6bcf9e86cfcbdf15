/**
 * The service options from `--config`, checked with the library's own option schema: limits, the
 * alternative path, a durable store for live keys, an https return URL, webhook secrets, and the
 * worst-case Identity cost those limits allow.
 */
import { ConfigError } from '../../errors.js';
import { optionsSchema, resolveOptions } from '../../options.js';
import { detectKeyMode } from '../../stripe/key-mode.js';
import { type Check, check } from './types.js';

/** What the cost check needs besides the options. */
export interface CostInput {
  /** Price of one verification, in the account's currency (default 1.50). */
  price: number;
  /** Number of users to project for, if given. */
  users: number | undefined;
}

const money = (amount: number) =>
  amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The configuration checks; `keyMode` is the doctor's key's mode, used when the client reveals none. */
export function configChecks(input: unknown, keyMode: 'test' | 'live', cost: CostInput): Check[] {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    let detail = parsed.error.issues[0]?.message ?? 'invalid options';
    try {
      resolveOptions(input, detectKeyMode);
    } catch (error) {
      if (error instanceof ConfigError) detail = error.message;
    }
    return [
      check(
        'config.options',
        'fail',
        'Options are invalid',
        detail,
        'Fix the option named above; new VerificationService(options) would throw the same error.',
      ),
    ];
  }
  const options = parsed.data;
  const raw = input as { limits?: unknown };
  const mode = options.mode ?? detectKeyMode(options.stripe) ?? keyMode;
  const live = mode === 'live';
  const checks: Check[] = [
    check('config.options', 'pass', 'Options are valid', `Checked as for a ${mode} key`),
  ];
  try {
    resolveOptions(input, detectKeyMode);
  } catch (error) {
    // The specific checks below explain store, returnUrl and hashSecret; anything else is reported here.
    if (
      error instanceof ConfigError &&
      !['store', 'returnUrl', 'redaction.hashSecret'].includes(error.path)
    ) {
      checks[0] = check(
        'config.options',
        'fail',
        'Options are refused',
        error.message,
        'Fix the option named above.',
      );
    }
  }
  const { maxSubmissions, maxSessions, windowDays, linkRefreshesPerMinute } = options.limits;
  const limits = `${maxSubmissions} submissions and ${maxSessions} sessions per user per ${windowDays} days, ${linkRefreshesPerMinute} fresh links per minute`;
  if (maxSubmissions > 10 || windowDays < 1 || linkRefreshesPerMinute > 60) {
    checks.push(
      check(
        'config.limits',
        'fail',
        'Limits are too loose',
        limits,
        'Keep maxSubmissions <= 10 (3 is Stripe-like), windowDays >= 1, linkRefreshesPerMinute <= 60.',
      ),
    );
  } else if (maxSessions < maxSubmissions) {
    checks.push(
      check(
        'config.limits',
        'warn',
        'Fewer sessions than submissions',
        limits,
        'Set limits.maxSessions >= limits.maxSubmissions, or users run out of sessions first.',
      ),
    );
  } else if (raw.limits === undefined) {
    checks.push(
      check(
        'config.limits',
        'warn',
        'Limits left at their defaults',
        limits,
        'Set limits explicitly, so a change of default cannot change your costs.',
      ),
    );
  } else {
    checks.push(check('config.limits', 'pass', 'Attempt limits set', limits));
  }
  checks.push(
    options.onAlternative
      ? check(
          'config.on_alternative',
          'pass',
          'Alternative path for users Identity cannot verify',
          'onAlternative is set',
        )
      : check(
          'config.on_alternative',
          'fail',
          'No alternative path for users Identity cannot verify',
          'Users who decline biometrics or hold an unsupported document hit a dead end',
          'Set onAlternative (and alternative.url) to route them to your manual process.',
        ),
  );
  const durable = options.store?.capabilities.durable === true;
  checks.push(
    durable
      ? check('config.store', 'pass', 'Durable store', 'Limits and records survive restarts')
      : check(
          'config.store',
          live ? 'fail' : 'warn',
          'Memory store',
          live
            ? 'A live key with MemoryStore forgets limits on restart'
            : 'Fine for tests; a live key needs a durable store',
          'Use SqliteStore, RedisStore or PostgresStore (stripe-identity-kit/sqlite, /redis, /postgres).',
        ),
  );
  checks.push(returnUrlCheck(options.returnUrl, options.flow, live));
  checks.push(webhookSecretCheck(options.webhookSecret));
  checks.push(
    options.redaction.hashSecret
      ? check('config.hash_secret', 'pass', 'Pseudonym secret set', 'User ids are stored under a keyed hash')
      : check(
          'config.hash_secret',
          live ? 'fail' : 'warn',
          'No pseudonym secret',
          'redaction.hashSecret is required with a live key',
          'Set redaction.hashSecret to a random secret of at least 16 characters, kept out of the code.',
        ),
  );
  const perUser = maxSubmissions * cost.price;
  const projection =
    cost.users === undefined
      ? ''
      : `; for ${cost.users.toLocaleString('en-US')} users: ${money(perUser * cost.users)}`;
  checks.push(
    check(
      'cost.worst_case',
      'pass',
      'Worst-case Identity cost',
      `${money(perUser)} per user per ${windowDays} days (${maxSubmissions} × ${money(cost.price)})${projection}`,
    ),
  );
  return checks;
}

function returnUrlCheck(returnUrl: string | undefined, flow: 'redirect' | 'modal', live: boolean): Check {
  if (!returnUrl) {
    return flow === 'modal'
      ? check(
          'config.return_url',
          'pass',
          'No return URL needed',
          "flow: 'modal' keeps the user on your page",
        )
      : check(
          'config.return_url',
          'fail',
          'No return URL',
          "flow: 'redirect' needs returnUrl",
          'Set returnUrl to an https page of your app.',
        );
  }
  if (returnUrl.startsWith('https://'))
    return check('config.return_url', 'pass', 'Return URL uses https', returnUrl);
  return check(
    'config.return_url',
    live ? 'fail' : 'warn',
    'Return URL without https',
    returnUrl,
    'Use an https returnUrl (required with a live key).',
  );
}

function webhookSecretCheck(secret: string | string[] | undefined): Check {
  const secrets = secret === undefined ? [] : [secret].flat();
  if (secrets.length === 0) {
    return check(
      'config.webhook_secret',
      'fail',
      'No webhook signing secret',
      'Webhook events cannot be verified, so they cannot update records',
      'Set webhookSecret to the endpoint secret (whsec_…) printed by `webhooks create`.',
    );
  }
  const malformed = secrets.filter((value) => !/^whsec_[\x21-\x7e]+$/.test(value));
  return malformed.length === 0
    ? check(
        'config.webhook_secret',
        'pass',
        'Webhook signing secret set',
        `${secrets.length} secret(s), well formed`,
      )
    : check(
        'config.webhook_secret',
        'fail',
        'Malformed webhook signing secret',
        `${malformed.length} of ${secrets.length} do not look like whsec_…`,
        'Copy the endpoint secret exactly (whsec_ followed by letters and digits).',
      );
}
