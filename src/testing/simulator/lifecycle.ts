/**
 * The VerificationSession state machine: requires_input → processing → verified | requires_input, cancel
 * from requires_input, redaction (asynchronous, finished by the clock) from requires_input, verified or
 * canceled. Every change emits the matching event.
 */
import type Stripe from 'stripe';
import { invalidParam, wrongState } from './api-error.js';
import type { SimulatorClock } from './clock.js';
import type { IdentityEventType } from './events.js';
import type { LinkRegistry } from './links.js';
import { AUTOMATIC, type ChangeOrigin, type SessionState } from './model.js';
import { describeOutcome } from './outcomes.js';
import type { IdFactory } from './random.js';
import { applyMetadata, checkUrl, documentOptions } from './session-input.js';
import type { CreateSessionParams, UpdateSessionParams } from './session-params.js';
import type { SimulatorState } from './state.js';

/** What the state machine needs from the simulator around it. */
export interface LifecycleDeps {
  state: SimulatorState;
  ids: IdFactory;
  clock: SimulatorClock;
  links: LinkRegistry;
  emit: (type: IdentityEventType, session: SessionState, origin: ChangeOrigin) => void;
  redactionDelayMs: number;
}

/** The transitions. Each method checks the current state first and fails the way Stripe would. */
export class SessionLifecycle {
  private readonly pendingRedactions = new Map<string, () => void>();

  constructor(private readonly deps: LifecycleDeps) {}

  /** Creates a session in `requires_input` with a fresh url and client secret. */
  create(params: CreateSessionParams, livemode: boolean, origin: ChangeOrigin): SessionState {
    if (params.type === undefined && params.verification_flow === undefined) {
      throw invalidParam('Missing required param: type.', 'type', 'parameter_missing');
    }
    if (params.type !== undefined && params.verification_flow !== undefined) {
      throw invalidParam(
        'You may only specify one of these parameters: type, verification_flow.',
        'type',
        'parameters_exclusive',
      );
    }
    if (params.related_person && (!params.related_person.account || !params.related_person.person)) {
      const missing = params.related_person.account ? 'related_person[person]' : 'related_person[account]';
      throw invalidParam(`Missing required param: ${missing}.`, missing, 'parameter_missing');
    }
    if (params.return_url !== undefined) checkUrl(params.return_url, 'return_url');
    const type = params.type ?? 'verification_flow';
    const options: Stripe.Identity.VerificationSession.Options = {};
    if (type === 'document') options.document = documentOptions(params.options?.document);
    if (type === 'id_number') options.id_number = {};
    const { clock, ids, state } = this.deps;
    const session: SessionState = {
      id: ids.object('vs'),
      seq: state.nextSeq(),
      livemode,
      createdMs: clock.now(),
      type,
      verificationFlow: params.verification_flow ?? null,
      status: 'requires_input',
      options,
      providedDetails: params.provided_details ? { ...params.provided_details } : null,
      metadata: applyMetadata(new Map(), params.metadata),
      clientReferenceId: params.client_reference_id ?? null,
      relatedCustomer: params.related_customer ?? null,
      relatedCustomerAccount: params.related_customer_account ?? null,
      relatedPerson: params.related_person
        ? { account: params.related_person.account ?? '', person: params.related_person.person ?? '' }
        : null,
      returnUrl: params.return_url ?? null,
      lastError: null,
      lastReportId: null,
      redaction: null,
      url: null,
      clientSecret: null,
      everVerified: false,
    };
    state.sessions.set(session.id, session);
    this.deps.links.mint(session, clock.now());
    this.deps.emit('identity.verification_session.created', session, origin);
    return session;
  }

  /** Changes type, options, provided details or metadata; only while `requires_input`. */
  update(session: SessionState, params: UpdateSessionParams): void {
    this.requireEditable(session, 'update');
    const metadata = applyMetadata(session.metadata, params.metadata);
    const options = { ...session.options };
    if (params.options?.document !== undefined) options.document = documentOptions(params.options.document);
    if (params.type !== undefined) session.type = params.type;
    // Only the options of the (new) type remain.
    if (session.type === 'document') session.options = { document: options.document ?? {} };
    else if (session.type === 'id_number') session.options = { id_number: {} };
    else session.options = options;
    if (params.provided_details)
      session.providedDetails = { ...session.providedDetails, ...params.provided_details };
    session.metadata = metadata;
  }

  /** Cancels a `requires_input` session; future submissions are refused. */
  cancel(session: SessionState, origin: ChangeOrigin): void {
    if (session.status !== 'requires_input') {
      throw wrongState(
        `This VerificationSession cannot be canceled because its status is ${session.status}; ` +
          'only a session in requires_input can be canceled.',
      );
    }
    this.toCanceled(session, origin);
  }

