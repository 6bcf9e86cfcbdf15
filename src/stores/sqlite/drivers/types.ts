/** A value SQLite can bind; both drivers accept these. */
export type SqlValue = string | number | bigint | null;

/** A row as the drivers return it: column name → value. */
export type SqlRow = Record<string, unknown>;

/** The drivers `SqliteStore` runs on. */
export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite';

/** One prepared statement, the same on every driver. */
export interface SqliteStatementHandle {
  /** The first row, or `undefined`. */
  get(...params: SqlValue[]): SqlRow | undefined;
  /** Every row. */
  all(...params: SqlValue[]): SqlRow[];
  /** Runs a statement that returns no rows; the number of rows it changed. */
  run(...params: SqlValue[]): number;
}

/**
 * What the store needs from a synchronous SQLite driver. Each driver is adapted in a file of its own, so
 * the store's SQL and transactions are written once.
 */
export interface SqliteDriver {
  readonly name: SqliteDriverName;
  /** True when the driver knows the database was opened read-only (node:sqlite cannot tell). */
  readonly readonly: boolean;
  prepare(sql: string): SqliteStatementHandle;
  /** Runs statements that take no parameters (DDL, `BEGIN`, `COMMIT`). */
  exec(sql: string): void;
  /** Closes the database; closing twice is harmless. */
  close(): void;
}

/**
 * A `DatabaseSync` from Node's built-in `node:sqlite` (Node 22.5 or later), described by the methods the
 * store uses, so that the types do not depend on the Node version of your `@types/node`.
 */
export interface NodeSqliteDatabase {
  /** Compiles one statement. */
  prepare(sql: string): {
    /** The first row, or `undefined`. */
    get(...params: SqlValue[]): unknown;
    /** Every row. */
    all(...params: SqlValue[]): unknown[];
    /** Runs the statement; `changes` is the number of rows it changed. */
    run(...params: SqlValue[]): { changes: number | bigint };
  };
  /** Runs statements without parameters. */
  exec(sql: string): void;
  /** Closes the database. */
  close(): void;
}
