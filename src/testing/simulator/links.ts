/**
 * Hosted-page links and client secrets: single-use bearer tokens with a lifetime (url 48 h, client secret
 * 24 h). Minting a new pair revokes the previous one, as retrieving a `requires_input` session does.
 */
import type { SessionState } from './model.js';
import type { SeededRandom } from './random.js';
import type { LinkStatus } from './types.js';

const URL_TTL_MS = 48 * 60 * 60 * 1000;
const CLIENT_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

interface LinkRecord {
  sessionId: string;
  expiresAt: number;
  /** `opened`: the page was shown and may still be submitted once; it already counts as used. */
  state: 'active' | 'opened' | 'used' | 'revoked';
}

/** Keeps every link ever minted, by token, so that old ones can be told apart from unknown ones. */
export class LinkRegistry {
  private readonly records = new Map<string, LinkRecord>();
  private readonly random: SeededRandom;
  private readonly pageBase: () => string;

  /** `pageBase` gives the URL prefix the token is appended to (it depends on listen/intercept). */
  constructor(random: SeededRandom, pageBase: () => string) {
    this.random = random;
    this.pageBase = pageBase;
  }

  /** Hands out a fresh url and client secret for `session`, revoking the ones it had. */
  mint(session: SessionState, now: number): void {
    this.revoke(session);
    const token = `${session.livemode ? 'live' : 'test'}_${this.random.base62(40)}`;
    const secret = `${session.id}_secret_${this.random.base62(24)}`;
    this.records.set(token, { sessionId: session.id, expiresAt: now + URL_TTL_MS, state: 'active' });
    this.records.set(secret, {
      sessionId: session.id,
      expiresAt: now + CLIENT_SECRET_TTL_MS,
      state: 'active',
    });
    session.url = `${this.pageBase()}/${token}`;
    session.clientSecret = secret;
  }

  /** Makes the session's current links unusable and forgets them on the session. */
  revoke(session: SessionState): void {
    for (const value of [session.url, session.clientSecret]) {
      const record = value === null ? undefined : this.records.get(tokenOf(value));
      if (record && record.state !== 'used') record.state = 'revoked';
    }
    session.url = null;
    session.clientSecret = null;
  }

  /** The status of a url, a bare page token or a client secret. */
  status(urlOrSecret: string, now: number): LinkStatus {
    return this.lookup(urlOrSecret, now).status;
  }

  /** The session a link belongs to and its status. */
  lookup(urlOrSecret: string, now: number): { sessionId: string | null; status: LinkStatus } {
    const record = this.records.get(tokenOf(urlOrSecret));
    if (!record) return { sessionId: null, status: 'unknown' };
    if (record.state === 'used' || record.state === 'opened')
      return { sessionId: record.sessionId, status: 'used' };
    if (record.state === 'revoked') return { sessionId: record.sessionId, status: 'revoked' };
    if (now > record.expiresAt) return { sessionId: record.sessionId, status: 'expired' };
    return { sessionId: record.sessionId, status: 'active' };
  }

  /** Uses an active link: the first use opens it (`true`), any other use fails (`false`). */
  open(urlOrSecret: string, now: number): boolean {
    const record = this.records.get(tokenOf(urlOrSecret));
    if (!record || this.status(urlOrSecret, now) !== 'active') return false;
    record.state = 'opened';
    return true;
  }

  /** Whether a page opened by `open` may still submit its one answer; consumes that right. */
  submit(urlOrSecret: string, now: number): boolean {
    const record = this.records.get(tokenOf(urlOrSecret));
    if (!record) return false;
    const fresh = record.state === 'active' && now <= record.expiresAt;
    const opened = record.state === 'opened' && now <= record.expiresAt;
    if (!fresh && !opened) return false;
    record.state = 'used';
    return true;
  }

  /** Forgets everything (used by `close`). */
  clear(): void {
    this.records.clear();
  }
}

/** The token part of a url or path (its last segment), or the client secret itself. */
export function tokenOf(urlOrSecret: string): string {
  let path = urlOrSecret;
  if (/^https?:\/\//.test(urlOrSecret)) path = new URL(urlOrSecret).pathname;
  else if (!urlOrSecret.includes('/')) return urlOrSecret;
  path = path.replace(/\/+$/, '');
  try {
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    return path;
  }
}
