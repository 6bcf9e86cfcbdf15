/** `stripe-identity-kit`: the core, Web-standard; runs on Node 20+ and edge runtimes. */

export type { NewSessionRecord, RedactionState, SessionRecord, SessionStatus } from './domain.js';
export * from './errors.js';
export type {
  AttemptUsage,
  EventClaim,
  IdentityStore,
  ReserveSlotInput,
  SlotReservation,
  StoreCapabilities,
} from './stores/contract.js';
export { MemoryStore } from './stores/memory.js';
