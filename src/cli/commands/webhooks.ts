/** `stripe-identity-kit webhooks create --url <https url>`: an endpoint for the six Identity events. */
import Stripe from 'stripe';
import { parseFlags, stringFlag, UsageError, urlFlag } from '../args.js';
import type { Command } from '../context.js';
import { IDENTITY_EVENTS } from '../doctor/identity-events.js';
import { describeKey } from '../doctor/key-checks.js';
import { CannotCheckError, StripeApi } from '../doctor/stripe-api.js';

const HELP = `Usage: stripe-identity-kit webhooks create --url <https url> [flags]

Creates a webhook endpoint that receives the six Identity events (created, processing, verified,
requires_input, canceled and redacted, which '*' does not deliver), rendered with the API version of the
library's Stripe client, and prints its signing secret once: store it as the service's webhookSecret.

Flags:
  --url <https url>    Your webhook route (required; https)
  --description <text> Shown in the Dashboard (default "stripe-identity-kit: Identity events")
  --api-base <url>     Another API host, such as the simulator (default $STRIPE_API_BASE or https://api.stripe.com)
  --json               Print the endpoint as JSON, secret included
  -h, --help           This help

Environment: STRIPE_SECRET_KEY (required).
`;

/** `webhooks <subcommand>`. */
export const webhooks: Command = async (ctx) => {
  const [sub, ...rest] = ctx.argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    (sub === undefined ? ctx.stderr : ctx.stdout).write(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'create')
    throw new UsageError(`Unknown webhooks command ${JSON.stringify(sub)}: only \`webhooks create\` exists`);
  const flags = parseFlags(
    rest,
    {
      url: { type: 'string' },
      description: { type: 'string' },
      'api-base': { type: 'string' },
      json: { type: 'boolean' },
    },
    'webhooks create',
  );
  if (flags.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  const url = urlFlag(flags, 'url', ['https:']);
  if (!url) throw new UsageError('--url is required: the https address of your webhook route');
  const base = (
    urlFlag({ 'api-base': stringFlag(flags, 'api-base') ?? ctx.env.STRIPE_API_BASE }, 'api-base') ??
    new URL('https://api.stripe.com')
  ).href;
  const rawKey = ctx.env.STRIPE_SECRET_KEY?.trim();
  if (!rawKey || !describeKey(rawKey))
    throw new UsageError('STRIPE_SECRET_KEY must be set to a Stripe secret key (sk_… or rk_…)');
  const api = new StripeApi({ key: rawKey, base, apiVersion: Stripe.API_VERSION });
  let answer: Awaited<ReturnType<StripeApi['post']>>;
  try {
    answer = await api.post('/v1/webhook_endpoints', {
      url: url.href,
      enabled_events: [...IDENTITY_EVENTS],
      api_version: Stripe.API_VERSION,
      description: stringFlag(flags, 'description') ?? 'stripe-identity-kit: Identity events',
    });
  } catch (error) {
    if (error instanceof CannotCheckError) throw new Error(error.message);
    throw error;
  }
  if (answer.status !== 200) {
    const message =
      (answer.body.error as { message?: string } | undefined)?.message ?? `HTTP ${answer.status}`;
    throw new Error(`Stripe refused to create the endpoint: ${message}`);
  }
  const endpoint = answer.body as {
    id: string;
    url: string;
    secret: string;
    api_version: string;
    enabled_events: string[];
  };
  if (flags.json === true) {
    ctx.stdout.write(
      `${JSON.stringify({ id: endpoint.id, url: endpoint.url, secret: endpoint.secret, api_version: endpoint.api_version, enabled_events: endpoint.enabled_events }, null, 2)}\n`,
    );
    return 0;
  }
  ctx.stdout.write(
    [
      `Created ${endpoint.id} for ${endpoint.url}`,
      `  events: ${endpoint.enabled_events.join(', ')}`,
      `  API version: ${endpoint.api_version}`,
      `Signing secret (shown once; store it as webhookSecret now): ${endpoint.secret}`,
      '',
    ].join('\n'),
  );
  return 0;
};
