/**
 * The Playwright flow of docs/testing.md, in Debian's Chromium: the binary's simulator serves the hosted
 * page, a person clicks an outcome and lands on the return URL, and the event reaches --forward-to signed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type BuiltCli, buildCli, type RunningSimulator, startSimulate } from './binary.js';
import { type Receiver, startReceiver } from './receiver.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const CHROMIUM = '/usr/bin/chromium';
const SECRET = 'whsec_browserE2E0123456789';
let cli: BuiltCli;
let sim: RunningSimulator;
let receiver: Receiver;
let browser: BrowserContext;
let profile: string;
let app: Server;
let appUrl = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  profile = mkdtempSync(join(tmpdir(), 'sik-cli-chromium-'));
  cli = await buildCli();
  receiver = await startReceiver(() => SECRET);
  // The app's return page: what the user lands on after the hosted page.
  app = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p data-testid="back">Back in the app</p>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const address = app.address();
  appUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  [sim, browser] = await Promise.all([
    startSimulate(cli, ['--port', '0', '--forward-to', receiver.url, '--webhook-secret', SECRET]),
    chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
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
  ]);
});

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
  await receiver?.close();
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
  cli?.dispose();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('simulate in a real browser', () => {
  test('a session url opens the hosted page; clicking verified returns to the app and sends the event', async () => {
    const url = new URL(sim.base);
    const stripe = new Stripe('sk_test_browser', {
      host: url.hostname,
      port: Number(url.port),
      protocol: 'http',
    });
    const session = await stripe.identity.verificationSessions.create({
      type: 'document',
      return_url: `${appUrl}/verify/return`,
    });
    const page = await browser.newPage();
    await page.goto(session.url ?? '');
    await page.click('[data-outcome="verified"]');
    await page.waitForURL(`${appUrl}/verify/return`);
    await expect(page.getByTestId('back').textContent()).resolves.toBe('Back in the app');
    await receiver.until((r) => r.some((x) => x.event.type === 'identity.verification_session.verified'));
    expect(receiver.rejected).toEqual([]);
    expect((await stripe.identity.verificationSessions.retrieve(session.id)).status).toBe('verified');
    // The link was single-use: opening it again is refused.
    const again = await page.goto(session.url ?? '');
    expect(again?.status()).toBe(410);
  });
});
