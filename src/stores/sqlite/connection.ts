import Database from 'better-sqlite3';
import { StoreUnsupportedError } from '../../errors.js';
import { unavailable } from '../shared/bounded.js';
import { sqliteSchema, sqliteTables } from './schema.js';

/** An open, configured connection with the store's tables in place. */
export interface SqliteConnection {
  db: Database.Database;
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

/**
 * Opens (or adopts) a database, bounds lock waits with `busy_timeout`, switches a file to WAL (several
 * connections, even in several processes, may then read while one writes) and creates the tables in a
 * `BEGIN IMMEDIATE` transaction, so that instances starting together do not trip over each other.
 */
export function openSqlite(
  filename: string | Database.Database,
  prefix: string,
  timeoutMs: number,
): SqliteConnection {
  const owned = typeof filename === 'string';
  const db = guard('open', () => (typeof filename === 'string' ? new Database(filename) : filename));
  try {
    if (db.readonly) {
      throw new StoreUnsupportedError(
        'The SQLite store needs a writable database; this one was opened read-only.',
      );
    }
    guard('configure', () => db.pragma(`busy_timeout = ${timeoutMs}`));
    // Deleted rows are overwritten with zeros, so a redacted record leaves no residue in free pages.
    guard('configure', () => db.pragma('secure_delete = ON'));
    if (!db.memory) {
      const mode = guard('configure', () => db.pragma('journal_mode = WAL', { simple: true }));
      if (String(mode).toLowerCase() !== 'wal') {
        throw new StoreUnsupportedError(
          'The SQLite store needs WAL journal mode for a file shared by several connections, but the database ' +
            `stayed in ${JSON.stringify(mode)} mode (network file systems cannot use WAL). Use a local file, ` +
            'or a Redis or PostgreSQL store.',
        );
      }
    }
    guard('createTables', () =>
      db.transaction(() => db.exec(sqliteSchema(sqliteTables(prefix)))).immediate(),
    );
    return { db, owned, inMemory: db.memory };
  } catch (error) {
    if (owned) db.close();
    throw error;
  }
}
