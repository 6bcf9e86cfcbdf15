import { IdentityKitError, StoreUnsupportedError } from '../../errors.js';
import { type DriverErrorClassifier, describeError, unavailable } from '../shared/bounded.js';

/** D1 errors: a missing table means the migration never ran (an operator must act); the rest is unavailability. */
export const classifyD1Error: DriverErrorClassifier = (error, call) => {
  if (error instanceof IdentityKitError) return error;
  const message = describeError(error);
  if (/no such table/i.test(message)) {
    return new StoreUnsupportedError(
      `The d1 store cannot run ${call.operation}: its tables do not exist. Apply the migration ` +
        '(`wrangler d1 migrations apply`, with the SQL of D1Store.migrationSql()) or call ' +
        `\`await store.migrate()\` once (${message}).`,
    );
  }
  return unavailable(error, call);
};
