/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Tests that need
 * it skip with a clear message where /usr/bin/chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.ARGUS_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM_PATH);
export const chromiumMissingMessage = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set ARGUS_CHROMIUM)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Collect the page's uncaught exceptions and console errors into `into` (a test asserts it stays empty). */
export function recordPageErrors(page: Page, into: string[]): void {
  page.on('pageerror', (err) => into.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') into.push(msg.text());
  });
}
