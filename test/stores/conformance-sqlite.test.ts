import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteStore } from '../../src/sqlite.js';
import type { IdentityStore } from '../../src/stores/contract.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { sqliteDrivers } from './fixtures/sqlite-drivers.js';
import { tempDir } from './helpers/temp-dir.js';

const dir = tempDir('conformance-sqlite');
afterAll(() => dir.remove());

const close = async (store: IdentityStore) => {
  await store.close?.();
};

let files = 0;
for (const { driver, skip } of sqliteDrivers()) {
  // Skipped only where a driver cannot load in this process: node:sqlite needs Node >= 22.5 (absent on
  // Node 20), and CI's Node 22/24 passes set SIK_SQLITE_DRIVERS=node:sqlite because better-sqlite3 is a
  // native addon built for Node 20. The reason is printed (fixtures/sqlite-drivers.ts); every driver runs
  // on some pass of .ci/run, so each case runs once per driver across CI.
  describe.skipIf(skip !== null)(`SqliteStore on ${driver}`, () => {
    runStoreConformance({
      name: `sqlite file (${driver})`,
      createStore: () => {
        files += 1;
        return new SqliteStore(join(dir.path, `store-${files}.db`), { driver });
      },
      test,
      expect,
      teardown: close,
    });

    runStoreConformance({
      name: `sqlite :memory: (${driver})`,
      createStore: () => new SqliteStore(':memory:', { tablePrefix: 'kit_', driver }),
      test,
      expect,
      teardown: close,
    });
  });
}
