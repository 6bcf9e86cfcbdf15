import { ConfigError, StoreUnsupportedError } from '../../../errors.js';
import { describeError } from '../../shared/bounded.js';
import {
  type BetterSqliteDatabase,
  betterSqliteDriver,
  betterSqliteInstalled,
  isBetterSqliteDatabase,
  openBetterSqlite,
} from './better-sqlite3.js';
import { nodeSqliteDriver, openNodeSqlite } from './node-sqlite.js';
import type { NodeSqliteDatabase, SqliteDriver, SqliteDriverName } from './types.js';

export type { BetterSqliteDatabase } from './better-sqlite3.js';
export type {
  NodeSqliteDatabase,
  SqliteDriver,
  SqliteDriverName,
  SqliteStatementHandle,
  SqlRow,
  SqlValue,
} from './types.js';

/** What `SqliteStore` opens: a path (or `:memory:`), or a database one of the drivers opened. */
export type SqliteSource = string | BetterSqliteDatabase | NodeSqliteDatabase;

/** The `driver` option: which driver opens a path. `auto` prefers better-sqlite3 when it is installed. */
export type SqliteDriverChoice = SqliteDriverName | 'auto';

const DRIVERS: readonly SqliteDriverChoice[] = ['auto', 'better-sqlite3', 'node:sqlite'];

const noBetterSqlite = () =>
  new StoreUnsupportedError(
    'better-sqlite3 is not installed: run `npm install better-sqlite3`, or pass { driver: "node:sqlite" } ' +
      'to use the SQLite built into Node 22.5 and later.',
  );

const noNodeSqlite = () =>
  new StoreUnsupportedError(
    `This runtime (Node ${process.versions.node}) has no node:sqlite, which needs Node 22.5 or later: ` +
      'upgrade Node, or install better-sqlite3 and pass { driver: "better-sqlite3" }.',
  );

/**
 * The driver for `source`. A database you pass stays yours (`owned: false`) and is adapted as what it is;
 * a path is opened with the chosen driver, and the store closes it.
 */
export function openDriver(
  source: SqliteSource,
  choice: SqliteDriverChoice = 'auto',
): { driver: SqliteDriver; owned: boolean } {
  if (!DRIVERS.includes(choice)) {
    throw new ConfigError('driver', `must be one of ${DRIVERS.join(', ')}, got ${JSON.stringify(choice)}`);
  }
  if (typeof source !== 'string') {
    const given: SqliteDriverName = isBetterSqliteDatabase(source) ? 'better-sqlite3' : 'node:sqlite';
    if (choice !== 'auto' && choice !== given) {
      throw new ConfigError(
        'driver',
        `is ${JSON.stringify(choice)}, but the database passed is a ${given} one`,
      );
    }
    return {
      driver: isBetterSqliteDatabase(source) ? betterSqliteDriver(source) : nodeSqliteDriver(source),
      owned: false,
    };
  }
  const name = choice === 'auto' ? (betterSqliteInstalled() ? 'better-sqlite3' : 'node:sqlite') : choice;
  if (name === 'better-sqlite3') {
    const db = openBetterSqliteOrExplain(source);
    if (!db) throw noBetterSqlite();
    return { driver: betterSqliteDriver(db), owned: true };
  }
  const db = openNodeSqlite(source);
  if (!db) throw choice === 'auto' ? noBoth() : noNodeSqlite();
  return { driver: nodeSqliteDriver(db), owned: true };
}

/**
 * A native addon built for another Node (or a runtime that cannot load addons, such as Bun) fails when the
 * first database opens: say what to do instead of passing the loader's message on alone.
 */
function openBetterSqliteOrExplain(filename: string): BetterSqliteDatabase | null {
  try {
    return openBetterSqlite(filename);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_DLOPEN_FAILED') throw error;
    throw new StoreUnsupportedError(
      `better-sqlite3 is installed but its native addon cannot load here (${describeError(error).split('\n')[0]}). ` +
        'Rebuild it for this Node (`npm rebuild better-sqlite3`), or pass { driver: "node:sqlite" } ' +
        '(Node 22.5 and later, Bun, Deno).',
    );
  }
}

const noBoth = () =>
  new StoreUnsupportedError(
    `No SQLite driver: better-sqlite3 is not installed and this runtime (Node ${process.versions.node}) has ` +
      'no node:sqlite. Run `npm install better-sqlite3`, or use Node 22.5 or later.',
  );
