/**
 * The part of Cloudflare's D1 binding the store uses, described structurally so that the package does not
 * depend on `@cloudflare/workers-types`: `env.DB` in a Worker and miniflare's `getD1Database()` both fit.
 */

/** A value D1 can bind. */
export type D1Value = string | number | null;

/** What D1 answers for one statement. */
export interface D1ResultLike<Row = Record<string, unknown>> {
  results?: Row[];
  meta?: { changes?: number };
}

/** A prepared statement; `bind` returns the statement to run or to put in a batch. */
export interface D1StatementLike {
  /** The statement with these values for its `?` / `?N` parameters. */
  bind(...values: D1Value[]): D1StatementLike;
  /** Runs the statement alone: its rows and how many rows it changed. */
  all<Row = Record<string, unknown>>(): Promise<D1ResultLike<Row>>;
}

/** A D1 database binding. `batch` runs its statements in order as one transaction. */
export interface D1DatabaseLike {
  /** Compiles one statement. */
  prepare(sql: string): D1StatementLike;
  /** Runs the statements in order in one transaction; one result per statement. */
  batch<Row = Record<string, unknown>>(statements: D1StatementLike[]): Promise<D1ResultLike<Row>[]>;
}
