/**
 * The simulator's hosted verification page in real Chromium: a person opens the single-use link from
 * start(), chooses an outcome, and lands on the app's return URL, where the app reconciles.
 * Needs Debian's Chromium at /usr/bin/chromium (`.ci/run` installs it: apt-get install -y chromium).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { harness } from '../support/harness.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: BrowserContext;
let profile: string;
let returnServer: Server;
let returnUrl: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  profile = mkdtempSync(join(tmpdir(), 'sik-chromium-'));
  // A fresh profile per run: launchPersistentContext passes it as --user-data-dir.
  browser = await chromium.launchPersistentContext(profile, {
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
  });
  // The app's return page, on 127.0.0.1 so that nothing leaves the machine.
  returnServer = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>back</title><h1 id="back">Thanks, we are checking.</h1>');
  });
  await new Promise<void>((resolve) => returnServer.listen(0, '127.0.0.1', resolve));
  returnUrl = `http://127.0.0.1:${(returnServer.address() as AddressInfo).port}/verify/return`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => returnServer?.close(resolve));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the hosted page in Chromium', () => {
  test.each([
    ['verified', 'verified', 'done'],
    ['document_expired', 'requires_input', 'resume'],
  ] as const)('choosing %s lands on the return URL and the app sees %s', async (outcome, state, next) => {
    const h = await harness({ service: { returnUrl }, sim: { webhooks: { autoDeliver: true } } });
    const started = await h.service.start({ id: 'user_1' });
    if (started.status !== 'redirect') throw new Error(started.status);
    const page = await browser.newPage();
    try {
      await page.goto(started.url);
      await page.click(`[data-outcome="${outcome}"]`);
      await page.waitForURL(`${returnUrl}**`);
      expect(await page.textContent('#back')).toContain('checking');
    } finally {
      await page.close();
    }
    expect(await h.service.handleReturn('user_1')).toMatchObject({ state, next });
    expect(h.sim.linkStatus(started.url)).toBe('used');
  });

  test('a used link shows an error page instead of the form', async () => {
    const h = await harness({ service: { returnUrl } });
    const started = await h.service.start({ id: 'user_1' });
    if (started.status !== 'redirect') throw new Error(started.status);
    const page = await browser.newPage();
    try {
      await page.goto(started.url);
      const again = await page.goto(started.url);
      expect(again?.status()).toBeGreaterThanOrEqual(400);
      expect(await page.locator('[data-outcome]').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
