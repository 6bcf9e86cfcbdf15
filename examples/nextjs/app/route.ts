// Home: the demo sign-in, or the verify button (a route handler: this example has no React pages).
import { homePage, htmlResponse } from '../../shared/pages.js';
import { currentUser } from '../lib/identity.js';

export async function GET(request: Request): Promise<Response> {
  return htmlResponse(homePage(currentUser(request)?.id ?? null, '/api/identity'));
}
export const runtime = 'nodejs';
