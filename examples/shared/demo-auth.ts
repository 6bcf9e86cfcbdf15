/**
 * The examples' stand-in for your real sign-in: a demo user id in a signed, HttpOnly, SameSite=Lax cookie.
 * Replace it with your own session (express-session, Auth.js, Clerk, a JWT: see docs/http.md); the kit
 * only needs "who is this request from".
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { VerificationUser } from 'stripe-identity-kit';

/** Name of the demo session cookie. */
export const COOKIE_NAME = 'sik_demo_user';

/** Signs and reads the demo session cookie. */
export interface DemoAuth {
  /** The `Set-Cookie` value that signs `userId` in. */
  signIn(userId: string): string;
  /** The `Set-Cookie` value that signs out. */
  signOut(): string;
  /** The user of a `Cookie` header, or `null` when there is none or its signature is wrong. */
  userFrom(cookieHeader: string | null | undefined): VerificationUser | null;
}

/** A demo user id from what someone typed: lowercase letters, digits, `_` and `-` only. */
export function demoUserId(name: string): string | null {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug ? `demo_${slug}` : null;
}

/** Cookies keyed by `secret` (default: random per process, so a restart signs everyone out). */
export function createDemoAuth(secret: string = randomBytes(32).toString('hex')): DemoAuth {
  const sign = (value: string) => createHmac('sha256', secret).update(value).digest('base64url');
  return {
    signIn: (userId) =>
      `${COOKIE_NAME}=${userId}.${sign(userId)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400`,
    signOut: () => `${COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
    userFrom(cookieHeader) {
      const value = readCookie(cookieHeader ?? '', COOKIE_NAME);
      const dot = value?.lastIndexOf('.') ?? -1;
      if (!value || dot <= 0) return null;
      const userId = value.slice(0, dot);
      const given = Buffer.from(value.slice(dot + 1));
      const expected = Buffer.from(sign(userId));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      return { id: userId };
    },
  };
}

function readCookie(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The same cross-site rule the kit's routes apply, for the app's own form posts (sign-in, sign-out):
 * refuse what a browser says came from another site.
 */
export function isCrossSitePost(headers: Headers, ownOrigin: string): boolean {
  if (headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = headers.get('origin');
  return origin !== null && origin !== ownOrigin;
}
