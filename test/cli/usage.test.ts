import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type BuiltCli, buildCli, runCli } from './binary.js';

// Each test spawns the binary (a Node start-up or more); a busy CI machine needs the headroom.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(() => cli.dispose());

const ESC = '\u001b[';

describe('the binary: help, usage errors and colour', () => {
  test('the built file starts with a node shebang', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(cli.path, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test.each([
    [['--help'], 'simulate'],
    [['simulate', '--help'], '--forward-to'],
    [['doctor', '--help'], '--config'],
    [['webhooks', '--help'], '--url'],
    [['webhooks', 'create', '--help'], '--url'],
    [['doctor', '-h'], '--api-base'],
  ])('%j prints help and exits 0', async (args, mentions) => {
    const run = await runCli(cli, args);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(mentions);
    expect(run.stdout).toContain('Usage:');
  });

  test.each([
    [[], 'Usage:'],
    [['nope'], 'Unknown command "nope"'],
    [['simulate', '--prot', '1'], "Unknown option '--prot'"],
    [['simulate', '--port', 'abc'], '--port must be a whole number'],
    [['simulate', '--port'], "'--port <value>' argument missing"],
    [['simulate', '--forward-to', 'ftp://x'], '--forward-to must be a http or https URL'],
    [['simulate', '--webhook-secret', 'nope'], '--webhook-secret must look like whsec_'],
    [['simulate', '--webhook-secret', 'whsec_has space'], '--webhook-secret must look like whsec_'],
    [['simulate', 'extra'], "Unexpected argument 'extra'"],
    [['doctor'], 'STRIPE_SECRET_KEY is not set'],
    [['doctor', '--json', '--verbose'], "Unknown option '--verbose'"],
    [['doctor', '--price', '-1'], "'--price' argument is ambiguous"],
    [['webhooks'], 'Usage:'],
    [['webhooks', 'delete'], 'only `webhooks create` exists'],
    [['webhooks', 'create'], '--url is required'],
    [['webhooks', 'create', '--url', 'http://a.example/hook'], '--url must be a https URL'],
  ])('%j is a usage error: exit 2 and a message', async (args, message) => {
    const run = await runCli(cli, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  test('a key that is not a Stripe secret key is a usage error', async () => {
    const run = await runCli(cli, ['doctor'], { env: { STRIPE_SECRET_KEY: 'pk_test_abc' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('does not look like a Stripe secret key');
  });

  test('--version prints the package version', async () => {
    const run = await runCli(cli, ['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^(\d+\.\d+\.\d+|unknown)$/);
  });

  test('no colour without a TTY, even when asked for with FORCE_COLOR; none with NO_COLOR', async () => {
    for (const env of [{}, { FORCE_COLOR: '1' }, { NO_COLOR: '1' }] as Record<string, string>[]) {
      const run = await runCli(cli, ['doctor', '--api-base', 'http://127.0.0.1:9'], {
        env: { ...env, STRIPE_SECRET_KEY: 'sk_test_x' },
      });
      expect(run.stdout + run.stderr).not.toContain(ESC);
    }
  });
});
