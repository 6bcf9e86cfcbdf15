// Runs examples/node against the packed tarball installed in a scratch app (argv[2]): the example's files
// are copied there, so `stripe-identity-kit` resolves to node_modules (the tarball), never to ../src.
// The journey: unauthenticated start → 401; sign in; start → link; the simulated user submits on the
// hosted page; the signed webhook lands; status says verified.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = process.argv[2];
if (!scratch)
  throw new Error('usage: node test/consumer/example.mjs <scratch app with the tarball installed>');
for (const dir of ['node', 'shared']) {
  mkdirSync(join(scratch, 'examples', dir), { recursive: true });
  cpSync(join(root, 'examples', dir), join(scratch, 'examples', dir), { recursive: true });
}
// The examples are ES modules (top-level await), as in this repository.
writeFileSync(join(scratch, 'examples', 'package.json'), JSON.stringify({ type: 'module' }));

const port = await new Promise((found) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => found(port));
  });
});
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const child = spawn(process.execPath, ['--import', tsx, 'examples/node/server.ts'], {
  cwd: scratch,
  env: { ...process.env, PORT: String(port), STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const fail = (message) => {
  child.kill();
  throw new Error(`example against the tarball: ${message}`);
};
try {
  const base = await new Promise((found, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match) found(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`the example exited with ${code}: ${out}`)));
  });
  const anonymous = await fetch(`${base}/identity/start`, { method: 'POST' });
  if (anonymous.status !== 401) fail(`unauthenticated start answered ${anonymous.status}`);
  const signIn = await fetch(`${base}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=packed',
    redirect: 'manual',
  });
  const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? fail('no sign-in cookie');
  const started = await (
    await fetch(`${base}/identity/start`, { method: 'POST', headers: { cookie } })
  ).json();
  if (started.status !== 'redirect') fail(`start answered ${started.status}`);
  await fetch(started.url);
  const submitted = await fetch(started.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'outcome=verified',
    redirect: 'manual',
  });
  if (submitted.status !== 303) fail(`the hosted page answered ${submitted.status}`);
  let state = 'none';
  for (let tries = 0; tries < 100 && state !== 'verified'; tries += 1) {
    state = (await (await fetch(`${base}/identity/status`, { headers: { cookie } })).json()).state;
    if (state !== 'verified') await new Promise((wait) => setTimeout(wait, 50));
  }
  if (state !== 'verified') fail(`status stayed ${state}: the webhook did not land`);
  console.log('example against the tarball ok (401, link, submission, signed webhook, verified)');
} finally {
  child.kill();
}
