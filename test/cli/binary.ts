/**
 * The real `stripe-identity-kit` binary for tests: built once per test file with the project's own tsup
 * configuration (the `cli` entry only, no type declarations), then spawned as `node <dir>/cli.js`.
 * It is built under node_modules/.cache so that `stripe` and `zod` resolve as they do for a user.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'tsup';
import tsupConfig from '../../tsup.config.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** A built copy of the binary; `dispose` removes it. */
export interface BuiltCli {
  path: string;
  dir: string;
  dispose: () => void;
}

/** Builds `dist/cli.js` as `npm run build` does, into a private folder. */
export async function buildCli(): Promise<BuiltCli> {
  const config = (Array.isArray(tsupConfig) ? tsupConfig[0] : tsupConfig) as {
    entry: Record<string, string>;
    external?: (string | RegExp)[];
    target?: string;
  };
  const cacheRoot = join(ROOT, 'node_modules/.cache/stripe-identity-kit-cli');
  mkdirSync(cacheRoot, { recursive: true });
  const dir = mkdtempSync(join(cacheRoot, 'build-'));
  await build({
    config: false,
    entry: { cli: join(ROOT, config.entry.cli ?? 'src/cli/index.ts') },
    format: ['esm'],
    outDir: dir,
    dts: false,
    clean: false,
    splitting: true,
    treeshake: true,
    silent: true,
    ...(config.target ? { target: config.target } : {}),
    ...(config.external ? { external: config.external } : {}),
  });
  return { path: join(dir, 'cli.js'), dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a finished run printed and returned. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment without colour hints or Stripe settings from the machine running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...env, ...extra };
}

/** Runs the binary to completion. */
export function runCli(
  cli: BuiltCli,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli.path, ...args], {
      env: cleanEnv(options.env),
      cwd: options.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A running `simulate` process. */
export interface RunningSimulator {
  child: ChildProcess;
  base: string;
  secret: string;
  /** Everything printed so far. */
  output: () => string;
  /** Sends `signal` and resolves with the exit code and the whole output. */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; output: string }>;
}

/** Starts `simulate` with `args` (add `--port 0`) and waits for its banner. */
export function startSimulate(cli: BuiltCli, args: string[]): Promise<RunningSimulator> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli.path, 'simulate', ...args], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let started = false;
    const closed = new Promise<number | null>((done) => child.on('close', done));
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const base = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const secret = /Webhook signing secret: (whsec_\w+)/.exec(output)?.[1];
      if (!started && base && secret && output.includes('Ready.')) {
        started = true;
        resolvePromise({
          child,
          base,
          secret,
          output: () => output,
          stop: async (signal = 'SIGINT') => {
            child.kill(signal);
            return { code: await closed, output };
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    void closed.then((code) => {
      if (!started) reject(new Error(`simulate exited with ${code} before it was ready:\n${output}`));
    });
  });
}
