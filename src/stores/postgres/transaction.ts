import type { Pool, PoolClient } from 'pg';

const ignore = () => {};
const guarded = new WeakSet<PoolClient>();

/**
 * pg emits 'error' on a client whose server connection died while no query was running on it, and a
 * client released with an error is ended by the pool without a listener: a connection terminated by the
 * server (a failover, `pg_terminate_backend`) then crashed the process with an unhandled 'error'
 * (found by test/reliability/store-faults). A client this store ever checked out keeps a no-op listener
 * for good; the failure itself still reaches the caller through its rejected query.
 */
export function guardClient(client: PoolClient): void {
  if (guarded.has(client)) return;
  guarded.add(client);
  client.on('error', ignore);
}

/**
 * Runs `work` in one transaction on one pooled connection. `lock_timeout` and `statement_timeout` bound
 * the server side too: a row lock held by a stuck caller must not pin every pool connection waiting on it.
 * A connection whose rollback failed is destroyed rather than returned to the pool.
 */
export async function inTransaction<T>(
  pool: Pool,
  timeoutMs: number,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  guardClient(client);
  let broken: Error | undefined;
  // pg leaves a checked-out client without an 'error' listener: a connection dying mid-transaction would
  // crash the process with an unhandled 'error'. Its pending query rejects by itself; just remember why.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query(
      `BEGIN; SET LOCAL lock_timeout = ${timeoutMs}; SET LOCAL statement_timeout = ${timeoutMs}`,
    );
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
