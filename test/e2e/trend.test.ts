/// <reference lib="dom" />
/**
 * End to end: the Trends screen on `serve` with the simulator in its own process, in
 * Debian's Chromium. After a few seconds of history, an operator adds a tag, picks the
 * last 15 minutes, sees uPlot draw it with the value and unit in the legend, zooms by
 * dragging, and exports the pen as CSV (progress to done, file in the data folder's exports/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { readDemoProject } from '../support/demo-project.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

describe.skipIf(chromiumMissing)('trends in Chromium', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const project = readDemoProject();
  // An analog tag with a unit, so the legend's text can be checked for it.
  const tag = project.tags.find((t) => t.kind === 'analog' && t.unit !== '')!;

  beforeAll(async () => {
    station = await startStationFixture('e2e-trend', { simArgs: ['--speed', '60'] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    await page.getByTestId('demo-signin-demo-operator').click();
    await page.getByTestId('nav-trends').waitFor({ timeout: 30_000 });
    // Some history to draw.
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('draws a tag over the last 15 minutes with its unit in the legend', async () => {
    await page.getByTestId('nav-trends').click();
    await page.getByTestId('trend-tag-search').fill(tag.name);
    await page.locator(`[data-testid="trend-tag-option"][data-tag="${tag.name}"]`).click();
    await page.getByTestId('trend-range-15m').click();
    expect(await page.getByTestId('trend-range-15m').getAttribute('aria-pressed')).toBe('true');
    // uPlot draws on a canvas: the legend's readout (the latest value drawn) proves data reached it.
    const value = page.locator(`[data-pen-tag="${tag.name}"] [data-testid="trend-legend-value"]`);
    await page.waitForFunction(
      ([t, unit]) => {
        const text = document.querySelector(`[data-pen-tag="${t}"] [data-testid="trend-legend-value"]`)?.textContent ?? '';
        return /\d/.test(text) && text.endsWith(unit!);
      },
      [tag.name, tag.unit] as const,
      { timeout: 30_000 },
    );
    expect(await value.innerText()).toMatch(new RegExp(`^-?\\d[\\d.]* ${tag.unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    // The canvas has dark pixels of the pen inside the plotting area (not just axes and grid).
    const inked = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="trend-plot"] canvas');
      if (!canvas) return 0;
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      // The first pen's colour is #1f4e79.
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - 0x1f) < 12 && Math.abs(data[i + 1]! - 0x4e) < 12 && Math.abs(data[i + 2]! - 0x79) < 12) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(20);
    expect(Number(await page.getByTestId('trend-plot').getAttribute('data-buckets'))).toBeGreaterThan(300);
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-trend.png') });
  });

  it('zooms to a dragged span and leaves live mode', async () => {
    const over = page.locator('[data-testid="trend-plot"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => !document.querySelector('[data-testid="trend-range-text"]')?.textContent?.includes('live'), undefined, { timeout: 10_000 });
    expect(await page.getByTestId('trend-range-15m').getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('trend-range-15m').click();
  });

  it('exports the pen as CSV with progress to done and the file name', async () => {
    await page.getByTestId('trend-export-wide').check();
    await page.getByTestId('trend-export').click();
    await page.waitForSelector('[data-testid="trend-export-status"][data-phase="done"]', { timeout: 30_000 });
    const name = await page.getByTestId('trend-export-file').innerText();
    expect(name).toMatch(/^history-.*\.csv$/);
    const file = join(station.dir, 'data', 'exports', name);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(tag.name);
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-trend-export.png') });
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
