// Where GET /api/identity/return sends the user once it has reconciled with Stripe.
import { htmlResponse, returnedPage } from '../../../../shared/pages.js';
import { currentUser, identity } from '../../../lib/identity.js';

export async function GET(request: Request): Promise<Response> {
  const user = currentUser(request);
  if (!user) return new Response(null, { status: 303, headers: { location: '/' } });
  return htmlResponse(returnedPage(await identity.status(user.id)));
}
export const runtime = 'nodejs';
