import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type BuiltCli, buildCli, runCli } from './binary.js';
import { addGoodEndpoint, checkOf, doctorJson, simulatorFor, statuses, writeConfig } from './doctor-setup.js';

// Each test spawns the binary (a Node start-up or more); a busy CI machine needs the headroom.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(() => cli.dispose());

const MANUAL = [
  'manual.use_case',
  'manual.pricing',
  'manual.privacy_policy',
  'manual.privacy_policy_url',
  'manual.faq',
  'manual.deletion',
  'manual.keys',
];

describe('doctor: a live account and configuration in order', () => {
  test('every check passes, manual items are listed, exit 0 and ready: true', async () => {
    const { sim, base } = await simulatorFor();
    try {
      addGoodEndpoint(sim, true);
      const config = writeConfig(cli, 'ok');
      const { run, report } = await doctorJson(cli, base, 'rk_live_ready', ['--config', config]);
      expect(run.code).toBe(0);
      expect(report.ready).toBe(true);
      const byId = statuses(report);
      expect(Object.entries(byId).filter(([, status]) => status !== 'pass' && status !== 'manual')).toEqual(
        [],
      );
      expect(Object.keys(byId)).toEqual([
        'key.mode',
        'key.restricted',
        'key.identity_access',
        'account.branding.icon',
        'account.branding.color',
        'account.business_name',
        'account.support_url',
        'account.country',
        'webhooks.endpoint',
        'webhooks.redacted',
        'webhooks.https',
        'webhooks.api_version',
        'config.options',
        'config.limits',
        'config.on_alternative',
        'config.store',
        'config.return_url',
        'config.webhook_secret',
        'config.hash_secret',
        'cost.worst_case',
        ...MANUAL,
      ]);
      for (const id of MANUAL) expect(byId[id]).toBe('manual');
      for (const c of report.checks) {
        expect(Object.keys(c)).toEqual(['id', 'status', 'title', 'detail', 'fix']);
        if (c.status !== 'pass') expect(c.fix.length).toBeGreaterThan(0);
      }
      // It only read: no session, no endpoint was created.
      expect(sim.requests.every((r) => r.method === 'GET')).toBe(true);
    } finally {
      await sim.close();
    }
  });

  test('the checklist groups items like Stripe’s page, with ✓ ✗ ! ○ and a fix line, and no spinner off a TTY', async () => {
    const { sim, base } = await simulatorFor({
      account: { settings: { branding: { icon: null, primary_color: null } } },
    });
    try {
      const run = await runCli(cli, ['doctor'], {
        env: { STRIPE_SECRET_KEY: 'sk_test_human', STRIPE_API_BASE: base },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
      const out = run.stdout;
      const headings = [
        'API keys',
        'Branding and account',
        'Webhooks',
        'Attempt limits, alternative path and configuration',
        'Outside the API (check by hand)',
      ];
      const positions = headings.map((h) => out.indexOf(`\n${h}\n`));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(out).toContain('  ✗ No icon or logo');
      expect(out).toContain('  ! No brand colour');
      expect(out).toContain('  ✓ Key can use Identity');
      expect(out).toContain('  ○ Supported use case');
      expect(out).toMatch(
        / {6}fix: Upload an icon or logo at https:\/\/dashboard\.stripe\.com\/settings\/branding/,
      );
      expect(out).toMatch(/\d+ passed, \d+ failed, \d+ warnings, \d+ to check by hand\. Not ready/);
      expect(out).toContain(`via ${base}/`);
    } finally {
      await sim.close();
    }
  });
});

describe('doctor: each check fails when it should', () => {
  test('key: a test key and a full-access secret key are warnings', async () => {
    const { sim, base } = await simulatorFor();
    try {
      addGoodEndpoint(sim, false);
      const { run, report } = await doctorJson(cli, base, 'sk_test_plain');
      expect(run.code).toBe(0);
      expect(statuses(report)).toMatchObject({
        'key.mode': 'warn',
        'key.restricted': 'warn',
        'key.identity_access': 'pass',
      });
      expect(checkOf(report, 'config.loaded').status).toBe('manual');
    } finally {
      await sim.close();
    }
  });

  test('key: a restricted key without Identity permissions is a permission error, reported as such', async () => {
    const { sim, base } = await simulatorFor({
      restrictedKeyPermissions: { rk_test_ops: ['account', 'webhook_endpoints'] },
    });
    try {
      const { run, report } = await doctorJson(cli, base, 'rk_test_ops');
      expect(run.code).toBe(1);
      const access = checkOf(report, 'key.identity_access');
      expect(access.status).toBe('fail');
      expect(access.detail).toMatch(
        /^Permission error: The provided key 'rk_test_\*\*\*\*' does not have the required permissions/,
      );
      expect(access.fix).toContain('Identity verification sessions');
    } finally {
      await sim.close();
    }
  });

  test('account: no branding, no name, no support URL, a country Identity does not serve', async () => {
    const { sim, base } = await simulatorFor({
      account: {
        country: 'BR',
        business_profile: { name: null, support_url: null },
        settings: {
          branding: { icon: null, logo: null, primary_color: null },
          dashboard: { display_name: null },
        },
      },
    });
    try {
      const { report } = await doctorJson(cli, base, 'rk_test_x');
      expect(statuses(report)).toMatchObject({
        'account.branding.icon': 'fail',
        'account.branding.color': 'warn',
        'account.business_name': 'fail',
        'account.support_url': 'warn',
        'account.country': 'fail',
      });
      expect(checkOf(report, 'account.country').detail).toContain('BR');
    } finally {
      await sim.close();
    }
  });

  test('account: a logo alone counts as branding', async () => {
    const { sim, base } = await simulatorFor({
      account: { settings: { branding: { icon: null, logo: 'file_logo' } } },
    });
    try {
      const { report } = await doctorJson(cli, base, 'rk_test_x');
      expect(checkOf(report, 'account.branding.icon').status).toBe('pass');
    } finally {
      await sim.close();
    }
  });

  test('webhooks: none, `*` only (no redacted), a partial one, a disabled one', async () => {
    const { sim, base } = await simulatorFor();
    const stripe = new Stripe('sk_test_x', {
      host: '127.0.0.1',
      port: Number(new URL(base).port),
      protocol: 'http',
    });
    try {
      let { report } = await doctorJson(cli, base, 'rk_test_x');
      expect(statuses(report)).toMatchObject({
        'webhooks.endpoint': 'fail',
        'webhooks.redacted': 'fail',
        'webhooks.https': 'warn',
        'webhooks.api_version': 'warn',
      });
      const partial = await stripe.webhookEndpoints.create({
        url: 'https://acme.example/partial',
        enabled_events: ['identity.verification_session.verified'],
        api_version: Stripe.API_VERSION,
      });
      ({ report } = await doctorJson(cli, base, 'rk_test_x'));
      expect(checkOf(report, 'webhooks.endpoint').detail).toBe(
        `${partial.id} misses requires_input, processing, canceled`,
      );
      const star = await stripe.webhookEndpoints.create({
        url: 'https://acme.example/all',
        enabled_events: ['*'],
        api_version: Stripe.API_VERSION,
      });
      ({ report } = await doctorJson(cli, base, 'rk_test_x'));
      expect(statuses(report)).toMatchObject({
        'webhooks.endpoint': 'pass',
        'webhooks.redacted': 'fail',
        'webhooks.https': 'pass',
        'webhooks.api_version': 'pass',
      });
      expect(checkOf(report, 'webhooks.redacted').detail).toContain('`*` does not deliver it');
      await stripe.webhookEndpoints.update(star.id, {
        enabled_events: ['*', 'identity.verification_session.redacted'],
      });
      ({ report } = await doctorJson(cli, base, 'rk_test_x'));
      expect(statuses(report)).toMatchObject({ 'webhooks.endpoint': 'pass', 'webhooks.redacted': 'pass' });
      await stripe.webhookEndpoints.update(star.id, { disabled: true });
      ({ report } = await doctorJson(cli, base, 'rk_test_x'));
      expect(statuses(report)).toMatchObject({ 'webhooks.endpoint': 'fail', 'webhooks.redacted': 'fail' });
    } finally {
      await sim.close();
    }
  });

  test('webhooks: http is a failure in live mode and a warning in test mode', async () => {
    const { sim, base } = await simulatorFor();
    try {
      addGoodEndpoint(sim, true, { url: 'http://acme.example/hook' });
      addGoodEndpoint(sim, false, { url: 'http://acme.example/hook' });
      expect(checkOf((await doctorJson(cli, base, 'rk_live_x')).report, 'webhooks.https').status).toBe(
        'fail',
      );
      expect(checkOf((await doctorJson(cli, base, 'rk_test_x')).report, 'webhooks.https').status).toBe(
        'warn',
      );
    } finally {
      await sim.close();
    }
  });

  test('webhooks: an api_version other than the client’s fails; none (account default) warns', async () => {
    const { sim, base } = await simulatorFor();
    try {
      addGoodEndpoint(sim, true, { apiVersion: '2024-04-10' });
      let { report } = await doctorJson(cli, base, 'rk_live_x');
      const mismatch = checkOf(report, 'webhooks.api_version');
      expect(mismatch.status).toBe('fail');
      expect(mismatch.detail).toContain(
        `renders events as 2024-04-10, the client uses ${Stripe.API_VERSION}`,
      );
      const other = await doctorJson(cli, base, 'rk_test_x');
      expect(checkOf(other.report, 'webhooks.endpoint').status).toBe('fail');
      const fresh = await simulatorFor();
      try {
        await new Stripe('sk_live_y', {
          host: '127.0.0.1',
          port: Number(new URL(fresh.base).port),
          protocol: 'http',
        }).webhookEndpoints.create({
          url: 'https://acme.example/hook',
          enabled_events: ['*', 'identity.verification_session.redacted'],
        });
        ({ report } = await doctorJson(cli, fresh.base, 'rk_live_x'));
        expect(checkOf(report, 'webhooks.api_version').status).toBe('warn');
        expect(checkOf(report, 'webhooks.api_version').detail).toContain("the account's default version");
      } finally {
        await fresh.sim.close();
      }
    } finally {
      await sim.close();
    }
  });
});

describe('doctor --config: the service options, checked with the library’s own schema', () => {
  test('live key: memory store, http returnUrl, no secret, no alternative, no hash secret all fail', async () => {
    const { sim, base } = await simulatorFor();
    try {
      addGoodEndpoint(sim, true);
      const config = writeConfig(cli, 'unsafe', {
        store: 'memory',
        returnUrl: 'http://acme.example/return',
        webhookSecret: null,
        onAlternative: false,
        hashSecret: false,
      });
      const { run, report } = await doctorJson(cli, base, 'rk_live_x', ['--config', config]);
      expect(run.code).toBe(1);
      expect(statuses(report)).toMatchObject({
        'config.options': 'pass',
        'config.store': 'fail',
        'config.return_url': 'fail',
        'config.webhook_secret': 'fail',
        'config.on_alternative': 'fail',
        'config.hash_secret': 'fail',
      });
    } finally {
      await sim.close();
    }
  });

  test('test-mode client: the same gaps are warnings where a test setup may have them', async () => {
    const { sim, base } = await simulatorFor();
    try {
      addGoodEndpoint(sim, false);
      const config = writeConfig(cli, 'testmode', {
        key: 'sk_test_config',
        store: 'memory',
        returnUrl: 'http://localhost:3000/return',
        hashSecret: false,
      });
      const { run, report } = await doctorJson(cli, base, 'rk_test_x', ['--config', config]);
      expect(statuses(report)).toMatchObject({
        'config.store': 'warn',
        'config.return_url': 'warn',
        'config.hash_secret': 'warn',
      });
      expect(run.code).toBe(0);
    } finally {
      await sim.close();
    }
  });

  test('limits: loose limits fail, defaults warn, fewer sessions than submissions warn', async () => {
    const { sim, base } = await simulatorFor();
    try {
      const cases: Array<[string | null, string]> = [
        ['{ maxSubmissions: 50 }', 'fail'],
        [null, 'warn'],
        ['{ maxSubmissions: 4, maxSessions: 2 }', 'warn'],
        ['{ maxSubmissions: 2, maxSessions: 4, windowDays: 30 }', 'pass'],
      ];
      for (const [index, [limits, expected]] of cases.entries()) {
        const config = writeConfig(cli, `limits-${index}`, { limits });
        const { report } = await doctorJson(cli, base, 'rk_live_x', ['--config', config]);
        expect([limits, checkOf(report, 'config.limits').status]).toEqual([limits, expected]);
      }
    } finally {
      await sim.close();
    }
  });

  test('a malformed webhook secret and an invalid option are failures with the library’s message', async () => {
    const { sim, base } = await simulatorFor();
    try {
      const malformed = writeConfig(cli, 'secret', { webhookSecret: 'not-a-secret' });
      let { report } = await doctorJson(cli, base, 'rk_live_x', ['--config', malformed]);
      expect(checkOf(report, 'config.webhook_secret').status).toBe('fail');
      const invalid = writeConfig(cli, 'invalid', { extra: 'maxSubmisions: 3,' });
      ({ report } = await doctorJson(cli, base, 'rk_live_x', ['--config', invalid]));
      const options = checkOf(report, 'config.options');
      expect(options.status).toBe('fail');
      expect(options.detail).toContain('unknown option "maxSubmisions"');
      expect(report.checks.filter((c) => c.id.startsWith('config.'))).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });

  test('worst-case cost: maxSubmissions × --price, projected for --users', async () => {
    const { sim, base } = await simulatorFor();
    try {
      const config = writeConfig(cli, 'cost', {
        limits: '{ maxSubmissions: 3, maxSessions: 5, windowDays: 30 }',
      });
      let { report } = await doctorJson(cli, base, 'rk_live_x', ['--config', config]);
      expect(checkOf(report, 'cost.worst_case').detail).toBe('4.50 per user per 30 days (3 × 1.50)');
      ({ report } = await doctorJson(cli, base, 'rk_live_x', [
        '--config',
        config,
        '--price',
        '2',
        '--users',
        '10000',
      ]));
      expect(checkOf(report, 'cost.worst_case').detail).toBe(
        '6.00 per user per 30 days (3 × 2.00); for 10,000 users: 60,000.00',
      );
    } finally {
      await sim.close();
    }
  });

  test('a config module that leaves a handle open (a store pool) does not keep doctor running', async () => {
    const { sim, base } = await simulatorFor();
    try {
      const path = join(cli.dir, 'open-handle.mjs');
      writeFileSync(
        path,
        "import Stripe from 'stripe';\nimport { createServer } from 'node:net';\ncreateServer().listen(0, '127.0.0.1');\nexport const options = { stripe: new Stripe('sk_test_x'), returnUrl: 'https://a.example/r', webhookSecret: 'whsec_abc' };\n",
      );
      const { run, report } = await doctorJson(cli, base, 'rk_test_x', ['--config', path]);
      expect(run.code).toBe(1);
      expect(checkOf(report, 'config.options').status).toBe('pass');
    } finally {
      await sim.close();
    }
  });

  test('a config that cannot be loaded is a usage error', async () => {
    const { sim, base } = await simulatorFor();
    try {
      const run = await runCli(cli, ['doctor', '--api-base', base, '--config', './no/such/module.mjs'], {
        env: { STRIPE_SECRET_KEY: 'rk_test_x' },
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--config: no module at');
    } finally {
      await sim.close();
    }
  });
});

describe('doctor: when the checks cannot run, it says so (exit 3), not as failed checks', () => {
  test('a bad key', async () => {
    const { sim, base } = await simulatorFor({ apiKeys: ['rk_test_only'] });
    try {
      const { run, report } = await doctorJson(cli, base, 'rk_test_wrong');
      expect(run.code).toBe(3);
      expect(report).toMatchObject({ ready: false, checks: [], error: { reason: 'bad_key' } });
      const human = await runCli(cli, ['doctor', '--api-base', base], {
        env: { STRIPE_SECRET_KEY: 'rk_test_wrong' },
      });
      expect(human.code).toBe(3);
      expect(human.stderr).toContain('Could not run the checks: Stripe refused the key (401)');
      expect(human.stdout).toBe('');
    } finally {
      await sim.close();
    }
  });

  test('no network', async () => {
    const { sim, base } = await simulatorFor();
    await sim.close();
    const { run, report } = await doctorJson(cli, base, 'rk_test_x');
    expect(run.code).toBe(3);
    expect(report.error?.reason).toBe('network');
    expect(report.error?.message).toContain('could not reach');
  });

  test('Stripe answering 5xx', async () => {
    const { sim, base } = await simulatorFor();
    try {
      sim.setFaultRate(1, { kind: 'http_500', match: { path: '/v1/account' } });
      const { run, report } = await doctorJson(cli, base, 'rk_test_x');
      expect(run.code).toBe(3);
      expect(report.error?.reason).toBe('stripe_unavailable');
    } finally {
      await sim.close();
    }
  });
});

describe('webhooks create', () => {
  test('creates an endpoint for the six Identity events at the client’s API version; doctor then passes its checks', async () => {
    const { sim, base } = await simulatorFor();
    try {
      const run = await runCli(
        cli,
        ['webhooks', 'create', '--url', 'https://acme.example/stripe/webhook', '--api-base', base],
        {
          env: { STRIPE_SECRET_KEY: 'sk_test_admin' },
        },
      );
      expect(run.code).toBe(0);
      const secret = /Signing secret \(shown once; store it as webhookSecret now\): (whsec_\w+)/.exec(
        run.stdout,
      )?.[1];
      expect(secret).toBeTruthy();
      const stripe = new Stripe('sk_test_admin', {
        host: '127.0.0.1',
        port: Number(new URL(base).port),
        protocol: 'http',
      });
      const [endpoint] = (await stripe.webhookEndpoints.list()).data;
      expect(endpoint?.url).toBe('https://acme.example/stripe/webhook');
      expect(endpoint?.api_version).toBe(Stripe.API_VERSION);
      expect(endpoint?.enabled_events).toHaveLength(6);
      expect(endpoint?.enabled_events).toContain('identity.verification_session.redacted');
      expect(run.stdout).toContain(endpoint?.id ?? 'missing');
      const { report } = await doctorJson(cli, base, 'rk_test_x');
      expect(statuses(report)).toMatchObject({
        'webhooks.endpoint': 'pass',
        'webhooks.redacted': 'pass',
        'webhooks.https': 'pass',
        'webhooks.api_version': 'pass',
      });
      const json = await runCli(
        cli,
        ['webhooks', 'create', '--json', '--url', 'https://acme.example/second', '--api-base', base],
        {
          env: { STRIPE_SECRET_KEY: 'sk_test_admin' },
        },
      );
      expect(JSON.parse(json.stdout)).toMatchObject({
        url: 'https://acme.example/second',
        secret: expect.stringMatching(/^whsec_/),
      });
      expect(JSON.parse(json.stdout).secret).not.toBe(secret);
    } finally {
      await sim.close();
    }
  });

  test('a refusal from Stripe is reported with its message (exit 1)', async () => {
    const { sim, base } = await simulatorFor({ restrictedKeyPermissions: { rk_test_ro: ['identity'] } });
    try {
      const run = await runCli(
        cli,
        ['webhooks', 'create', '--url', 'https://acme.example/h', '--api-base', base],
        {
          env: { STRIPE_SECRET_KEY: 'rk_test_ro' },
        },
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Stripe refused to create the endpoint: The provided key');
    } finally {
      await sim.close();
    }
  });
});

describe('doctor on a terminal (a pseudo-terminal from util-linux `script`)', () => {
  async function onTerminal(env: Record<string, string>): Promise<string> {
    const { spawn } = await import('node:child_process');
    return new Promise((resolve, reject) => {
      const child = spawn('script', ['-qefc', `${process.execPath} ${cli.path} doctor`, '/dev/null'], {
        env: { PATH: process.env.PATH, TERM: 'xterm-256color', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
  }

  test('colours and a spinner on a TTY; NO_COLOR removes the colours', async () => {
    const { sim, base } = await simulatorFor();
    try {
      const env = { STRIPE_SECRET_KEY: 'rk_test_tty', STRIPE_API_BASE: base };
      const coloured = await onTerminal(env);
      expect(coloured).toContain('\u001b[32m✓');
      expect(coloured).toContain('⠋ Asking Stripe…');
      const plain = await onTerminal({ ...env, NO_COLOR: '1' });
      expect(plain).toContain('✓ Key can use Identity');
      expect(plain).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`));
    } finally {
      await sim.close();
    }
  });
});
