/**
 * The journey every example must pass over real HTTP on 127.0.0.1, against the simulator embedded in the
 * example process: unauthenticated start → 401; cross-site start → 403; sign in; start → a single-use
 * link; the simulated user submits on the hosted page; the signed webhook lands (the status, read from the
 * store alone, says verified before the user comes back); the return route reconciles and redirects to the
 * return page; the status page says verified.
 */
import { expect } from 'vitest';

/** Where an example mounts things. */
export interface ExampleLayout {
  /** The kit's routes, e.g. `/identity` or `/api/identity`. */
  routes: string;
}

async function signIn(base: string, name: string): Promise<string> {
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('sign-in set no cookie');
  return cookie;
}

/** Run the journey against an example listening at `base`. */
export async function runJourney(base: string, layout: ExampleLayout): Promise<void> {
  const routes = `${base}${layout.routes}`;
  const anonymous = await fetch(`${routes}/start`, { method: 'POST' });
  expect(anonymous.status).toBe(401);
  expect(await anonymous.json()).toMatchObject({ error: 'unauthenticated' });

  const cookie = await signIn(base, 'Ada');
  const crossSite = await fetch(`${routes}/start`, {
    method: 'POST',
    headers: { cookie, origin: 'https://evil.example' },
  });
  expect(crossSite.status).toBe(403);

  const home = await (await fetch(`${base}/`, { headers: { cookie } })).text();
  expect(home).toContain('data-testid="verify"');

  const start = await fetch(`${routes}/start`, { method: 'POST', headers: { cookie } });
  expect(start.status).toBe(200);
  const started = (await start.json()) as { status: string; url: string; sessionId: string };
  expect(started).toMatchObject({ status: 'redirect', sessionId: expect.stringMatching(/^vs_/) });

  // The simulated person on the hosted page: opening the link uses it, then one answer is posted.
  const hosted = await fetch(started.url);
  expect(hosted.status).toBe(200);
  expect(await hosted.text()).toContain('data-outcome="verified"');
  const submitted = await fetch(started.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'outcome=verified',
    redirect: 'manual',
  });
  expect(submitted.status).toBe(303);
  const returnUrl = submitted.headers.get('location') ?? '';
  expect(returnUrl).toBe(`${routes}/return`);

  // Before the user is back: only the signed webhook can have told the app.
  await expect
    .poll(
      async () => {
        const status = await fetch(`${routes}/status`, { headers: { cookie } });
        return ((await status.json()) as { state: string }).state;
      },
      { timeout: 10_000, interval: 50 },
    )
    .toBe('verified');

  const back = await fetch(returnUrl, { headers: { cookie }, redirect: 'manual' });
  expect(back.status).toBe(303);
  const returnPage = back.headers.get('location') ?? '';
  const landed = await fetch(new URL(returnPage, base), { headers: { cookie } });
  expect(landed.status).toBe(200);
  expect(await landed.text()).toMatch(/data-testid="status">verified</);

  const statusPage = await fetch(`${base}/status`, { headers: { cookie } });
  expect(await statusPage.text()).toMatch(/data-testid="status">verified</);
}
