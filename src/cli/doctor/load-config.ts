/** Loads the module given to `--config`: its default export (or `options`), an object or a function returning one. */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../args.js';

/** Imports `path` (relative to `cwd`) and returns the service options it exports. */
export async function loadConfig(path: string, cwd: string): Promise<unknown> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes(file)) {
      throw new UsageError(`--config: no module at ${file}`);
    }
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new UsageError(
        `--config: Node cannot import ${file} as is: compile it to JavaScript, or run doctor under a loader (node --import tsx node_modules/.bin/stripe-identity-kit doctor …)`,
      );
    }
    throw new UsageError(`--config: importing ${file} failed: ${message}`);
  }
  const exported = module.default ?? module.options;
  if (exported === undefined) {
    throw new UsageError(
      `--config: ${file} must export the VerificationService options (export default { … } or export const options)`,
    );
  }
  const options = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
  // A CommonJS module imported from ESM arrives as { default: module.exports }.
  if (typeof options === 'object' && options !== null && 'default' in options && !('stripe' in options)) {
    return (options as { default: unknown }).default;
  }
  return options;
}
