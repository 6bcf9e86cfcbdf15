import pg from 'pg';

/** The machine's PostgreSQL (trust auth, database `test`; never stopped by these tests). */
export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

/** A pool that does not crash the test process when an idle connection dies. */
export function postgresPool(options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ ...POSTGRES, max: 10, ...options });
  pool.on('error', () => {});
  return pool;
}

/** A table prefix unique to this test file, this process and this call. */
export function uniqueTablePrefix(tag: string): () => string {
  let count = 0;
  return () => {
    count += 1;
    return `sik_t_${tag}_${process.pid}_${count}_`;
  };
}

/** Drops every table whose name starts with `prefix`; returns how many there were. */
export async function dropTables(pool: pg.Pool, prefix: string): Promise<number> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND left(table_name, length($1)) = $1`,
    [prefix.toLowerCase()],
  );
  if (rows.length > 0) await pool.query(`DROP TABLE IF EXISTS ${rows.map((row) => row.name).join(', ')}`);
  return rows.length;
}
