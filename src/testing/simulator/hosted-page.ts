/**
 * The hosted verification page behind each session `url`. A person (or a browser test) picks an outcome;
 * the page submits it and sends the user back to `return_url` with a 303. Links are single-use: opening
 * the page uses the link, and one answer may be posted from that page.
 */
import { parseForm } from './form.js';
import { isModalPath, isStripeJsPath, modalResultPage, stripeJsResponse } from './hosted-page-modal.js';
import type { LinkRegistry } from './links.js';
import { describeOutcome, FAILURE_CODES } from './outcomes.js';
import type { SimulatorState } from './state.js';
import type { HostedPageVisit, LinkStatus } from './types.js';

/** A page request from a transport adapter. */
export interface PageRequest {
  method: string;
  /** Pathname (`/verify/<token>` or, on verify.stripe.com, `/start/<token>`). */
  path: string;
  body: string;
}

/** A page answer. */
export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the pages need from the simulator. */
export interface HostedPageDeps {
  links: LinkRegistry;
  state: SimulatorState;
  now: () => number;
  submit: (sessionId: string, outcome: string) => Promise<void>;
  record: (visit: HostedPageVisit) => void;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, inner: string): PageResponse {
  const body = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><main>\n<h1>${escapeHtml(title)}</h1>\n${inner}\n</main></body></html>\n`;
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body,
  };
}

const LINK_ERRORS: Record<Exclude<LinkStatus, 'active'>, { status: number; text: string }> = {
  used: { status: 410, text: 'This verification link has already been used. Ask the site for a new one.' },
  expired: { status: 410, text: 'This verification link has expired. Ask the site for a new one.' },
  revoked: { status: 410, text: 'This verification link is no longer valid. Ask the site for a new one.' },
  unknown: { status: 404, text: 'This verification link does not exist.' },
};

function linkError(status: Exclude<LinkStatus, 'active'>): PageResponse {
  const info = LINK_ERRORS[status];
  return page(
    info.status,
    'Verification link unavailable',
    `<p data-link-status="${status}">${info.text}</p>`,
  );
}

function button(outcome: string, label: string): string {
  return `<button type="submit" name="outcome" value="${outcome}" data-outcome="${outcome}">${escapeHtml(label)}</button>`;
}

function choicePage(path: string, sessionId: string): PageResponse {
  const failures = FAILURE_CODES.map((code) => `<li>${button(code, `Fail: ${code}`)}</li>`).join('\n');
  return page(
    200,
    'Verify your identity (simulated)',
    `<p>Simulated Stripe Identity page for <code data-session="${sessionId}">${sessionId}</code>. Choose what happens.</p>
<form method="post" action="${escapeHtml(path)}">
<p>${button('verified', 'Verify')}</p>
<ul>
${failures}
</ul>
<p>${button('cancel', 'Cancel and go back')}</p>
</form>`,
  );
}

/** Serves the hosted pages. */
export class HostedPages {
  constructor(private readonly deps: HostedPageDeps) {}

  /** Answers one page request. */
  async handle(req: PageRequest): Promise<PageResponse> {
    const { links, now } = this.deps;
    // The Stripe.js stand-in of the modal flow is a file, not a visit to a link.
    if (req.method.toUpperCase() === 'GET' && isStripeJsPath(req.path)) return stripeJsResponse();
    const found = links.lookup(req.path, now());
    const method = req.method.toUpperCase() === 'POST' ? 'POST' : 'GET';
    const visit: HostedPageVisit = {
      method,
      sessionId: found.sessionId,
      linkStatus: found.status,
      status: 200,
      outcome: null,
      at: now(),
    };
    try {
      const response = method === 'GET' ? this.open(req, found) : await this.answer(req, found, visit);
      visit.status = response.status;
      return response;
    } finally {
      this.deps.record(visit);
    }
  }

  private open(req: PageRequest, found: { sessionId: string | null; status: LinkStatus }): PageResponse {
    if (found.status !== 'active' || found.sessionId === null)
      return linkError(found.status === 'active' ? 'unknown' : found.status);
    this.deps.links.open(req.path, this.deps.now());
    return choicePage(req.path, found.sessionId);
  }

  private async answer(
    req: PageRequest,
    found: { sessionId: string | null; status: LinkStatus },
    visit: HostedPageVisit,
  ): Promise<PageResponse> {
    const form = parseForm(req.body);
    const outcome = typeof form.outcome === 'string' ? form.outcome : '';
    visit.outcome = outcome || null;
    const session = found.sessionId === null ? undefined : this.deps.state.sessions.get(found.sessionId);
    if (!session) return linkError('unknown');
    if (outcome !== 'cancel' && outcome !== 'verified') {
      try {
        describeOutcome(outcome);
      } catch {
        return page(400, 'Unknown choice', '<p>Pick one of the buttons on the verification page.</p>');
      }
    }
    if (session.status !== 'requires_input' || !this.deps.links.submit(req.path, this.deps.now())) {
      return linkError(found.status === 'active' ? 'revoked' : found.status);
    }
    if (outcome !== 'cancel') await this.deps.submit(session.id, outcome);
    if (isModalPath(req.path)) return modalResultPage(outcome);
    if (session.returnUrl === null) {
      return page(200, 'Verification submitted', '<p>You can close this page.</p>');
    }
    return { status: 303, headers: { location: session.returnUrl, 'cache-control': 'no-store' }, body: '' };
  }
}
