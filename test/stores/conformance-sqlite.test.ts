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
