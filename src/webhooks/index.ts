import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceContext } from '../context.js';
import { isIdentityKitError, WebhookSignatureError } from '../errors.js';
import { toFetchHandler } from './fetch-adapter.js';
import { toNodeHandler } from './node-adapter.js';
import { parseEvent, receiveEvent } from './receive.js';
import { signatureErrorAnswer } from './signature-answer.js';
import type { WebhookAnswer, WebhookInput } from './types.js';
import { verifyStripeSignature } from './verify.js';

/** `service.webhooks`: one core handler and two thin HTTP adapters around it. */
export interface Webhooks {
  /** Verify and apply one delivery; resolves after every effect has completed (a 2xx means done). */
  handle(input: WebhookInput): Promise<WebhookAnswer>;
  /** Web `Request` → `Response`: Next.js route handlers, Hono, Bun, Deno, Workers. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Node `http`: reads the raw body itself; reports a body a framework already parsed. */
  readonly node: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** Build the webhook surface of a service. */
export function createWebhooks(ctx: ServiceContext): Webhooks {
  const { maxBodyBytes, toleranceSeconds, bodyTimeoutSeconds } = ctx.options.webhooks;
  const handle = async (input: WebhookInput): Promise<WebhookAnswer> => {
    if (ctx.options.webhookSecrets.length === 0) {
      ctx.log.error('webhook received but no webhookSecret is configured');
      return {
        status: 500,
        body: { error: 'webhook_secret_not_configured', message: 'Set the webhookSecret option (whsec_…).' },
      };
    }
    if (exceeds(input.rawBody, maxBodyBytes)) {
      return {
        status: 413,
        body: { error: 'body_too_large', message: `Webhook bodies are limited to ${maxBodyBytes} bytes.` },
      };
    }
    let payload: string;
    try {
      let secretIndex: number;
      ({ payload, secretIndex } = await verifyStripeSignature(input.rawBody, input.signature, {
        secrets: ctx.options.webhookSecrets,
        toleranceSeconds,
        now: ctx.now,
      }));
      if (secretIndex > 0) {
        // Stripe still signs with an older secret: the roll is not finished, keep the old one configured.
        ctx.log.info('webhook verified with an older secret; keep it until the roll ends', {
          count: secretIndex,
        });
      }
    } catch (error) {
      if (error instanceof WebhookSignatureError) {
        ctx.log.warn('webhook signature rejected', { reason: error.reason });
        return signatureErrorAnswer(error);
      }
      throw error;
    }
    const event = parseEvent(payload);
    if (!event)
      return { status: 400, body: { error: 'invalid_event', message: 'The body is not a Stripe event.' } };
    try {
      return await receiveEvent(ctx, event);
    } catch (error) {
      // receiveEvent answers for its own failures; what reaches here is the store failing before a claim.
      const code = isIdentityKitError(error) ? error.code : 'internal_error';
      ctx.log.error('webhook could not be processed', { eventId: event.id, code });
      return {
        status: code === 'store_unavailable' ? 503 : 500,
        body: { error: code, message: 'Stripe will retry this event.' },
      };
    }
  };
  return {
    handle,
    fetch: toFetchHandler(handle, { maxBodyBytes, bodyTimeoutSeconds }),
    node: toNodeHandler(handle, { maxBodyBytes, bodyTimeoutSeconds }),
  };
}

/** Whether a body passes the limit; a string is only encoded when its length cannot settle it. */
function exceeds(body: unknown, maxBytes: number): boolean {
  if (body instanceof Uint8Array) return body.byteLength > maxBytes;
  if (typeof body !== 'string') return false;
  // UTF-8 takes one to three bytes per UTF-16 code unit.
  if (body.length > maxBytes) return true;
  if (body.length * 3 <= maxBytes) return false;
  return new TextEncoder().encode(body).byteLength > maxBytes;
}
