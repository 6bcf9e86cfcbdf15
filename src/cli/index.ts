#!/usr/bin/env node
/** The `stripe-identity-kit` binary. */
import { createRequire } from 'node:module';
import { main } from './main.js';

/** The package's version: `dist/cli.js` sits one folder below package.json (`src/cli/` two, under tsx). */
function packageVersion(): string {
  const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(path) as { name?: string; version?: string };
      if (pkg.name === 'stripe-identity-kit' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return 'unknown';
}

void main(
  {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
  },
  packageVersion(),
).then((code) => {
  process.exitCode = code;
  // A --config module may open connections (a store's pool) that nothing here closes: once the command is
  // done, give pending output a moment, then leave even if such a handle keeps the event loop busy.
  setTimeout(() => process.exit(code), 500).unref();
});
