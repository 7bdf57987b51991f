/**
 * The console's memory over a long live run (part of `npm run bench:ui`; runs on its own with
 * `tsx bench/ui-heap.ts`): the simulator and `serve` in their own processes, Chromium signed in
 * as an operator on the substation process screen, every device polled at 100 ms and the plant
 * simulated 20× faster, so values change up to ten times a second (the console coalesces redraws
 * per 100 ms) — a few minutes of wall clock carry the updates of ten minutes or more at the
 * plant's one-second rate; `equivalent_minutes` says how many (`ARGUS_BENCH_UI_HEAP_S` changes
 * the wall-clock length, default 250 s: about ten minutes' worth of the 39 values on the process screen).
 *
 *   js_heap_mb          JS heap in use after a forced garbage collection at the end
 *   heap_growth_mb      that figure minus the same after a 30 s warm-up: what the screen keeps
 *   value_updates       live values the page actually redrew (text changes of `[data-tag]`
 *                       elements, counted in the page): only real updates count
 *   equivalent_minutes  value_updates expressed as minutes of the plant's 1 s rate
 *
 * Needs a build (`node scripts/build.mjs`) and /usr/bin/chromium.
 */
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';
import { startStationFixture } from '../test/support/station-fixture.js';
import { benchMeta } from './meta.js';
import { signInAsOperator } from './support/console-page.js';

const WARMUP_MS = 30_000;
const INTERVAL_MS = 100;

export interface HeapFigures {
  readonly js_heap_mb: number;
  readonly heap_growth_mb: number;
  readonly value_updates: number;
  readonly bound_values: number;
  readonly equivalent_minutes: number;
  readonly wall_s: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usage.usedSize;
}

/** In the page: count text changes of live values from now on (a MutationObserver, no polling). */
async function startCountingUpdates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __valueUpdates: number };
    w.__valueUpdates = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target.nodeType === Node.TEXT_NODE ? r.target.parentElement : (r.target as Element);
        if (el?.closest('[data-tag]')) w.__valueUpdates++;
      }
    }).observe(document.body, { subtree: true, characterData: true, childList: true });
  });
}

export async function runHeapBench(
  wallMs = Number(process.env.ARGUS_BENCH_UI_HEAP_S ?? 250) * 1000,
): Promise<HeapFigures> {
  const fx = await startStationFixture('bench-ui-heap', { simArgs: ['--speed', '20'], intervalMs: INTERVAL_MS });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await signInAsOperator(page, fx.url, fx.passwords.get('demo-operator')!);
    await page.waitForSelector('[data-tag][data-quality="Good"]', { timeout: 60_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await page.waitForTimeout(WARMUP_MS);
    const base = await heapAfterGc(cdp);
    const boundValues = await page.locator('[data-tag]').count();
    await startCountingUpdates(page);
    const started = Date.now();
    await page.waitForTimeout(wallMs);
    const updates = await page.evaluate(() => (window as unknown as { __valueUpdates: number }).__valueUpdates);
    const end = await heapAfterGc(cdp);
    const wall = Date.now() - started;
    return {
      js_heap_mb: mb(end),
      heap_growth_mb: mb(end - base),
      value_updates: updates,
      bound_values: boundValues,
      // One update of every bound value per second is one minute per 60 rounds.
      equivalent_minutes: boundValues > 0 ? Math.round((updates / boundValues / 60) * 10) / 10 : 0,
      wall_s: Math.round(wall / 1000),
    };
  } finally {
    await browser.close();
    await fx.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runHeapBench();
  console.log(
    JSON.stringify({
      ...figures,
      targets: { heap_growth_mb: '< 20' },
      ...benchMeta('process screen, simulator 20x, 100 ms polling, Chromium'),
    }),
  );
}
