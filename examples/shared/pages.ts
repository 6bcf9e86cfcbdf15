/**
 * The few HTML pages every framework example serves: home (sign-in, or the verify button), the page the
 * user lands on back from Stripe, and the status page. Plain HTML; the verify button is ten lines of JS
 * calling the kit's `POST <routes>/start` and following the single-use link at once.
 */
import type { StatusResult } from 'stripe-identity-kit';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px;color:#1a1f36}button{font:inherit;padding:6px 12px}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

/** An HTML `Response` (no caching: pages show per-user state). */
export function htmlResponse(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** Home: a sign-in form, or the verify button for a signed-in user. `routes` is where the kit's routes are mounted. */
export function homePage(userId: string | null, routes: string): string {
  if (!userId) {
    return page(
      'Sign in',
      `<form method="post" action="/sign-in"><input name="name" value="ada" aria-label="Name" data-testid="user-name">
<button type="submit" data-testid="sign-in">Sign in (demo)</button></form>`,
    );
  }
  return page(
    'Verify your identity',
    `<p>Signed in as <code>${escapeHtml(userId)}</code>. <a href="/status">Status</a></p>
<button type="button" data-testid="verify" id="verify">Verify my identity</button>
<p id="message" role="status"></p>
<script>
document.getElementById('verify').addEventListener('click', async () => {
  const response = await fetch(${JSON.stringify(`${routes}/start`)}, { method: 'POST' });
  const result = await response.json();
  if (result.status === 'redirect') return window.location.assign(result.url); // single-use: never stored
  document.getElementById('message').textContent = result.status === 'verified' ? 'Already verified.' : result.message ?? result.status;
});
</script>`,
  );
}

/** The page `GET <routes>/return` redirects to: the status so far; it refreshes until the webhook lands. */
export function returnedPage(status: StatusResult): string {
  const waiting = status.next === 'wait' || status.state === 'requires_input';
  return page(
    'Thanks, we are checking',
    `${waiting ? '<meta http-equiv="refresh" content="2">' : ''}<p>Your verification is <strong data-testid="status">${status.state}</strong>.</p>
<p><a href="/status">Status page</a> · <a href="/">Home</a></p>`,
  );
}

/** The status page, from the store (what the webhooks recorded). */
export function statusPage(status: StatusResult): string {
  return page(
    'Verification status',
    `<p>State: <strong data-testid="status">${status.state}</strong> (next: ${status.next})</p>
<p>Submissions left: ${status.submissions.left} of ${status.submissions.limit}; sessions left: ${status.sessions.left} of ${status.sessions.limit}.</p>
${status.lastErrorCode ? `<p>Last check failed: <code>${escapeHtml(status.lastErrorCode)}</code></p>` : ''}<p><a href="/">Home</a></p>`,
  );
}
