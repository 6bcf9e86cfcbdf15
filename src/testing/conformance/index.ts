import { concurrencyCases } from './concurrency.js';
import { submissionAndEventCases } from './events.js';
import { fusedCases } from './fused.js';
import { ledgerCases } from './ledger.js';
import { linkCases } from './links.js';
import { privacyCases } from './privacy.js';
import { sessionCases } from './sessions.js';
import type { ConformanceCase, StoreConformanceOptions } from './types.js';

export type {
  ConformanceAssertion,
  ConformanceExpectFn,
  ConformanceTestFn,
  StoreConformanceOptions,
} from './types.js';

const allCases: readonly ConformanceCase[] = [
  ...sessionCases,
  ...ledgerCases,
  ...linkCases,
  ...submissionAndEventCases,
  ...concurrencyCases,
  ...privacyCases,
  // Optional fused operations (issue 13); a store without them passes.
  ...fusedCases,
];

/**
 * Registers the store conformance suite with your test runner: every `IdentityStore` method with its
 * exact semantics (the ones MemoryStore implements), leases and windows driven by injected times, and
 * atomicity under 200 concurrent callers. Each test gets its own store from `createStore`.
 *
 * @example
 * ```ts
 * import { expect, test } from 'vitest';
 * import { runStoreConformance } from 'stripe-identity-kit/testing';
 *
 * runStoreConformance({ name: 'my-store', createStore: () => new MyStore(), test, expect });
 * ```
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  const { name, createStore, test, expect, teardown } = options;
  for (const conformanceCase of allCases) {
    test(`${name}: ${conformanceCase.title}`, async () => {
      const store = await createStore();
      try {
        await conformanceCase.run({ store, expect });
      } finally {
        await teardown?.(store);
      }
    });
  }
}
