import type { NodeSqliteDatabase, SqliteDriver, SqlRow } from './types.js';

interface NodeSqliteModule {
  DatabaseSync: new (path: string) => NodeSqliteDatabase;
}

/**
 * Node's built-in SQLite (22.5 or later), or `null` on a Node without it. `getBuiltinModule` loads it
 * synchronously from either module format, and is absent on runtimes that cannot have it either.
 */
export function loadNodeSqlite(): NodeSqliteModule | null {
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  try {
    return (getBuiltin?.('node:sqlite') as NodeSqliteModule | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Opens `filename` with `node:sqlite`, or `null` when this Node has no `node:sqlite`. */
export function openNodeSqlite(filename: string): NodeSqliteDatabase | null {
  const sqlite = loadNodeSqlite();
  return sqlite ? new sqlite.DatabaseSync(filename) : null;
}

/** Adapts a `DatabaseSync` to the store's driver interface. */
export function nodeSqliteDriver(db: NodeSqliteDatabase): SqliteDriver {
  let open = true;
  return {
    name: 'node:sqlite',
    readonly: false,
    prepare(sql) {
      const statement = db.prepare(sql);
      return {
        get: (...params) => statement.get(...params) as SqlRow | undefined,
        all: (...params) => statement.all(...params) as SqlRow[],
        run: (...params) => Number(statement.run(...params).changes),
      };
    },
    exec: (sql) => db.exec(sql),
    close: () => {
      // node:sqlite throws on a second close; the store may be closed after its owner closed the handle.
      if (!open) return;
      open = false;
      try {
        db.close();
      } catch {}
    },
  };
}
