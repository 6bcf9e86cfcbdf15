/** What a command runs with: its arguments, environment and streams (injected, so tests need no globals). */
import type { OutputStream } from './terminal.js';

/** One command invocation. */
export interface CliContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
}

/** A command: resolves to the process exit code. */
export type Command = (ctx: CliContext) => Promise<number>;
