/**
 * The `npm start` demo end to end in real Chromium, against its embedded simulator: signed webhooks travel
 * over HTTP from the simulator to the demo. `UPDATE_SCREENSHOTS=1` also writes docs/images/demo-*.png.
 * Needs Debian's Chromium at /usr/bin/chromium (`.ci/run` installs it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningExample, startExample } from '../examples/support/spawn.js';

const CHROMIUM = '/usr/bin/chromium';
const IMAGES = resolve(import.meta.dirname, '../../docs/images');
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
/** The page polls its status every second; a loaded CI machine may need a few rounds. */
const POLL = { timeout: 10_000 };
let browser: BrowserContext;
let profile: string;
let demo: RunningExample;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  profile = mkdtempSync(join(tmpdir(), 'sik-demo-chromium-'));
  [browser, demo] = await Promise.all([
    chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 960, height: 640 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
    startExample('examples/demo/main.ts'),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(IMAGES, `demo-${name}.png`), fullPage });
}

/** A fresh browser tab signed in as `name` (each test its own user, cookies are per tab's context). */
async function signIn(name: string, screenshot = false): Promise<Page> {
  const page = await browser.newPage();
  await page.context().clearCookies();
  await page.goto(demo.url);
  await page.fill('[data-testid="user-name"]', name);
  if (screenshot) await shot(page, '1-sign-in');
  await page.click('[data-testid="sign-in"]');
  await expect.poll(() => page.textContent('[data-testid="status"]'), POLL).toBe('none');
  return page;
}

/** Click "Verify", pick `outcome` on the simulator's hosted page, and come back to the account page. */
async function verifyWith(page: Page, outcome: string, screenshot?: string): Promise<void> {
  await page.click('[data-testid="verify"]');
  await page.waitForSelector(`[data-outcome="${outcome}"]`);
  expect(new URL(page.url()).origin).not.toBe(demo.url);
  if (screenshot) await shot(page, screenshot);
  await page.click(`[data-outcome="${outcome}"]`);
  await page.waitForURL(`${demo.url}/?returned=1`);
}

const statusOf = (page: Page) => page.textContent('[data-testid="status"]');

describe('the demo in Chromium', { timeout: 60_000 }, () => {
  test('the journey to verified: sign in, verify on the hosted page, the webhook updates the page', async () => {
    const page = await signIn('ada', true);
    expect(await page.textContent('[data-testid="mode"]')).toContain('simulator');
    await shot(page, '2-account');
    await verifyWith(page, 'verified', '3-hosted-page');
    await expect.poll(() => statusOf(page), POLL).toContain('verified');
    expect(await page.textContent('[data-testid="submissions-left"]')).toBe('2 of 3');
    await shot(page, '4-verified');
    await page.close();
  });

  test('a retry after a failed check reuses the session and ends verified', async () => {
    const page = await signIn('grace');
    await verifyWith(page, 'document_expired');
    await expect.poll(() => statusOf(page), POLL).toBe('requires_input');
    expect(await page.textContent('[data-testid="last-error"]')).toBe('document_expired');
    expect(await page.textContent('[data-testid="submissions-left"]')).toBe('2 of 3');
    expect(await page.textContent('[data-testid="verify"]')).toBe('Try again');
    const firstSession = await page.textContent('[data-testid="session-id"]');
    await shot(page, '5-retry');
    await verifyWith(page, 'verified');
    await expect.poll(() => statusOf(page), POLL).toBe('verified');
    expect(await page.textContent('[data-testid="session-id"]')).toBe(firstSession);
    expect(await page.textContent('[data-testid="sessions-left"]')).toBe('4 of 5');
    await page.close();
  });

  test('the submission limit: three failed checks, then the limit and the alternative path', async () => {
    const page = await signIn('mallory');
    for (const outcome of ['document_expired', 'selfie_face_mismatch', 'document_unverified_other']) {
      await verifyWith(page, outcome);
      await expect.poll(() => page.textContent('[data-testid="last-error"]'), POLL).toBe(outcome);
    }
    await expect.poll(() => page.textContent('[data-testid="submissions-left"]'), POLL).toBe('0 of 3');
    await page.click('[data-testid="verify"]');
    await expect.poll(() => page.textContent('[data-testid="message"]'), POLL).toContain('Limit reached');
    expect(page.url()).toContain(demo.url);
    expect(await page.isVisible('[data-testid="alternative-link"]')).toBe(true);
    await shot(page, '6-limit');
    await page.close();
  });

  test('the alternative path: consent declined offers the manual review instead of another try', async () => {
    const page = await signIn('linus');
    await verifyWith(page, 'consent_declined');
    await expect.poll(() => page.isVisible('[data-testid="alternative-link"]'), POLL).toBe(true);
    await page.click('[data-testid="verify"]');
    await expect.poll(() => page.textContent('[data-testid="message"]'), POLL).toContain('consent_declined');
    await shot(page, '7-alternative');
    await page.click('[data-testid="alternative-link"]');
    await page.waitForSelector('[data-testid="manual-review"]');
    await page.close();
  });

  test('the modal flow: the Stripe.js stand-in opens the hosted page over the app and resolves', async () => {
    const page = await signIn('katherine');
    await page.click('[data-testid="verify-modal"]');
    const frame = page.frameLocator('[data-simulator-modal] iframe');
    await frame.locator('[data-outcome="verified"]').waitFor();
    await shot(page, '8-modal');
    await frame.locator('[data-outcome="verified"]').click();
    await expect.poll(() => page.locator('[data-simulator-modal]').count(), POLL).toBe(0);
    await expect.poll(() => statusOf(page), POLL).toBe('verified');
    expect(await page.textContent('[data-testid="message"]')).toContain('Submitted');
    await page.close();
  });

  test('closing the modal resolves with session_cancelled and leaves the session open', async () => {
    const page = await signIn('barbara');
    await page.click('[data-testid="verify-modal"]');
    await page.frameLocator('[data-simulator-modal] iframe').locator('[data-outcome="verified"]').waitFor();
    await page.click('[data-simulator-close]');
    await expect.poll(() => page.textContent('[data-testid="message"]'), POLL).toContain('session_cancelled');
    await expect.poll(() => statusOf(page), POLL).toBe('requires_input');
    await page.close();
  });

  test('deletion: "Delete my verification data" redacts and shows the report', async () => {
    const page = await signIn('edsger');
    await verifyWith(page, 'verified');
    await expect.poll(() => statusOf(page), POLL).toBe('verified');
    const sessionId = await page.textContent('[data-testid="session-id"]');
    await page.click('[data-testid="delete-data"]');
    await page.waitForSelector('[data-testid="redaction-report"]:not([hidden])');
    const report = await page.textContent('[data-testid="redaction-report"]');
    expect(report).toContain(`${sessionId}:`);
    await expect.poll(() => statusOf(page), POLL).toBe('none');
    await shot(page, '9-deleted', true);
    await page.close();
  });

  test('the admin view lists users, attempts and sessions by reference only', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/admin`);
    expect(await page.textContent('[data-testid="admin-users"] [data-user="demo_ada"]')).toContain(
      'verified',
    );
    const sessions = await page.textContent('[data-testid="admin-sessions"]');
    expect(sessions).toMatch(/vs_\w+/);
    const html = await page.content();
    expect(html).not.toMatch(/_secret_|\/verify\/(test|live)_/);
    await shot(page, '10-admin', true);
    await page.close();
  });
});
