/** The demo's server-rendered pages: plain HTML; `/app.js` brings the status to life. */
import type { StatusResult } from 'stripe-identity-kit';
import type { ActivityLog } from './activity.js';

/** What every page needs to know about the running demo. */
export interface PageContext {
  /** `simulator` or `stripe-test-mode`: said on every page. */
  backend: 'simulator' | 'stripe-test-mode';
  simulatorUrl: string | null;
  /** Script for `Stripe(…).verifyIdentity` (the simulator's stand-in, or js.stripe.com), or null when unavailable. */
  stripeJsUrl: string | null;
  publishableKey: string;
  alternative: { url: string; description: string };
}

/** A time of day in UTC, for the admin tables. */
function clock(at: Date): string {
  return at.toISOString().slice(11, 19);
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1f36; background: #f6f8fa; }
body { margin: 0; }
header { background: #0a2540; color: #fff; padding: 12px 24px; display: flex; gap: 16px; align-items: center; }
header a { color: #adbdcc; } header strong { font-size: 1.05rem; } header .spacer { flex: 1; }
.mode { margin: 0; padding: 8px 24px; font-size: .85rem; background: #e3e8ee; }
.mode.test { background: #fff4d6; }
main { max-width: 860px; margin: 24px auto; padding: 0 16px; }
.card { overflow-x: auto; background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.12); padding: 20px 24px; margin-bottom: 16px; }
h1 { font-size: 1.4rem; margin: 0 0 12px; } h2 { font-size: 1.1rem; margin: 0 0 8px; }
.state { display: inline-block; padding: 2px 10px; border-radius: 999px; background: #e3e8ee; font-weight: 600; }
.state[data-state="verified"] { background: #d7f7c2; color: #05690d; }
.state[data-state="requires_input"] { background: #ffe7f2; color: #b3093c; }
.state[data-state="processing"] { background: #cff5f6; color: #0055bc; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 12px 0; }
dt { color: #596171; } dd { margin: 0; }
button { font: inherit; padding: 8px 14px; border-radius: 6px; border: 1px solid #c0c8d2; background: #fff; cursor: pointer; }
button.primary { background: #635bff; border-color: #635bff; color: #fff; }
button.danger { color: #b3093c; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
.notice { padding: 10px 14px; border-radius: 6px; background: #f1f5ff; margin-top: 12px; }
.notice.alt { background: #fff4d6; }
.notice:empty { display: none; }
table { border-collapse: collapse; width: 100%; font-size: .8rem; }
th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid #e3e8ee; white-space: nowrap; }
code { font-size: .85em; }
input { font: inherit; padding: 7px 10px; border: 1px solid #c0c8d2; border-radius: 6px; }
`;

function layout(ctx: PageContext, title: string, body: string, userId: string | null): string {
  const mode =
    ctx.backend === 'simulator'
      ? `<p class="mode" data-testid="mode">Running against the built-in Stripe Identity simulator (${escapeHtml(ctx.simulatorUrl ?? '')}): no Stripe account, nothing leaves this machine.</p>`
      : '<p class="mode test" data-testid="mode">Running against Stripe test mode: sessions appear in your Stripe Dashboard (test data).</p>';
  const account = userId
    ? `<span>Signed in as <code>${escapeHtml(userId)}</code></span><form method="post" action="/sign-out"><button type="submit">Sign out</button></form>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · stripe-identity-kit demo</title><style>${STYLE}</style></head>
<body><header><strong>stripe-identity-kit demo</strong><a href="/">Account</a><a href="/admin">Admin</a><span class="spacer"></span>${account}</header>
${mode}
<main>${body}</main></body></html>
`;
}

/** The sign-in page: any name becomes a demo user. */
export function signInPage(ctx: PageContext): string {
  return layout(
    ctx,
    'Sign in',
    `<section class="card"><h1>Sign in</h1>
<p>Pick any name: it becomes a demo user of this app. Real apps use their own sign-in; the kit only asks who the request is from.</p>
<form method="post" action="/sign-in" class="actions">
<input name="name" value="ada" aria-label="Demo user name" data-testid="user-name" required maxlength="40">
<button type="submit" class="primary" data-testid="sign-in">Sign in</button>
</form></section>`,
    null,
  );
}

/** The account page: the verification status, kept current by `/app.js` from `GET /identity/status`. */
export function accountPage(ctx: PageContext, userId: string, status: StatusResult): string {
  const config = JSON.stringify({
    alternative: ctx.alternative,
    publishableKey: ctx.publishableKey,
    modal: ctx.stripeJsUrl !== null,
    status,
  }).replace(/</g, '\\u003c');
  const stripeJs = ctx.stripeJsUrl ? `<script src="${escapeHtml(ctx.stripeJsUrl)}"></script>` : '';
  return layout(
    ctx,
    'Your identity',
    `<section class="card"><h1>Identity verification</h1>
<p>Status: <span class="state" data-testid="status" data-state="${status.state}">${status.state}</span></p>
<p data-testid="explanation"></p>
<dl>
<dt>Submissions left</dt><dd data-testid="submissions-left">${status.submissions.left} of ${status.submissions.limit}</dd>
<dt>Sessions left</dt><dd data-testid="sessions-left">${status.sessions.left} of ${status.sessions.limit}</dd>
<dt>Last check</dt><dd data-testid="last-error">${escapeHtml(status.lastErrorCode ?? '—')}</dd>
<dt>Session</dt><dd><code data-testid="session-id">${escapeHtml(status.sessionId ?? '—')}</code></dd>
</dl>
<div class="notice alt" data-testid="alternative" hidden></div>
<div class="notice" data-testid="message" role="status"></div>
<div class="actions">
<button type="button" class="primary" data-testid="verify">Verify my identity</button>
<button type="button" data-testid="verify-modal"${ctx.stripeJsUrl ? '' : ' disabled title="Set STRIPE_PUBLISHABLE_KEY for the modal flow"'}>Verify in a modal (Stripe.js)</button>
<button type="button" data-testid="cancel">Cancel the open session</button>
<button type="button" class="danger" data-testid="delete-data">Delete my verification data</button>
</div>
</section>
<section class="card" data-testid="redaction-report" hidden><h2>Deletion report</h2><div></div></section>
<script type="application/json" id="demo-config">${config}</script>
${stripeJs}<script src="/app.js" defer></script>`,
    userId,
  );
}

/** The admin view: users, their attempts and sessions, references only. */
export function adminPage(ctx: PageContext, statuses: StatusResult[], log: ActivityLog): string {
  const users = statuses
    .map(
      (s) =>
        `<tr data-user="${escapeHtml(s.userId)}"><td><code>${escapeHtml(s.userId)}</code></td><td><span class="state" data-state="${s.state}">${s.state}</span></td><td>${s.submissions.used} / ${s.submissions.limit}</td><td>${s.sessions.used} / ${s.sessions.limit}</td><td>${s.next}</td><td><code>${escapeHtml(s.sessionId ?? '—')}</code></td></tr>`,
    )
    .join('\n');
  const sessions = log
    .sessionList()
    .map(
      (s) =>
        `<tr data-session="${escapeHtml(s.sessionId)}"><td><code>${escapeHtml(s.sessionId)}</code></td><td><code>${escapeHtml(s.userId)}</code></td><td>${s.status}</td><td>${escapeHtml(s.lastErrorCode ?? '—')}</td><td>${s.eventIds.length}</td><td>${clock(s.updatedAt)}</td></tr>`,
    )
    .join('\n');
  const alternatives = log
    .alternativeList()
    .map(
      (a) =>
        `<tr><td><code>${escapeHtml(a.userId)}</code></td><td>${escapeHtml(a.reason)}</td><td>${clock(a.at)}</td></tr>`,
    )
    .join('\n');
  return layout(
    ctx,
    'Admin',
    `<section class="card"><h1>Admin</h1>
<p>What the app knows: references only (ids, statuses, error codes, counters). No link, client secret, name, document or date of birth is stored or shown. (A real admin view sits behind your own admin authentication.)</p></section>
<section class="card"><h2>Users and attempts</h2>
<table data-testid="admin-users"><thead><tr><th>User</th><th>State</th><th>Submissions</th><th>Sessions</th><th>Next</th><th>Newest session</th></tr></thead>
<tbody>${users || '<tr><td colspan="6">No user signed in yet.</td></tr>'}</tbody></table></section>
<section class="card"><h2>Sessions (from webhooks)</h2>
<table data-testid="admin-sessions"><thead><tr><th>Session</th><th>User</th><th>Status</th><th>Last error</th><th>Events</th><th>Updated (UTC)</th></tr></thead>
<tbody>${sessions || '<tr><td colspan="6">No webhook received yet.</td></tr>'}</tbody></table></section>
<section class="card"><h2>Alternative path offered</h2>
<table data-testid="admin-alternatives"><thead><tr><th>User</th><th>Reason</th><th>At (UTC)</th></tr></thead>
<tbody>${alternatives || '<tr><td colspan="3">None yet.</td></tr>'}</tbody></table></section>`,
    null,
  );
}

/** Where the alternative path leads: in a real app, a manual review form. */
export function manualReviewPage(ctx: PageContext, userId: string | null): string {
  return layout(
    ctx,
    'Manual review',
    `<section class="card"><h1>Verify with our team</h1>
<p data-testid="manual-review">Stripe could not verify you online, or you used up your attempts. In a real app this page takes a document upload or books a call with your support team.</p>
<p><a href="/">Back to your account</a></p></section>`,
    userId,
  );
}
