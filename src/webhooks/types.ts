/**
 * The shape shared by the webhook core handler and the HTTP adapters that feed it. Web-standard: no Node types,
 * so the core stays usable on edge runtimes.
 */

/** What the core handler needs from an HTTP request: the exact bytes Stripe sent, and its signature header. */
export interface WebhookInput {
  /** The request body exactly as received (bytes, or text that was never parsed and re-serialized). */
  rawBody: string | Uint8Array;
  /** The `Stripe-Signature` header value, or `null`/`undefined` when the request had none. */
  signature: string | null | undefined;
}

/** What to answer Stripe: an HTTP status and a JSON body. A 2xx means every effect of the event has completed. */
export interface WebhookAnswer {
  /** HTTP status code: 2xx done, 4xx bad request (Stripe retries, but it cannot help), 5xx retry later. */
  status: number;
  /** JSON-serializable body; Stripe shows it in the Dashboard's delivery log, so it helps to say what went wrong. */
  body: Record<string, unknown>;
}

/** The framework-independent webhook handler that the adapters wrap. */
export type WebhookHandler = (input: WebhookInput) => Promise<WebhookAnswer>;
