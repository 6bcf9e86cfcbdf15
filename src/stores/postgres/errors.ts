import { IdentityKitError, StoreUnsupportedError } from '../../errors.js';
import { type DriverErrorClassifier, describeError, unavailable } from '../shared/bounded.js';

/** SQLSTATEs meaning the schema or the grants are wrong: retrying cannot help, an operator must act. */
const SCHEMA_PROBLEMS: Record<string, string> = {
  '42P01': 'its tables do not exist: run `await store.migrate()` once (with a role that may CREATE TABLE)',
  '42703': 'its tables have an unexpected shape: another program uses the same table prefix',
  '42501': 'the database role lacks a privilege on its tables',
};

const sqlState = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** PostgreSQL errors: schema and privilege problems are `StoreUnsupportedError`, the rest unavailability. */
export const classifyPostgresError: DriverErrorClassifier = (error, call) => {
  if (error instanceof IdentityKitError) return error;
  const problem = SCHEMA_PROBLEMS[sqlState(error) ?? ''];
  if (problem) {
    return new StoreUnsupportedError(
      `The postgres store cannot run ${call.operation}: ${problem} (${describeError(error)}).`,
    );
  }
  return unavailable(error, call);
};
