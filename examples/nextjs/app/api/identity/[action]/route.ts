// POST /api/identity/start, GET /api/identity/status, GET|POST /api/identity/return,
// POST /api/identity/cancel, POST /api/identity/redact.
import { createNextRouteHandlers } from 'stripe-identity-kit/next';
import { currentUser, identity } from '../../../../lib/identity.js';

export const { GET, POST, PUT, PATCH, DELETE } = createNextRouteHandlers(identity, {
  authenticate: currentUser,
  returnTo: '/verify/returned',
});
export const runtime = 'nodejs';
