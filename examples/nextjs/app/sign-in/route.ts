// The demo sign-in: any name becomes a user, kept in a signed HttpOnly cookie.
import { demoUserId, isCrossSitePost } from '../../../shared/demo-auth.js';
import { appUrl, auth } from '../../lib/identity.js';

export async function POST(request: Request): Promise<Response> {
  if (isCrossSitePost(request.headers, new URL(appUrl).origin)) {
    return new Response('Cross-site request refused.', { status: 403 });
  }
  const userId = demoUserId(String((await request.formData()).get('name') ?? ''));
  const headers = new Headers({ location: '/' });
  if (userId) headers.set('set-cookie', auth.signIn(userId));
  return new Response(null, { status: 303, headers });
}
export const runtime = 'nodejs';
