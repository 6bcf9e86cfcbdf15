import { afterAll, beforeAll, expect, test } from 'vitest';
import { D1Store } from '../../src/d1.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { type D1Server, startD1 } from './fixtures/d1.js';

let d1: D1Server;
beforeAll(async () => {
  d1 = await startD1();
}, 60_000);
afterAll(() => d1?.dispose());

// One D1 database for the file, each test with tables of its own, reached through the bridge Worker: the
// 200-caller cases send thousands of calls, which miniflare's getD1Database proxy takes tens of ms each
// to carry (d1.test.ts runs the store through that proxy too). The bound is wide for the same reason.
let stores = 0;
runStoreConformance({
  name: 'd1',
  createStore: async () => {
    stores += 1;
    const store = new D1Store(d1.connect().db, { tablePrefix: `c${stores}_`, timeoutMs: 60_000 });
    await store.migrate();
    return store;
  },
  // Under CI's parallel load the 200-caller reservation case runs for tens of seconds on the bridge.
  test: (name, body) => test(name, body, 120_000),
  expect,
});
