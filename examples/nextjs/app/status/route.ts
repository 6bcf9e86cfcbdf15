// The status page, from the store (what the webhooks recorded).
import { htmlResponse, statusPage } from '../../../shared/pages.js';
import { currentUser, identity } from '../../lib/identity.js';

export async function GET(request: Request): Promise<Response> {
  const user = currentUser(request);
  if (!user) return new Response(null, { status: 303, headers: { location: '/' } });
  return htmlResponse(statusPage(await identity.status(user.id)));
}
export const runtime = 'nodejs';
