// Consumer smoke test: pack the package, install it in a scratch project, and import it as a user would,
// from ESM, from CommonJS and from TypeScript compiled with moduleResolution node16.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Starts the installed binary's simulator, waits for its banner, stops it with SIGTERM: exit 0 expected. */
const SIMULATE_AND_STOP = `
const { spawn } = require('node:child_process');
const child = spawn(process.argv[1], ['simulate', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
let stopping = false;
child.stdout.on('data', (chunk) => {
  out += chunk;
  if (out.includes('Ready.') && !stopping) {
    stopping = true;
    child.kill('SIGTERM');
  }
});
child.on('close', (code) => {
  if (code !== 0 || !out.includes('Stopped (SIGTERM).')) { console.error(out); process.exit(1); }
});
`;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = mkdtempSync(join(tmpdir(), 'sik-consumer-'));
const run = (cmd, args, cwd = scratch) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
try {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', scratch], root)
    .trim()
    .split('\n')
    .pop();
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const local = (name) => join(root, 'node_modules', name);
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--offline',
    join(scratch, tarball),
    local('stripe'),
    local('zod'),
    local('typescript'),
    local('@types/node'),
    // Optional peers of the framework subpaths, so that importing each one is checked too.
    local('express'),
    local('hono'),
    local('jose'),
  ]);
  writeFileSync(
    join(scratch, 'esm.mjs'),
    `import { VerificationService, MemoryStore, isIdentityKitError } from 'stripe-identity-kit';
import { toNodeListener } from 'stripe-identity-kit/node';
import { IdentitySimulator } from 'stripe-identity-kit/testing';
import { createExpressRouter } from 'stripe-identity-kit/express';
import { createFastifyPlugin } from 'stripe-identity-kit/fastify';
import { createHonoApp } from 'stripe-identity-kit/hono';
import { createNextRouteHandlers } from 'stripe-identity-kit/next';
import { jwtAuth } from 'stripe-identity-kit/auth';
if (typeof VerificationService !== 'function' || typeof MemoryStore !== 'function' || typeof isIdentityKitError !== 'function') throw new Error('esm core');
if (typeof toNodeListener !== 'function' || typeof IdentitySimulator !== 'function') throw new Error('esm subpaths');
if ([createExpressRouter, createFastifyPlugin, createHonoApp, createNextRouteHandlers, jwtAuth].some((f) => typeof f !== 'function')) throw new Error('esm http subpaths');
console.log('esm ok');`,
  );
  writeFileSync(
    join(scratch, 'cjs.cjs'),
    `const { VerificationService } = require('stripe-identity-kit');
const { toNodeListener } = require('stripe-identity-kit/node');
const { IdentitySimulator } = require('stripe-identity-kit/testing');
const { createExpressRouter } = require('stripe-identity-kit/express');
const { createFastifyPlugin } = require('stripe-identity-kit/fastify');
const { createHonoApp } = require('stripe-identity-kit/hono');
const { createNextRouteHandlers } = require('stripe-identity-kit/next');
if (typeof VerificationService !== 'function' || typeof toNodeListener !== 'function' || typeof IdentitySimulator !== 'function') throw new Error('cjs');
if ([createExpressRouter, createFastifyPlugin, createHonoApp, createNextRouteHandlers].some((f) => typeof f !== 'function')) throw new Error('cjs http subpaths');
console.log('cjs ok');`,
  );
  writeFileSync(
    join(scratch, 'typed.mts'),
    `import Stripe from 'stripe';
import { VerificationService, MemoryStore, type StartResult } from 'stripe-identity-kit';
import { IdentitySimulator } from 'stripe-identity-kit/testing';
import { createNextRouteHandlers } from 'stripe-identity-kit/next';
import { jwtAuth } from 'stripe-identity-kit/auth';
const service = new VerificationService({ stripe: new Stripe('sk_test_x'), store: new MemoryStore(), returnUrl: 'https://a.example/r' });
const describe = (result: StartResult): string => (result.status === 'redirect' ? result.url : result.status);
const handlers = createNextRouteHandlers(service, jwtAuth({ secret: 'a-consumer-secret-of-32-bytes-or-more' }));
void service; void describe; void IdentitySimulator; void handlers.POST;
console.log('ts ok');`,
  );
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        target: 'es2022',
        outDir: 'out',
        skipLibCheck: false,
        types: ['node'],
      },
      files: ['typed.mts'],
    }),
  );
  process.stdout.write(run('node', ['esm.mjs']));
  process.stdout.write(run('node', ['cjs.cjs']));
  run('npx', ['tsc', '-p', '.']);
  process.stdout.write(run('node', ['out/typed.mjs']));
  process.stdout.write(run('node', [join(root, 'test/consumer/example.mjs'), scratch]));
  // The binary from the installed tarball, as a user runs it: help, and a usage error's exit code 2.
  const help = run('npx', ['--no-install', 'stripe-identity-kit', '--help']);
  if (!help.includes('simulate') || !help.includes('doctor')) throw new Error('cli --help');
  const usage = spawnSync('npx', ['--no-install', 'stripe-identity-kit', 'doctor', '--nope'], {
    cwd: scratch,
  });
  if (usage.status !== 2) throw new Error(`cli usage error exited ${usage.status}`);
  if (!run('npx', ['--no-install', 'stripe-identity-kit', 'doctor', '--help']).includes('--config')) {
    throw new Error('cli doctor --help');
  }
  const simulated = spawnSync(
    'node',
    ['-e', SIMULATE_AND_STOP, join(scratch, 'node_modules/.bin/stripe-identity-kit')],
    { cwd: scratch, encoding: 'utf8', timeout: 30_000 },
  );
  if (simulated.status !== 0) throw new Error(`cli simulate: ${simulated.stdout}${simulated.stderr}`);
  console.log('cli ok');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
