import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { describe, expect, test } from 'vitest';
import { createNextRouteHandlers } from '../../src/next.js';
import { harness } from '../support/harness.js';

/** The better-auth recipe of docs/http.md, with better-auth's own sign-up and session cookie. */
describe('better-auth getSession recipe', () => {
  test('the session cookie better-auth set authenticates the routes; no cookie is 401', async () => {
    const h = await harness();
    const auth = betterAuth({
      baseURL: 'https://app.example',
      secret: 'a-better-auth-test-secret-0123456789abcdef',
      database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
      emailAndPassword: { enabled: true },
      logger: { disabled: true },
    });
    const signUp = await auth.api.signUpEmail({
      body: { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada' },
      asResponse: true,
    });
    const cookie = signUp.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const { POST } = createNextRouteHandlers(h.service, {
      authenticate: async (request) => {
        const session = await auth.api.getSession({ headers: request.headers });
        return session ? { id: session.user.id } : null;
      },
    });
    const url = 'https://app.example/api/identity/start';
    expect((await POST(new Request(url, { method: 'POST' }))).status).toBe(401);
    const started = await POST(new Request(url, { method: 'POST', headers: { cookie } }));
    expect(started.status).toBe(200);
    const body = (await started.json()) as { status: string; sessionId: string };
    expect(body.status).toBe('redirect');
    const session = h.sim.sessions().find((each) => each.id === body.sessionId);
    expect(session?.client_reference_id).toMatch(/\w{8,}/);
    expect(session?.client_reference_id).not.toContain('ada@');
  });
});
