/**
 * A console window in an end-to-end test: a new browser context signed in through the form
 * in the operator's language (remembered per user, as the user menu does), and screenshots
 * of the current view at the two sizes every screen is checked at.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { recordPageErrors } from './browser.js';

export interface ConsoleStation {
  readonly url: string;
  readonly passwords: ReadonlyMap<string, string>;
}

/** A new 1920×1080 window signed in as `user`, in `lang`; page errors go to `pageErrors`. */
export async function openSignedIn(
  browser: Browser,
  station: ConsoleStation,
  user: string,
  lang: 'en' | 'zh',
  pageErrors: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  recordPageErrors(page, pageErrors);
  await page.goto(station.url);
  await page.evaluate(
    ([u, l]) => {
      localStorage.setItem(`argus.lang.${u}`, l!);
      localStorage.setItem('argus.lang.-', l!);
    },
    [user, lang],
  );
  await page.reload();
  await page.getByTestId('signin-name').fill(user);
  await page.getByTestId('signin-password').fill(station.passwords.get(user)!);
  await page.getByTestId('signin-submit').click();
  await page.waitForSelector(`[data-testid="user-name"]:has-text("${user}")`, { timeout: 15_000 });
  return { context, page };
}

/** Screenshots `<dir>/<name>-1920x1080.png` and `-1366x768.png`; the window is left at 1920×1080. */
export async function screenshotBothSizes(page: Page, dir: string, name: string): Promise<void> {
  await page.mouse.move(2, 1075); // no hover tooltip in the picture
  await page.screenshot({ path: join(dir, `${name}-1920x1080.png`) });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, `${name}-1366x768.png`) });
  await page.setViewportSize({ width: 1920, height: 1080 });
}
