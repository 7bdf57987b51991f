/// <reference lib="dom" />
/**
 * End to end: the Trends screen on `serve` with the simulator in its own process, in
 * Debian's Chromium. After a few seconds of history an operator adds a tag and sees uPlot
 * draw it with its value and unit, zooms by dragging and by keys, sees the setpoint and the
 * alarm limits of a controlled value, a Modbus outage drawn as a gap, two rulers with
 * min/max/average, the same window a day earlier, a PNG of the view, eight pens and a
 * refused ninth, a trend opened from a link, the live append on the same chart instance,
 * a saved trend set after a reload, and exports the pens as CSV. Screenshots at 1920×1080
 * and 1366×768 go to test/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { readDemoProject } from '../support/demo-project.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const screenshots = join(import.meta.dirname, 'screenshots');
mkdirSync(screenshots, { recursive: true });

/** A controlled value with a deviation alarm against its setpoint and absolute limits (the demo plant's supply temperature). */
const CONTROLLED = 'SS01.HX.T_SEC_SUP';
const SETPOINT = 'SS01.HC.T_SP';

describe.skipIf(chromiumMissing)('trends in Chromium', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const project = readDemoProject();
  // An analog tag with a unit, so the legend's text can be checked for it.
  const tag = project.tags.find(
    (t) => t.kind === 'analog' && t.unit !== '' && t.device === 'SS01-PLC' && t.name !== CONTROLLED,
  )!;
  const analogs = project.tags.filter((t) => t.kind === 'analog' && t.name !== tag.name && t.name !== CONTROLLED);

  const legendRows = () => page.locator('[data-testid="trend-legend"] tbody tr[data-pen-tag]');
  const addPen = async (name: string) => {
    await page.getByTestId('trend-tag-search').fill(name);
    await page.locator(`[data-testid="trend-tag-option"][data-tag="${name}"]`).click();
  };
  const rangeText = () => page.getByTestId('trend-range-text').innerText();

  beforeAll(async () => {
    station = await startStationFixture('e2e-trend', { simArgs: ['--speed', '60'] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
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
    await addPen(tag.name);
    await page.getByTestId('trend-range-15m').click();
    expect(await page.getByTestId('trend-range-15m').getAttribute('aria-pressed')).toBe('true');
    // uPlot draws on a canvas: the legend's readout (the latest value drawn) proves data reached it.
    const value = page.locator(`[data-pen-tag="${tag.name}"] [data-testid="trend-legend-value"]`);
    await page.waitForFunction(
      ([t, unit]) => {
        const text =
          document.querySelector(`[data-pen-tag="${t}"] [data-testid="trend-legend-value"]`)?.textContent ?? '';
        return /\d/.test(text) && text.endsWith(unit!);
      },
      [tag.name, tag.unit] as const,
      { timeout: 30_000 },
    );
    expect(await value.innerText()).toMatch(
      new RegExp(`^-?\\d[\\d.]* ${tag.unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
    // The canvas has dark pixels of the pen inside the plotting area (not just axes and grid);
    // the line grows each second, so a station slow to its first samples only takes longer.
    const inked = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="trend-plot"] canvas');
        if (!canvas) return 0;
        const ctx = canvas.getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        // The first pen's colour is #1f4e79 (light theme).
        for (let i = 0; i < data.length; i += 4)
          if (
            Math.abs(data[i]! - 0x1f) < 12 &&
            Math.abs(data[i + 1]! - 0x4e) < 12 &&
            Math.abs(data[i + 2]! - 0x79) < 12
          )
            n++;
        return n;
      });
    await expect.poll(inked, { timeout: 30_000 }).toBeGreaterThan(20);
    expect(Number(await page.getByTestId('trend-plot').getAttribute('data-buckets'))).toBeGreaterThan(300);
  }, 90_000);

  it('appends live each second on the same chart instance', async () => {
    const plot = page.getByTestId('trend-plot');
    const instances = await plot.getAttribute('data-instances');
    const drawn = Number(await plot.getAttribute('data-drawn'));
    await page.waitForFunction(
      (before) =>
        Number(document.querySelector('[data-testid="trend-plot"]')?.getAttribute('data-drawn')) >= before + 3,
      drawn,
      { timeout: 15_000 },
    );
    expect(await plot.getAttribute('data-instances')).toBe(instances);
    const appends = await page.evaluate(() => performance.getEntriesByName('argus.trend.append').length);
    expect(appends).toBeGreaterThanOrEqual(3);
  });

  it('zooms to a dragged span and leaves live mode', async () => {
    const over = page.locator('[data-testid="trend-plot"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="trend-range-text"]')?.textContent?.includes('live'),
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.getByTestId('trend-range-15m').getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('trend-range-15m').click();
  });

  it('is operated by keys: focus the plot, zoom in and out, pan, back with Home; / jumps to the search', async () => {
    await page.getByTestId('trend-range-15m').click();
    await page.getByTestId('trend-plot-area').focus();
    const focusRing = await page.getByTestId('trend-plot-area').evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(focusRing).toBe('solid');
    await page.keyboard.press('+');
    await page.waitForFunction(
      () =>
        /\(7\.5 min\)|\(8 min\)/.test(document.querySelector('[data-testid="trend-range-text"]')?.textContent ?? ''),
      undefined,
      { timeout: 5000 },
    );
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await page.waitForFunction(
      () => /\(30 min\)/.test(document.querySelector('[data-testid="trend-range-text"]')?.textContent ?? ''),
      undefined,
      { timeout: 5000 },
    );
    const before = await rangeText();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid="trend-range-text"]')?.textContent !== b,
      before,
      { timeout: 5000 },
    );
    await page.keyboard.press('Home');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="trend-range-text"]')?.textContent?.includes('live'),
      undefined,
      { timeout: 5000 },
    );
    expect(await page.getByTestId('trend-range-15m').getAttribute('aria-pressed')).toBe('true');
    // `/` from anywhere on the screen goes to the tag search (not through the date inputs).
    await page.getByTestId('trend-range-15m').focus();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('trend-tag-search');
  });

  it('takes 24-hour times in the range inputs and refuses a 12-hour one', async () => {
    const from = page.getByTestId('trend-from');
    expect(await from.getAttribute('type')).toBe('text');
    expect(await from.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const saved = await from.inputValue();
    await from.fill('2025-01-10 9:05 PM');
    await page.getByTestId('trend-range-custom').click();
    await page.getByText('YYYY-MM-DD HH:MM (24-hour)').first().waitFor({ timeout: 5000 });
    await from.fill(saved);
    await page.getByTestId('trend-range-15m').click();
  });

  it("draws a controlled value's setpoint and alarm limits", async () => {
    await addPen(CONTROLLED);
    const plot = page.getByTestId('trend-plot');
    await page.waitForFunction(
      (sp) =>
        document.querySelector('[data-testid="trend-plot"]')?.getAttribute('data-setpoints')?.split(' ').includes(sp),
      SETPOINT,
      { timeout: 15_000 },
    );
    const limits = project.tags
      .find((t) => t.name === CONTROLLED)!
      .alarms!.filter((a) => ['high-high', 'high', 'low', 'low-low'].includes(a.kind)).length;
    expect(limits).toBeGreaterThan(0);
    expect(Number(await plot.getAttribute('data-limit-lines'))).toBe(limits);
    await page.locator(`[data-pen-tag="${CONTROLLED}"] [data-testid="trend-pen-setpoint"]`).waitFor();
    expect(
      await page.locator(`[data-pen-tag="${CONTROLLED}"] [data-testid="trend-pen-setpoint"]`).innerText(),
    ).toContain(SETPOINT);
  });

  it('draws a Modbus outage as a gap, not a flat line', async () => {
    const plot = page.getByTestId('trend-plot');
    expect(Number(await plot.getAttribute('data-gaps'))).toBe(0);
    station.sim.send('modbus stop');
    await new Promise((resolve) => setTimeout(resolve, 8000));
    station.sim.send('modbus start');
    // Back to Good, then a gap between the values before and after the outage.
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="trend-plot"]')?.getAttribute('data-gaps')) >= 1,
      undefined,
      { timeout: 45_000 },
    );
  }, 90_000);

  it('shows min, max and average between two rulers placed by mouse and by keys', async () => {
    const over = page.locator('[data-testid="trend-plot"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width * 0.98, box.y + box.height / 2);
    const row = page.locator(`[data-pen-tag="${tag.name}"]`);
    await row.getByTestId('trend-ruler-avg').waitFor({ timeout: 5000 });
    const num = async (id: string) => Number((await row.getByTestId(id).innerText()).split(' ')[0]);
    const [min, max, avg] = [await num('trend-ruler-min'), await num('trend-ruler-max'), await num('trend-ruler-avg')];
    expect(Number.isFinite(min) && Number.isFinite(max) && Number.isFinite(avg)).toBe(true);
    expect(min).toBeLessThanOrEqual(avg);
    expect(avg).toBeLessThanOrEqual(max);
    // By keys: cursor to the start, ruler A there; the A time changes.
    const a = await page.getByTestId('trend-ruler-a').innerText();
    await page.getByTestId('trend-plot-area').focus();
    await page.keyboard.press('Shift+,');
    await page.keyboard.press('[');
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="trend-ruler-a"]')?.textContent !== before,
      a,
      { timeout: 5000 },
    );
    await page.keyboard.press('Delete');
    await page.getByTestId('trend-ruler-avg').first().waitFor({ state: 'detached', timeout: 5000 });
  });

  it('overlays the same window a day earlier, labelled −1 d', async () => {
    await page.getByTestId('trend-overlay-1d').click();
    expect(await page.getByTestId('trend-overlay-1d').getAttribute('aria-pressed')).toBe('true');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="trend-plot"]')?.getAttribute('data-overlays') === '1d',
      undefined,
      { timeout: 10_000 },
    );
    const overlayRow = page.locator(`tr[data-overlay-tag="${tag.name}"][data-overlay="1d"]`);
    expect(await overlayRow.innerText()).toContain('\u22121 d');
  });

  it('saves the view as a PNG with the legend drawn in', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trend-png').click()]);
    expect(download.suggestedFilename()).toMatch(/^trend-\d{8}-\d{4}\.png$/);
    const file = join(station.dir, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // Wider and taller than the plot's canvas: title and legend are part of the picture.
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    const canvas = await page
      .locator('[data-testid="trend-plot"] canvas')
      .evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height }));
    expect(width).toBeGreaterThan(canvas.w);
    expect(height).toBeGreaterThan(canvas.h + 40);
    await page.getByTestId('trend-png-status').waitFor();
    expect(await page.getByTestId('trend-png-status').getAttribute('data-phase')).toBe('done');
    await page.getByTestId('trend-overlay-1d').click();
  });

  it('takes eight pens and says so when a ninth is tried', async () => {
    for (const t of analogs) {
      if ((await legendRows().count()) >= 8) break;
      await addPen(t.name);
    }
    expect(await legendRows().count()).toBe(8);
    const names = await legendRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pen-tag')));
    const extra = analogs.find((t) => !names.includes(t.name))!;
    await addPen(extra.name);
    await page.getByTestId('trend-pen-message').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('trend-pen-message').innerText()).toMatch(/At most 8 pens/);
    expect(await legendRows().count()).toBe(8);
  }, 90_000);

  it('saves a trend set and opens it again after a reload, as the same user', async () => {
    await page.getByTestId('trend-set-name').fill('E2E supply loop');
    await page.getByTestId('trend-set-save').click();
    await page.getByTestId('trend-set-status').getByText('E2E supply loop').waitFor({ timeout: 5000 });
    const saved = await legendRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pen-tag')));
    await page.goto(`${station.url}/#/trends`);
    await page.reload();
    await page.locator('[data-testid="trend-sets"][data-loaded="true"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('trend-set-select').selectOption('E2E supply loop');
    await page.getByTestId('trend-set-open').click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="trend-legend"] tbody tr[data-pen-tag]').length === n,
      saved.length,
      { timeout: 10_000 },
    );
    expect(await legendRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pen-tag')))).toEqual(saved);
  }, 60_000);

  it('opens from a link with the pens it names (#/trends?tags=…)', async () => {
    await page.goto(
      `${station.url}/#/trends?tags=${encodeURIComponent(CONTROLLED)},${encodeURIComponent(tag.name)},NO.SUCH.TAG`,
    );
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="trend-legend"] tbody tr[data-pen-tag]').length === 2,
      undefined,
      { timeout: 30_000 },
    );
    expect(await legendRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pen-tag')))).toEqual([
      CONTROLLED,
      tag.name,
    ]);
    expect(await page.getByTestId('trend-pen-message').innerText()).toContain('NO.SUCH.TAG');
  });

  it('looks right at 1920×1080 and 1366×768', async () => {
    await page.getByTestId('trend-range-15m').click();
    await page.waitForFunction(
      () => /\d/.test(document.querySelector('[data-testid="trend-legend-value"]')?.textContent ?? ''),
      undefined,
      { timeout: 20_000 },
    );
    const over = page.locator('[data-testid="trend-plot"] .u-over');
    for (const [w, h] of [
      [1920, 1080],
      [1366, 768],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await new Promise((resolve) => setTimeout(resolve, 800));
      const box = (await over.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 3);
      await page.screenshot({ path: join(screenshots, `trends-${w}x${h}.png`), fullPage: true });
      await page.getByTestId('trend-plot').screenshot({ path: join(screenshots, `trends-plot-${w}x${h}.png`) });
      await page.getByTestId('trend-rulers-clear').click();
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('exports the pens as CSV with progress to done and the file name', async () => {
    await page.getByTestId('trend-export-wide').check();
    await page.getByTestId('trend-export').click();
    await page.waitForSelector('[data-testid="trend-export-status"][data-phase="done"]', { timeout: 30_000 });
    const name = await page.getByTestId('trend-export-file').innerText();
    expect(name).toMatch(/^history-.*\.csv$/);
    const file = join(station.dir, 'data', 'exports', name);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(tag.name);
  });

  it('reads in Simplified Chinese', async () => {
    await page.evaluate(() => {
      localStorage.setItem('argus.lang.demo-operator', 'zh');
      localStorage.setItem('argus.lang.-', 'zh');
    });
    await page.reload();
    await page.getByTestId('trend-png').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('trend-png').innerText()).toBe('保存图片 (PNG)');
    expect(await page.getByTestId('trend-keys').innerText()).toContain('缩放');
    expect(await page.getByTestId('trend-tag-search').getAttribute('placeholder')).toBe('搜索名称、描述、单位…');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: join(screenshots, 'trends-zh-1366x768.png') });
    await page.evaluate(() => {
      localStorage.setItem('argus.lang.demo-operator', 'en');
      localStorage.setItem('argus.lang.-', 'en');
    });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
