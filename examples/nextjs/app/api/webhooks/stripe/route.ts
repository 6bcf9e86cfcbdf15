// Stripe's webhooks: the handler reads the untouched body (never call request.json() before it).
import { createNextWebhookHandlers } from 'stripe-identity-kit/next';
import { identity } from '../../../../lib/identity.js';

export const { POST } = createNextWebhookHandlers(identity);
export const runtime = 'nodejs';
