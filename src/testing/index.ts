/**
 * `stripe-identity-kit/testing`: a stateful Stripe Identity simulator, signed events and the store
 * conformance suite, for this repository's tests and for users' own CI suites.
 */

export * from './conformance/index.js';
export * from './simulator/index.js';
