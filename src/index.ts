/** `stripe-identity-kit`: the core, Web-standard; runs on Node 20+ and edge runtimes. */

export type { NewSessionRecord, RedactionState, SessionRecord, SessionStatus } from './domain.js';
export * from './errors.js';
export type { AuthAdapter } from './http/auth.js';
export {
  createVerificationRoutes,
  type ReturnTo,
  type RouteOptions,
  type VerificationRoutes,
} from './http/routes.js';
export { optionsSchema, type ResolvedOptions, type VerificationServiceOptions } from './options.js';
export { classifyErrorCode, type ErrorClass } from './policies/alternatives.js';
export { type SafeLogger, type SafeSession, toSafeSession } from './policies/privacy.js';
export type { RetentionOptions } from './policies/retention.js';
export { VerificationService } from './service.js';
export type {
  AttemptUsage,
  EventClaim,
  IdentityStore,
  ReserveSlotInput,
  SlotReservation,
  StoreCapabilities,
} from './stores/contract.js';
export { MemoryStore } from './stores/memory.js';
export type {
  AlternativePath,
  AlternativeReason,
  HookMap,
  Logger,
  NextStep,
  OnAlternative,
  OnUnknownSession,
  RedactionReport,
  RetentionProgress,
  SessionEvent,
  SessionRedaction,
  StartResult,
  StatusResult,
  VerificationUser,
} from './types.js';
export type { Webhooks } from './webhooks/index.js';
export type { WebhookAnswer, WebhookHandler, WebhookInput } from './webhooks/types.js';
export { type VerifiedPayload, type VerifyOptions, verifyStripeSignature } from './webhooks/verify.js';