  /**
   * Starts redaction. A `requires_input` session is canceled first; `processing` is refused (wait for it
   * to finish). The redaction completes `redactionDelayMs` of simulated time later.
   */
  redact(session: SessionState, origin: ChangeOrigin): void {
    if (session.redaction !== null) return;
    if (session.status === 'processing') {
      throw wrongState(
        'This VerificationSession is processing and cannot be redacted yet. Wait until processing finishes ' +
          '(status verified or requires_input), then redact it.',
      );
    }
    const cancelFirst = session.status === 'requires_input';
    // Redaction starts before the cancel is announced: the canceled event shows what the API answer shows.
    session.redaction = 'processing';
    session.metadata = new Map();
    for (const report of this.deps.state.reports.values()) {
      if (report.sessionId === session.id) report.redacted = true;
    }
    if (cancelFirst) this.toCanceled(session, origin);
    const { clock } = this.deps;
    const cancel = clock.schedule(clock.now() + this.deps.redactionDelayMs, () =>
      this.completeRedaction(session),
    );
    this.pendingRedactions.set(session.id, cancel);
  }

  /** Finishes a pending redaction now (`redaction.status: redacted`, `redacted` event). */
  completeRedaction(session: SessionState): void {
    const cancel = this.pendingRedactions.get(session.id);
    if (!cancel) return;
    cancel();
    this.pendingRedactions.delete(session.id);
    session.redaction = 'redacted';
    this.deps.emit('identity.verification_session.redacted', session, AUTOMATIC);
  }

  /** Finishes every pending redaction now; returns how many. */
  completeAllRedactions(): number {
    const ids = [...this.pendingRedactions.keys()];
    for (const id of ids) {
      const session = this.deps.state.sessions.get(id);
      if (session) this.completeRedaction(session);
    }
    return ids.length;
  }

  /** The user submitted: a new report, status `processing`, links used up. */
  beginSubmission(session: SessionState): void {
    this.requireEditable(session, 'submit');
    const { clock, ids, state } = this.deps;
    const report = {
      id: ids.object('vr'),
      seq: state.nextSeq(),
      livemode: session.livemode,
      createdMs: clock.now(),
      sessionId: session.id,
      clientReferenceId: session.clientReferenceId,
      type: session.type,
      verificationFlow: session.verificationFlow,
      options: structuredClone(session.options),
      outcome: null,
      files: { front: ids.object('file'), back: ids.object('file'), selfie: ids.object('file') },
      providedDetails: session.providedDetails ? { ...session.providedDetails } : null,
      redacted: false,
    };
    state.reports.set(report.id, report);
    this.deps.links.revoke(session);
    session.status = 'processing';
    session.lastReportId = report.id;
    this.deps.emit('identity.verification_session.processing', session, AUTOMATIC);
  }

  /** The checks finished: `verified`, or back to `requires_input` with `last_error`. */
  completeSubmission(session: SessionState, outcome: string): void {
    if (session.status !== 'processing') {
      throw wrongState(`Session ${session.id} is ${session.status}, not processing: nothing to complete.`);
    }
    const report = session.lastReportId ? this.deps.state.reports.get(session.lastReportId) : undefined;
    if (outcome === 'verified') {
      if (report) report.outcome = 'verified';
      session.status = 'verified';
      session.lastError = null;
      session.everVerified = true;
      this.deps.emit('identity.verification_session.verified', session, AUTOMATIC);
      return;
    }
    const info = describeOutcome(outcome);
    if (report) report.outcome = info.code;
    session.status = 'requires_input';
    session.lastError = { code: info.code, reason: info.reason };
    this.deps.emit('identity.verification_session.requires_input', session, AUTOMATIC);
  }

  /** Stops future redaction timers (used by `close`). */
  clear(): void {
    for (const cancel of this.pendingRedactions.values()) cancel();
    this.pendingRedactions.clear();
  }

  private toCanceled(session: SessionState, origin: ChangeOrigin): void {
    this.deps.links.revoke(session);
    session.status = 'canceled';
    this.deps.emit('identity.verification_session.canceled', session, origin);
  }

  private requireEditable(session: SessionState, action: 'update' | 'submit'): void {
    if (session.redaction !== null) {
      throw wrongState(
        'This VerificationSession has been redacted; redacted objects cannot be updated or used.',
      );
    }
    if (session.status !== 'requires_input') {
      throw wrongState(
        `This VerificationSession cannot be ${action === 'update' ? 'updated' : 'submitted'} because its status ` +
          `is ${session.status}; only a session in requires_input can be ${action === 'update' ? 'updated' : 'submitted'}.`,
      );
    }
  }
}
