import { StoreUnsupportedError } from '../../errors.js';
import { unavailable } from '../shared/bounded.js';
import {
  openDriver,
  type SqliteDriver,
  type SqliteDriverChoice,
  type SqliteSource,
} from './drivers/index.js';
import { sqliteSchema, sqliteTables } from './schema.js';

/** An open, configured connection with the store's tables in place. */
export interface SqliteConnection {
  db: SqliteDriver;
  /** The store opened it, so the store closes it. */
  owned: boolean;
  /** `:memory:` or a temporary database: private to this connection. */
  inMemory: boolean;
}

const guard = <T>(operation: string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    throw unavailable(error, { store: 'sqlite', operation });
  }
};

const readOnlyRefused = () =>
  new StoreUnsupportedError('The SQLite store needs a writable database; this one was opened read-only.');

/** SQLITE_READONLY as each driver reports it: better-sqlite3's `code`, node:sqlite's `errcode` (8). */
const isReadOnlyError = (error: unknown): boolean => {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  return errcode === 8 || (typeof code === 'string' && code.startsWith('SQLITE_READONLY'));
};

const pragma = (db: SqliteDriver, statement: string): unknown => {
  const row = db.prepare(`PRAGMA ${statement}`).get();
  return row ? Object.values(row)[0] : undefined;
};

/**
 * Opens (or adopts) a database, bounds lock waits with `busy_timeout`, switches a file to WAL (several
 * connections, even in several processes, may then read while one writes) and creates the tables in a
 * `BEGIN IMMEDIATE` transaction, so that instances starting together do not trip over each other.
 */
export function openSqlite(
  source: SqliteSource,
  driver: SqliteDriverChoice | undefined,
  prefix: string,
  timeoutMs: number,
): SqliteConnection {
  const { driver: db, owned } = guard('open', () => openDriver(source, driver));
  try {
    if (db.readonly) throw readOnlyRefused();
    guard('configure', () => pragma(db, `busy_timeout = ${timeoutMs}`));
    // Deleted rows are overwritten with zeros, so a redacted record leaves no residue in free pages.
    guard('configure', () => pragma(db, 'secure_delete = ON'));
    // An empty file name is SQLite's own answer for `:memory:` and temporary databases, on every driver.
    const inMemory = guard('configure', () => mainFile(db) === '');
    if (!inMemory) {
      const mode = setWal(db);
      if (String(mode).toLowerCase() !== 'wal') {
        throw new StoreUnsupportedError(
          'The SQLite store needs WAL journal mode for a file shared by several connections, but the database ' +
            `stayed in ${JSON.stringify(mode)} mode (network file systems cannot use WAL). Use a local file, ` +
            'or a Redis or PostgreSQL store.',
        );
      }
    }
    guard('createTables', () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(sqliteSchema(sqliteTables(prefix)));
        db.exec('COMMIT');
      } catch (error) {
        rollback(db);
        throw error;
      }
    });
    return { db, owned, inMemory };
  } catch (error) {
    if (owned) db.close();
    throw error;
  }
}

function mainFile(db: SqliteDriver): unknown {
  return db.prepare(`SELECT file FROM pragma_database_list WHERE name = 'main'`).get()?.file;
}

function setWal(db: SqliteDriver): unknown {
  try {
    return pragma(db, 'journal_mode = WAL');
  } catch (error) {
    // node:sqlite cannot say that it opened a file read-only; this is where SQLite refuses to write.
    if (isReadOnlyError(error)) throw readOnlyRefused();
    throw unavailable(error, { store: 'sqlite', operation: 'configure' });
  }
}

/** Ends a failed transaction; SQLite may have rolled it back already, which is fine. */
export function rollback(db: SqliteDriver): void {
  try {
    db.exec('ROLLBACK');
  } catch {}
}
