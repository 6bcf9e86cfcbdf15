import { isIdentityKitError, WebhookSignatureError } from '../errors.js';
import type { WebhookAnswer } from './types.js';

/*
 * Turning outcomes into the HTTP answers both adapters send. A rejected signature is the sender's problem (400,
 * with the message, which Stripe shows in its delivery log); anything else thrown is ours (500, no details, so
 * nothing internal leaks, and Stripe retries).
 */

/** The 400 answer for a request that failed signature verification. */
export function signatureErrorAnswer(error: WebhookSignatureError): WebhookAnswer {
  return { status: 400, body: { error: error.code, reason: error.reason, message: error.message } };
}

/** The answer when the handler threw (or the adapter failed): 400 for a signature error, otherwise 500. */
export function failureAnswer(error: unknown): WebhookAnswer {
  if (error instanceof WebhookSignatureError) return signatureErrorAnswer(error);
  if (isIdentityKitError(error) && error.code === 'webhook_signature_invalid') {
    // A copy of the class from another bundle of this package: same contract, different constructor.
    const reason = (error as { reason?: unknown }).reason;
    return { status: 400, body: { error: error.code, reason, message: error.message } };
  }
  return internalErrorAnswer();
}

/** The generic 500 answer. */
export function internalErrorAnswer(): WebhookAnswer {
  return { status: 500, body: { error: 'internal_error' } };
}

/** The 405 answer: Stripe only ever POSTs. */
export function methodNotAllowedAnswer(): WebhookAnswer {
  return {
    status: 405,
    body: { error: 'method_not_allowed', message: 'Stripe webhooks are POST requests.' },
  };
}

/**
 * The status and JSON text to put on the wire. An answer that cannot be sent as is (a status outside 200–599,
 * a body that does not serialize) becomes the 500 answer rather than an exception in the adapter.
 */
export function wireAnswer(answer: unknown): { status: number; text: string } {
  try {
    const { status, body } = answer as WebhookAnswer;
    if (
      Number.isInteger(status) &&
      status >= 200 &&
      status <= 599 &&
      typeof body === 'object' &&
      body !== null
    ) {
      const text = JSON.stringify(body);
      if (typeof text === 'string') return { status, text };
    }
  } catch {
    // fall through to the 500 answer
  }
  return { status: 500, text: JSON.stringify(internalErrorAnswer().body) };
}
