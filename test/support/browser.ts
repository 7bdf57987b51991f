/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Tests that need
 * it skip with a clear message where /usr/bin/chromium is not installed, and fail instead
 * when ARGUS_STRICT is set (see prerequisites.ts).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, lacking, missingMessage } from './prerequisites.js';

export { CHROMIUM_PATH };
/** True (after a message) where Chromium is missing; throws at import under ARGUS_STRICT. */
export const chromiumMissing = lacking('chromium');
export const chromiumMissingMessage = missingMessage(['chromium']) ?? 'Chromium present';

/** `extraArgs`: more Chromium switches, e.g. a benchmark's `--disable-frame-rate-limit`. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
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
      ...extraArgs,
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
