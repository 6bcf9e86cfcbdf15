/** `stripe-identity-kit simulate`: the Identity simulator over HTTP on wall time, until SIGINT/SIGTERM. */
import { randomBytes } from 'node:crypto';
import { IdentitySimulator } from '../../testing/simulator/index.js';
import { intFlag, parseFlags, stringFlag, UsageError, urlFlag } from '../args.js';
import type { Command } from '../context.js';
import { trafficLog } from '../simulate/traffic-log.js';
import { colorEnabled, palette } from '../terminal.js';

const HELP = `Usage: stripe-identity-kit simulate [flags]

Serves a stateful Stripe Identity on http://HOST:PORT for tests in any language: point your Stripe client's
API base at it (any sk_test_… key). Its clock runs on wall time. Sessions' urls open the simulated hosted page.

Flags:
  --port <n>                 Port to listen on (default 12111; 0 picks a free one)
  --host <address>           Address to bind (default 127.0.0.1)
  --forward-to <url>         Deliver events there, signed, as Stripe does (retries with backoff on non-2xx,
                             any order, identity.verification_session.redacted included)
  --webhook-secret <whsec_…> Signing secret for --forward-to (default: a new random one, printed)
  --seed <n>                 Seed of ids and random choices (default 1)
  --quiet                    Do not print a line per API call and per delivery
  -h, --help                 This help

Control API (JSON or form bodies), documented with curl in docs/testing.md:
  POST /_simulator/sessions/{id}/submit               outcome=verified | <last_error code>
  POST /_simulator/sessions/{id}/begin_submission     the session stays processing…
  POST /_simulator/sessions/{id}/complete_submission  …until this (outcome=…)
  POST /_simulator/advance                            ms=<n>: move the clock ahead
  POST /_simulator/faults                             kind=http_500|http_429|reset|slow [phase count method path delay_ms rate]
  DELETE /_simulator/faults                           clear faults
  GET  /_simulator/requests | events | deliveries | sessions
  POST /_simulator/account                            JSON merged into GET /v1/account
  POST /_simulator/reset                              forget everything but --forward-to
`;

const IDENTITY_EVENTS_AND_REDACTED = ['*', 'identity.verification_session.redacted'];

function generatedSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `whsec_${[...randomBytes(32)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

/** Resolves when the process is asked to stop. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Runs the simulator until SIGINT or SIGTERM. */
export const simulate: Command = async (ctx) => {
  const flags = parseFlags(
    ctx.argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'forward-to': { type: 'string' },
      'webhook-secret': { type: 'string' },
      seed: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    'simulate',
  );
  if (flags.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  const port = intFlag(flags, 'port', 12111, 0, 65535);
  const seed = intFlag(flags, 'seed', 1, 0, 2 ** 31 - 1);
  const host = stringFlag(flags, 'host') ?? '127.0.0.1';
  const forwardTo = urlFlag(flags, 'forward-to');
  const given = stringFlag(flags, 'webhook-secret');
  if (given !== undefined && !/^whsec_[\x21-\x7e]+$/.test(given)) {
    throw new UsageError(
      '--webhook-secret must look like whsec_ followed by printable characters, without spaces',
    );
  }
  const secret = given ?? generatedSecret();
  // Listening for signals before the banner: whoever reads "Ready." may stop us at once.
  const stopped = stopSignal();
  // Stripe retries for days; here the backoff starts at 10 s so a retry is seen during a test run.
  const paint = palette(colorEnabled(ctx.stdout, ctx.env));
  const log = flags.quiet === true ? null : trafficLog(ctx.stdout, paint, () => sim.events);
  const sim: IdentitySimulator = new IdentitySimulator({
    seed,
    wallClock: true,
    webhooks: { reorder: true, maxAttempts: 6, retryDelayMs: 10_000 },
    ...(log ? { onRequest: log.request, onDelivery: log.delivery } : {}),
  });
  let base: string;
  try {
    base = (await sim.listen(port, host)).baseUrl;
  } catch (error) {
    await sim.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is in use: pick another with --port`);
    throw error;
  }
  // Events of both modes are forwarded: a test may use a live key to exercise live-only rules.
  if (forwardTo) {
    for (const livemode of [false, true]) {
      sim.addWebhookEndpoint({
        url: forwardTo.href,
        secret,
        enabledEvents: IDENTITY_EVENTS_AND_REDACTED,
        livemode,
      });
    }
  }

  ctx.stdout.write(
    [
      `${paint.green('Stripe Identity simulator')} listening on ${paint.bold(base)}`,
      `  API base:        ${base} (any sk_test_… key; stripe-node: host, port, protocol 'http')`,
      `  Control API:     ${base}/_simulator/`,
      `  Hosted pages:    ${base}/verify/…`,
      `  Forwarding to:   ${forwardTo ? forwardTo.href : '(none: pass --forward-to <url>)'}`,
      `  Webhook signing secret: ${secret}`,
      'Ready. Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const signal = await stopped;
  await sim.close();
  ctx.stdout.write(`Stopped (${signal}).\n`);
  return 0;
};
