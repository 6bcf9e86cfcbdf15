import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

/*
 * The Hono adapter on Web-standard runtimes: the fixture serves the sub-app with Bun.serve / Deno.serve
 * and runs 401, 403, a verified journey through a signed webhook and a redact against the simulator.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/hono-web-runtime.ts', import.meta.url));
/**
 * The runtime's executable from its npm package: the platform package's binary when the install scripts
 * did not run (npm's script policy), else the one the package's postinstall put in place.
 */
const binary = (...candidates: string[]) =>
  candidates
    .map((candidate) => `${root}node_modules/${candidate}`)
    .find((path) => existsSync(path) && statSync(path).size > 1_000_000) ??
  `${root}node_modules/${candidates.at(-1)}`;

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: root, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

const runtimes: Array<[string, string, string[]]> = [
  ['Bun', binary('@oven/bun-linux-x64/bin/bun', 'bun/bin/bun.exe'), [fixture]],
  [
    'Deno',
    binary('@deno/linux-x64-glibc/deno', 'deno/deno'),
    ['run', '-A', '--sloppy-imports', '--quiet', fixture],
  ],
];

describe('createHonoApp on Web-standard runtimes', () => {
  test.each(runtimes)(
    '%s serves the routes and the webhook',
    { timeout: 90_000 },
    async (_name, command, args) => {
      expect(existsSync(command), `${command} is installed by npm ci (devDependency)`).toBe(true);
      const lines = (await run(command, args)).trim().split('\n');
      expect(JSON.parse(lines.at(-1) ?? '{}')).toEqual({
        anonymous: 401,
        crossSite: 403,
        deliveries: [200, 200],
        status: 'verified',
        redact: 200,
      });
    },
  );
});
