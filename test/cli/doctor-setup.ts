/** Simulated accounts and config modules for the doctor's tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { IdentitySimulator, type IdentitySimulatorOptions } from '../../src/testing/index.js';
import type { BuiltCli, CliRun } from './binary.js';
import { runCli } from './binary.js';

/** The checks as `--json` prints them. */
export interface DoctorReport {
  ready: boolean;
  checks: Array<{ id: string; status: string; title: string; detail: string; fix: string }>;
  error?: { reason: string; message: string };
}

const T = 'identity.verification_session';
/** What the library needs, plus `redacted`. */
export const ALL_EVENTS = [
  `${T}.verified`,
  `${T}.requires_input`,
  `${T}.processing`,
  `${T}.canceled`,
  `${T}.redacted`,
];

/** An account with everything the go-live list asks for. */
export const BRANDED: IdentitySimulatorOptions['account'] = {
  country: 'US',
  business_profile: { name: 'Acme Rentals', support_url: 'https://acme.example/support' },
  settings: { branding: { icon: 'file_icon123', primary_color: '#0a2540' } },
};

/** A listening simulator; `close` when done. */
export async function simulatorFor(
  options: IdentitySimulatorOptions = {},
): Promise<{ sim: IdentitySimulator; base: string }> {
  const sim = new IdentitySimulator({ account: BRANDED, ...options });
  const { baseUrl } = await sim.listen();
  return { sim, base: baseUrl };
}

/** A complete, live-ready endpoint of `mode`. */
export function addGoodEndpoint(
  sim: IdentitySimulator,
  livemode: boolean,
  overrides: { url?: string; apiVersion?: string; events?: string[] } = {},
): void {
  sim.addWebhookEndpoint({
    url: overrides.url ?? 'https://acme.example/stripe/webhook',
    enabledEvents: overrides.events ?? ALL_EVENTS,
    apiVersion: overrides.apiVersion ?? Stripe.API_VERSION,
    livemode,
  });
}

/** Options a config module may set, written as JavaScript source. */
export interface ConfigSource {
  key?: string;
  store?: 'durable' | 'memory';
  returnUrl?: string | null;
  webhookSecret?: string | null;
  limits?: string | null;
  onAlternative?: boolean;
  hashSecret?: boolean;
  extra?: string;
}

/** Writes a config module next to the built binary (so `stripe` resolves) and returns its path. */
export function writeConfig(cli: BuiltCli, name: string, source: ConfigSource = {}): string {
  const lines = [
    `stripe: new Stripe(${JSON.stringify(source.key ?? 'sk_live_config')}),`,
    source.store === 'memory'
      ? ''
      : 'store: { getSession() {}, listSessions() {}, reserveSessionSlot() {}, claimEvent() {}, capabilities: { durable: true } },',
    source.returnUrl === null
      ? ''
      : `returnUrl: ${JSON.stringify(source.returnUrl ?? 'https://acme.example/verify/return')},`,
    source.webhookSecret === null
      ? ''
      : `webhookSecret: ${JSON.stringify(source.webhookSecret ?? 'whsec_abc123DEF')},`,
    source.limits === null
      ? ''
      : `limits: ${source.limits ?? '{ maxSubmissions: 3, maxSessions: 5, windowDays: 30 }'},`,
    source.onAlternative === false ? '' : 'onAlternative: async () => {},',
    source.hashSecret === false ? '' : "redaction: { hashSecret: 'a-long-random-secret-0123456789' },",
    source.extra ?? '',
  ];
  const path = join(cli.dir, `${name}.mjs`);
  writeFileSync(
    path,
    `import Stripe from 'stripe';\nexport default {\n  ${lines.filter(Boolean).join('\n  ')}\n};\n`,
  );
  return path;
}

/** Runs `doctor --json` against `base` with `key`. */
export async function doctorJson(
  cli: BuiltCli,
  base: string,
  key: string,
  args: string[] = [],
): Promise<{ run: CliRun; report: DoctorReport }> {
  const run = await runCli(cli, ['doctor', '--json', '--api-base', base, ...args], {
    env: { STRIPE_SECRET_KEY: key },
  });
  return { run, report: JSON.parse(run.stdout) as DoctorReport };
}

/** `id → status` of every check. */
export function statuses(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

/** The check with `id` (fails the test when absent). */
export function checkOf(report: DoctorReport, id: string): DoctorReport['checks'][number] {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}
