/** `stripe-identity-kit doctor`: Stripe's go-live list, checked against the account and the configuration. */
import Stripe from 'stripe';
import { decimalFlag, intFlag, parseFlags, stringFlag, UsageError, urlFlag } from '../args.js';
import type { Command } from '../context.js';
import { accountChecks } from '../doctor/account-checks.js';
import { configChecks } from '../doctor/config-checks.js';
import { describeKey, keyChecks } from '../doctor/key-checks.js';
import { loadConfig } from '../doctor/load-config.js';
import { manualChecks } from '../doctor/manual-checks.js';
import { printChecklist, toJson } from '../doctor/report.js';
import { CannotCheckError, StripeApi } from '../doctor/stripe-api.js';
import type { Check, CheckGroup } from '../doctor/types.js';
import { webhookChecks } from '../doctor/webhook-checks.js';
import { colorEnabled, palette, withSpinner } from '../terminal.js';

const HELP = `Usage: stripe-identity-kit doctor [flags]

Checks Stripe's "before going live" list for Identity against the account of STRIPE_SECRET_KEY and, with
--config, against your VerificationService options. Prints a checklist (✓ pass, ✗ fail, ! warning,
○ to check by hand) with a one-line fix for each item.

Flags:
  --config <module>    A JS module exporting the VerificationService options (default export or
                       \`options\`; an object or a function returning one)
  --price <amount>     Price of one verification, for the worst-case cost (default 1.50)
  --users <n>          Also project the worst-case cost for this many users
  --api-base <url>     Another API host, such as the simulator (default $STRIPE_API_BASE or https://api.stripe.com)
  --json               Print { "ready", "checks": [{ "id", "status", "title", "detail", "fix" }] }
  -h, --help           This help

Environment: STRIPE_SECRET_KEY (required; a restricted rk_… key is recommended), STRIPE_API_BASE.
Exit codes: 0 nothing failed, 1 a check failed, 2 usage error, 3 the checks could not run (bad key,
no network, Stripe unavailable).
`;

function apiVersionOf(options: unknown): string {
  const client = (options as { stripe?: { getApiField?: (name: string) => unknown } } | null)?.stripe;
  const version = typeof client?.getApiField === 'function' ? client.getApiField('version') : null;
  return typeof version === 'string' && version ? version : Stripe.API_VERSION;
}

/** Runs every check and prints the report. */
export const doctor: Command = async (ctx) => {
  const flags = parseFlags(
    ctx.argv,
    {
      config: { type: 'string' },
      price: { type: 'string' },
      users: { type: 'string' },
      'api-base': { type: 'string' },
      json: { type: 'boolean' },
    },
    'doctor',
  );
  if (flags.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  const price = decimalFlag(flags, 'price', 1.5);
  const users = stringFlag(flags, 'users') === undefined ? undefined : intFlag(flags, 'users', 0, 1, 1e12);
  const base = (
    urlFlag({ 'api-base': stringFlag(flags, 'api-base') ?? ctx.env.STRIPE_API_BASE }, 'api-base') ??
    new URL('https://api.stripe.com')
  ).href;
  const rawKey = ctx.env.STRIPE_SECRET_KEY?.trim();
  if (!rawKey)
    throw new UsageError(
      'STRIPE_SECRET_KEY is not set: export the key to check (a restricted rk_… key is best)',
    );
  const key = describeKey(rawKey);
  if (!key)
    throw new UsageError(
      'STRIPE_SECRET_KEY does not look like a Stripe secret key (sk_… or rk_…, test or live)',
    );
  const configPath = stringFlag(flags, 'config');
  const options = configPath === undefined ? undefined : await loadConfig(configPath, ctx.cwd);
  const apiVersion = apiVersionOf(options);
  const api = new StripeApi({ key: rawKey, base, apiVersion });
  const json = flags.json === true;
  let groups: CheckGroup[];
  let accountId: string | null;
  try {
    const gathered = await withSpinner(
      json ? { write: () => true } : ctx.stderr,
      'Asking Stripe…',
      async () => {
        const keyResult = await keyChecks(api, key);
        const account = await accountChecks(api);
        const webhooks = await webhookChecks(api, key.mode, apiVersion);
        return { keyResult, account, webhooks };
      },
    );
    accountId = gathered.account.accountId;
    const config: Check[] =
      options === undefined
        ? [
            {
              id: 'config.loaded',
              status: 'manual',
              title: 'Service options not checked',
              detail: 'Limits, alternative path, store, return URL and webhook secrets need --config',
              fix: 'Run again with --config <module exporting your VerificationService options>.',
            },
          ]
        : configChecks(options, key.mode, { price, users });
    groups = [
      { title: 'API keys', checks: gathered.keyResult },
      { title: 'Branding and account', checks: gathered.account.checks },
      { title: 'Webhooks', checks: gathered.webhooks },
      { title: 'Attempt limits, alternative path and configuration', checks: config },
      { title: 'Outside the API (check by hand)', checks: manualChecks() },
    ];
  } catch (error) {
    if (!(error instanceof CannotCheckError)) throw error;
    if (json) {
      ctx.stdout.write(
        `${JSON.stringify({ ready: false, error: { reason: error.reason, message: error.message }, checks: [] }, null, 2)}\n`,
      );
    } else {
      ctx.stderr.write(`Could not run the checks: ${error.message}\n`);
    }
    return 3;
  }
  const report = toJson(groups);
  if (json) {
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const paint = palette(colorEnabled(ctx.stdout, ctx.env));
    const where = base === 'https://api.stripe.com/' ? '' : ` via ${base}`;
    printChecklist(
      ctx.stdout,
      paint,
      `Go-live check: ${key.mode} mode, account ${accountId ?? 'unknown'}${where}`,
      groups,
    );
  }
  return report.ready ? 0 : 1;
};
