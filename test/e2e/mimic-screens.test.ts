/// <reference lib="dom" />
/**
 * End to end in Chromium: an SVG screen drawn in an editor (the demo's substation sketch),
 * imported through the project file, shows live values on the station server; its bound
 * shapes follow their tags and a click opens the trend of a value. The symbol screens draw
 * every symbol with `data-symbol` and `data-state`, their text is at least 12 px at
 * 1366×768, and every screen is photographed at 1920×1080 and 1366×768
 * (test/e2e/screenshots/, ignored by git).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const sketch = new URL('../../assets/demo/screens/substation-sketch.svg', import.meta.url).pathname;
const shots = new URL('./screenshots/', import.meta.url).pathname;

describe.skipIf(chromiumMissing)('mimic screens in Chromium', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let screenIds: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    station = await startStationFixture('e2e-mimic', {
      simArgs: ['--speed', '30'],
      editProject: (project) => ({
        ...project,
        screens: [
          ...project.screens.filter((s) => s.id !== 'sketch'),
          { id: 'sketch', title: 'Substation sketch', level: 2, width: 1200, height: 700, elements: [], svg: sketch },
        ],
      }),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    await page.getByTestId('demo-signin-demo-operator').click();
    await page.waitForSelector('[data-tag][data-quality]', { timeout: 60_000 });
    screenIds = await page.evaluate(async () => {
      const links = [...document.querySelectorAll('a[href^="#/screen/"]')].map((a) =>
        a.getAttribute('href')!.slice('#/screen/'.length),
      );
      return [...new Set(links)];
    });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('the imported SVG screen shows live Good values and its bound shapes follow their tags', async () => {
    await page.goto(`${station.url}#/screen/sketch`);
    await page.waitForSelector('[data-svg-screen="sketch"]');
    const value = page.locator('[data-svg-screen="sketch"] tspan[data-tag="SS01.HX.T_SEC_SUP"]');
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-svg-screen="sketch"] tspan[data-tag="SS01.HX.T_SEC_SUP"]')
          ?.getAttribute('data-quality') === 'Good',
      null,
      { timeout: 30_000 },
    );
    const first = await value.textContent();
    expect(first).toMatch(/^\d+(\.\d+)? °C$/);
    // Live: the value changes while the screen is open (the simulator runs 30× faster).
    await page.waitForFunction(
      (before) =>
        document.querySelector('[data-svg-screen="sketch"] tspan[data-tag="SS01.HX.T_SEC_SUP"]')?.textContent !==
        before,
      first,
      { timeout: 30_000 },
    );
    // The duty pump's body is filled by its run bit; the level rect is sized by the tank level.
    const pumps = await page
      .locator('[data-svg-screen="sketch"] circle[data-bind-tags]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('class')));
    expect(pumps.some((c) => c?.includes('bind-fill-on'))).toBe(true);
    const level = await page
      .locator('[data-svg-screen="sketch"] rect[data-bind-tags="SS01.EXP.LEVEL"]')
      .evaluate((e) => Number(e.getAttribute('height')));
    expect(level).toBeGreaterThan(0);
    expect(level).toBeLessThan(118);
    // Nothing in the drawing reached the DOM that could run: no script, no handler attribute.
    const unsafe = await page
      .locator('[data-svg-screen="sketch"]')
      .evaluate((root) => root.querySelectorAll('script, foreignObject, image, [onload], [onclick]').length);
    expect(unsafe).toBe(0);
    await page.screenshot({ path: `${shots}mimic-sketch-1920x1080.png` });
  }, 90_000);

  it('a click on a bound value opens its trend', async () => {
    await page.goto(`${station.url}#/screen/sketch`);
    await page.waitForSelector('[data-svg-screen="sketch"] tspan[data-tag="SS01.HX.T_SEC_SUP"]');
    await page.locator('[data-svg-screen="sketch"] tspan[data-tag="SS01.HX.T_SEC_SUP"]').click();
    await page.waitForFunction(() => window.location.hash.startsWith('#/trends'), null, { timeout: 10_000 });
    expect(decodeURIComponent(await page.evaluate(() => window.location.hash))).toContain('SS01.HX.T_SEC_SUP');
  }, 30_000);

  it('every symbol carries data-symbol and data-state; the pumps are running, stopped or tripped, never unnamed', async () => {
    await page.goto(`${station.url}#/screen/overview`);
    await page.waitForSelector('[data-symbol="pump"]');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-symbol="pump"]')].every((p) => p.getAttribute('data-state') !== 'unknown'),
      null,
      { timeout: 30_000 },
    );
    const symbols = await page
      .locator('[data-symbol]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-symbol'), e.getAttribute('data-state')]));
    expect(symbols.length).toBeGreaterThan(5);
    for (const [symbol, state] of symbols) expect(state, `${symbol}`).toMatch(/^[a-z-]+$/);
    const pumpStates = symbols.filter(([s]) => s === 'pump').map(([, st]) => st);
    for (const st of pumpStates) expect(['running', 'stopped', 'tripped']).toContain(st);
  }, 60_000);

  it('mimic text is at least 12 px at 1366×768', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${station.url}#/screen/overview`);
    await page.waitForSelector('[data-symbol="pump"]');
    await page.waitForTimeout(500);
    const smallest = await page.evaluate(() => {
      let min = Infinity;
      let which = '';
      for (const el of document.querySelectorAll('.mimic text, .mimic tspan, .mimic foreignObject span')) {
        if (!(el.textContent ?? '').trim() || el.closest('.prio')) continue;
        const size = Number.parseFloat(getComputedStyle(el).fontSize);
        // SVG text scales with the viewBox: the rendered size is the font size times the screen's scale.
        const svg = el.closest('svg.mimic-svg') as SVGSVGElement | null;
        const scale = svg?.getScreenCTM()?.a ?? 1;
        const px = size * scale;
        if (px < min) {
          min = px;
          which = `${el.tagName} "${(el.textContent ?? '').slice(0, 30)}"`;
        }
      }
      return { min, which };
    });
    expect(smallest.min, smallest.which).toBeGreaterThanOrEqual(11.95);
    await page.setViewportSize({ width: 1920, height: 1080 });
  }, 60_000);

  it('screenshots of every screen at 1920×1080 and 1366×768', async () => {
    const ids = [...new Set([...screenIds, 'overview', 'sketch'])];
    for (const size of [
      { width: 1920, height: 1080 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(size);
      for (const id of ids) {
        await page.goto(`${station.url}#/screen/${id}`);
        await page.waitForSelector(`[data-screen="${id}"]`, { timeout: 10_000 }).catch(() => undefined);
        await page.waitForTimeout(1200);
        await page.screenshot({ path: `${shots}mimic-${id}-${size.width}x${size.height}.png` });
      }
    }
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
