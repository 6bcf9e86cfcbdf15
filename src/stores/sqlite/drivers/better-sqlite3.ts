import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDriver, SqlRow, SqlValue } from './types.js';

/** An open better-sqlite3 database. */
export type BetterSqliteDatabase = BetterSqlite3.Database;

/** True for a better-sqlite3 `Database` (it has `pragma`, which node:sqlite's `DatabaseSync` has not). */
export function isBetterSqliteDatabase(db: object): db is BetterSqliteDatabase {
  return typeof (db as { pragma?: unknown }).pragma === 'function';
}

/**
 * A `require` that resolves from this package, in either build: the CommonJS build gets `import.meta.url`
 * from the bundler's shim. (A bare `require` would be the bundler's throwing stand-in in the ES build.)
 */
const requireHere = () => createRequire(import.meta.url);

/**
 * Loads better-sqlite3 only when a path is to be opened with it, so that `stripe-identity-kit/sqlite`
 * imports without the addon installed (node:sqlite users never install it).
 */
function loadBetterSqlite(): typeof BetterSqlite3 | null {
  const load = requireHere();
  try {
    return load('better-sqlite3') as typeof BetterSqlite3;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return null;
    throw error;
  }
}

/** True when the `better-sqlite3` package can be resolved (it is not loaded). */
export function betterSqliteInstalled(): boolean {
  try {
    requireHere().resolve('better-sqlite3');
    return true;
  } catch {
    return false;
  }
}

/** Opens `filename` with better-sqlite3, or `null` when the package is not installed. */
export function openBetterSqlite(filename: string): BetterSqliteDatabase | null {
  const Database = loadBetterSqlite();
  return Database ? new Database(filename) : null;
}

/** Adapts an open better-sqlite3 database to the store's driver interface. */
export function betterSqliteDriver(db: BetterSqliteDatabase): SqliteDriver {
  return {
    name: 'better-sqlite3',
    readonly: db.readonly,
    prepare(sql) {
      const statement = db.prepare<SqlValue[], SqlRow>(sql);
      return {
        get: (...params) => statement.get(...params),
        all: (...params) => statement.all(...params),
        run: (...params) => statement.run(...params).changes,
      };
    },
    exec: (sql) => {
      db.exec(sql);
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}
