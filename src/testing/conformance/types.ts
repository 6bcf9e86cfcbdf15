import type { IdentityStore } from '../../stores/contract.js';

/**
 * The test-registration function of your runner: vitest's or jest's `test`/`it`, or `node:test`'s
 * `test`. Only `(name, body)` is used.
 */
export type ConformanceTestFn = (name: string, body: () => Promise<void>) => unknown;

/** The two matchers the suite uses; vitest's and jest's `expect(...)` provide them. */
export interface ConformanceAssertion {
  /** Strict equality (`Object.is`). */
  toBe(expected: unknown): unknown;
  /** Deep equality. */
  toEqual(expected: unknown): unknown;
}

/** The assertion entry point of your runner: `expect` from vitest or jest. */
export type ConformanceExpectFn = (actual: unknown) => ConformanceAssertion;

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Prefix of every test name, such as `redis`. */
  name: string;
  /**
   * Returns a fresh, empty store for one test. Stores made by two calls must share no state (a
   * unique key prefix, table prefix or file each time).
   */
  createStore: () => Promise<IdentityStore> | IdentityStore;
  /** Registers one test: your runner's `test` or `it`. */
  test: ConformanceTestFn;
  /** Your runner's `expect`. */
  expect: ConformanceExpectFn;
  /** Runs after each test, passed or failed: drop the store's keys or tables, close what you opened. */
  teardown?: (store: IdentityStore) => Promise<void>;
}

/** What each conformance case receives. */
export interface ConformanceContext {
  /** A fresh store, made for this case only. */
  store: IdentityStore;
  /** The runner's assertion entry point. */
  expect: ConformanceExpectFn;
}

/** One conformance case: a title and a body run against a fresh store. */
export interface ConformanceCase {
  /** What the case shows, appended to the store's name in the test title. */
  title: string;
  /** The case's body. */
  run: (context: ConformanceContext) => Promise<void>;
}
