/** What the control API drives: the simulator's public methods (kept as an interface to avoid an import cycle). */
import type Stripe from 'stripe';
import type { DeepPartial, FaultSpec, SimulatorRequest, WebhookDelivery } from '../types.js';

/** The part of `IdentitySimulator` the control API uses. */
export interface ControlTarget {
  readonly requests: SimulatorRequest[];
  readonly events: Stripe.Event[];
  readonly deliveries: WebhookDelivery[];
  session(id: string): Stripe.Identity.VerificationSession | undefined;
  sessions(): Stripe.Identity.VerificationSession[];
  submit(id: string, outcome: string): Promise<void>;
  beginSubmission(id: string): Promise<void>;
  completeSubmission(id: string, outcome: string): Promise<void>;
  completeRedactions(): Promise<void>;
  advance(ms: number): void;
  /** Resolves once the deliveries now due have run. */
  settle(): Promise<void>;
  now(): number;
  failNext(fault: FaultSpec): void;
  setFaultRate(rate: number, fault: Omit<FaultSpec, 'count'>): void;
  clearFaults(): void;
  flushWebhooks(): Promise<void>;
  setAccount(patch: DeepPartial<Stripe.Account>): void;
  reset(): void;
}
