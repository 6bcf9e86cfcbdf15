import { IdentityKitError, StoreUnavailableError } from '../../errors.js';

/** Where a failed store call happened, for the error message (never values: they may be user ids). */
export interface StoreCall {
  /** The store's short name, such as `redis`. */
  store: string;
  /** The contract method, such as `reserveSessionSlot`. */
  operation: string;
}

/** Turns whatever a driver threw into one of the library's errors. */
export type DriverErrorClassifier = (error: unknown, call: StoreCall) => IdentityKitError;

/** The message of any thrown value, without assuming it is an `Error`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Default classification: the library's own errors pass through, everything else means "unavailable". */
export const unavailable: DriverErrorClassifier = (error, call) => {
  if (error instanceof IdentityKitError) return error;
  return new StoreUnavailableError(
    `The ${call.store} store failed during ${call.operation}: ${describeError(error)}`,
    error,
  );
};

/**
 * Runs one store call with an upper bound on its duration. Drivers such as ioredis queue commands
 * forever while disconnected, and a stalled server never answers, so the caller would hang instead of
 * failing closed. A call that times out may still take effect later on the server; callers treat it
 * like any other indeterminate failure.
 */
export async function bounded<T>(
  call: StoreCall,
  timeoutMs: number,
  run: () => Promise<T>,
  classify: DriverErrorClassifier = unavailable,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new StoreUnavailableError(
          `The ${call.store} store did not answer ${call.operation} within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
  });
  const work = run();
  // The losing promise must not surface as an unhandled rejection once the deadline has won.
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    throw classify(error, call);
  } finally {
    clearTimeout(timer);
  }
}
