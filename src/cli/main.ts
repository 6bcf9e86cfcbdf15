/** Picks the command from the first argument and maps errors to exit codes (2 = usage). */
import { UsageError } from './args.js';
import type { CliContext, Command } from './context.js';

const HELP = `stripe-identity-kit: Stripe Identity, put into production the way Stripe's go-live list asks

Usage:
  stripe-identity-kit <command> [flags]

Commands:
  simulate          Serve a stateful Stripe Identity simulator over HTTP, for tests in any language
  doctor            Check an account and a configuration against Stripe's go-live list
  webhooks create   Create a webhook endpoint for the six Identity events and print its secret once

Flags:
  -h, --help        Help for the tool or for a command (stripe-identity-kit doctor --help)
  -v, --version     Print the version

Exit codes: 0 success, 1 a check failed or the command failed, 2 usage error,
3 doctor could not run its checks (bad key, no network, Stripe unavailable).
Docs: https://github.com/stripe-identity-kit/stripe-identity-kit/tree/main/docs
`;

/** Loads commands lazily: `--help` must not pay for the simulator or zod. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  simulate: async () => (await import('./commands/simulate.js')).simulate,
  doctor: async () => (await import('./commands/doctor.js')).doctor,
  webhooks: async () => (await import('./commands/webhooks.js')).webhooks,
};

/** Runs the CLI; resolves to the exit code. */
export async function main(ctx: CliContext, version: string): Promise<number> {
  const [name, ...rest] = ctx.argv;
  try {
    if (name === undefined) {
      ctx.stderr.write(HELP);
      return 2;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      ctx.stdout.write(HELP);
      return 0;
    }
    if (name === '--version' || name === '-v') {
      ctx.stdout.write(`${version}\n`);
      return 0;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) throw new UsageError(`Unknown command ${JSON.stringify(name)}.\n\n${HELP}`);
    return await (await load())({ ...ctx, argv: rest });
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    ctx.stderr.write(`error: ${message}\n`);
    return 1;
  }
}
