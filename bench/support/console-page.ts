/**
 * What the console benchmarks in Chromium share: the build they need, signing the demo
 * operator in, the renderer main thread's CPU time, and the figures' rounding and quantiles.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { CHROMIUM_PATH } from '../../test/support/prerequisites.js';

const root = new URL('../../', import.meta.url).pathname;

/** Throws, saying what to do, unless the station server, the console and Chromium are there. */
export function requireConsoleBuild(): void {
  if (!existsSync(join(root, 'dist/main/server.mjs')) || !existsSync(join(root, 'dist/renderer/index.html')))
    throw new Error('build first: node scripts/build.mjs');
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt install chromium, or set ARGUS_CHROMIUM)`);
}

/** Opens the console at `url` and signs `demo-operator` in with the form (the sign-in screen gets 90 s to load). */
export async function signInAsOperator(page: Page, url: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('signin-name').waitFor({ timeout: 90_000 });
  await page.getByTestId('signin-name').fill('demo-operator');
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

/**
 * The page's renderer main thread CPU time so far, ms, from the DevTools Performance domain
 * (`ThreadTime`): work that other processes on the cores do not inflate, as they inflate wall time.
 */
export async function rendererThreadTime(page: Page): Promise<{ cdp: CDPSession; threadTime: () => Promise<number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const threadTime = async (): Promise<number> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'ThreadTime')!.value * 1000;
  };
  return { cdp, threadTime };
}

/** One decimal. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The `q` quantile of `xs` (0.5 the median, 0.95 the 95th percentile): the value at that rank, no interpolation. */
export const quantile = (xs: readonly number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
