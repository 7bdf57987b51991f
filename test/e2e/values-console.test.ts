/// <reference lib="dom" />
/**
 * End to end, values as an operator sees them: the simulator's secondary-side leak drags the
 * return pressure below its normal band and the overview marks it (boxed, ▼, data-zone) before
 * any alarm; clicking a value (or Enter on it) opens its trend; stopping the PLC names it in the
 * header in the alarm colour and its values stay Bad-looking after 10 s, their reason shown on
 * focus. Screenshots of the overview with the leak at 1920×1080 and 1366×768 go to
 * test/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { readDemoProject } from '../support/demo-project.js';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const shots = new URL('./screenshots/', import.meta.url).pathname;

describe.skipIf(chromiumMissing)('values in Chromium: normal bands, click-to-trend, offline devices', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const project = readDemoProject();
  const pressure = 'SS01.SEC.P_RET';
  const plc = project.devices.find((d) => d.protocol === 'modbus-tcp')!.name;
  const pressureOnPlc = project.tags.find((t) => t.name === pressure)!.device === plc;

  const value = (tag: string) => page.locator(`.mimic [data-tag="${tag}"]`).first();

  /**
   * Quality and zone markers that overlap another mimic value (its label, number or markers),
   * as "marker of A ↔ B". Values that overlap each other without any marker are the screen's
   * layout, reported apart.
   */
  const overlaps = () =>
    page.evaluate(() => {
      type Box = { left: number; right: number; top: number; bottom: number };
      const hit = (a: Box, b: Box) =>
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
      const values = [...document.querySelectorAll<HTMLElement>('.mimic .mimic-value > .live')].map((live) => ({
        tag: live.querySelector('[data-tag]')?.getAttribute('data-tag') ?? '?',
        parts: [...live.children]
          .filter((c) => !c.matches('.live-pop, .qmark, .zmark'))
          .map((c) => c.getBoundingClientRect() as Box),
        markers: [...live.children]
          .filter((c) => c.matches('.qmark, .zmark'))
          .map((c) => c.getBoundingClientRect() as Box),
      }));
      const markers: string[] = [];
      const layout: string[] = [];
      for (const a of values)
        for (const b of values) {
          if (a === b) continue;
          const drawnOver = a.parts.some((p) => b.parts.some((q) => hit(p, q)));
          if (drawnOver) {
            if (a.tag < b.tag) layout.push(`${a.tag} ↔ ${b.tag}`);
          } else if (a.markers.some((m) => [...b.parts, ...b.markers].some((p) => hit(m, p))))
            markers.push(`marker of ${a.tag} ↔ ${b.tag}`);
        }
      return { markers, layout };
    });
  const markerOverlaps = async () => {
    const { markers, layout } = await overlaps();
    if (layout.length > 0)
      console.warn(`overview layout: values drawn over each other (not markers): ${layout.join(', ')}`);
    return markers;
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    station = await startStationFixture('e2e-values', { simArgs: ['--speed', '30'] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    await page.getByTestId('demo-signin-demo-viewer').click();
    await page.getByTestId('nav-overview').click();
    await page.waitForSelector(`.mimic [data-tag="${pressure}"][data-quality="Good"]`, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('shows the return pressure inside its normal band while the plant is healthy, with all devices online', async () => {
    await page.waitForSelector(`.mimic [data-tag="${pressure}"][data-zone="normal"]`, { timeout: 20_000 });
    await expect(page.getByTestId('devices-status').getAttribute('data-offline')).resolves.toBe('0');
  });

  it('values follow the plant in the same elements, and every copy of a tag on the screen shows the same number', async () => {
    // Mark the elements: a value that re-rendered into a new element would lose the mark.
    await page.evaluate(() =>
      document.querySelectorAll('.mimic [data-tag]').forEach((el) => ((el as HTMLElement).dataset.seen = '1')),
    );
    const sample = () =>
      page.evaluate(() => {
        const byTag = new Map<string, string[]>();
        for (const el of document.querySelectorAll<HTMLElement>('.mimic [data-tag][data-quality="Good"]'))
          byTag.set(el.dataset.tag!, [...(byTag.get(el.dataset.tag!) ?? []), el.textContent ?? '']);
        return {
          texts: Object.fromEntries(byTag),
          unmarked: document.querySelectorAll('.mimic [data-tag]:not([data-seen])').length,
        };
      });
    const seen: Record<string, Set<string>> = {};
    for (let i = 0; i < 8; i++) {
      const { texts, unmarked } = await sample();
      expect(unmarked).toBe(0);
      for (const [tag, copies] of Object.entries(texts)) {
        expect(new Set(copies).size, `${tag}: ${copies.join(' | ')}`).toBe(1);
        (seen[tag] ??= new Set()).add(copies[0]!);
      }
      await page.waitForTimeout(1000);
    }
    // At 30× the plant's analog values move every second: most show several numbers.
    const moving = Object.values(seen).filter((s) => s.size >= 3).length;
    expect(moving).toBeGreaterThan(Object.keys(seen).length / 3);
  });

  it('marks the return pressure below its normal band when the secondary side leaks', async () => {
    station.sim.send('fault secondary-leak 1');
    await page.waitForSelector(
      `.mimic [data-tag="${pressure}"][data-zone="low"], .mimic [data-tag="${pressure}"][data-zone="ll"]`,
      { timeout: 90_000 },
    );
    const live = page.locator(`.mimic .live:has([data-tag="${pressure}"])`).first();
    await expect(live.getAttribute('class')).resolves.toMatch(/v-abnormal/);
    // Shape and text, not colour alone: the arrow is there.
    await expect(live.locator('[data-zone-marker]').innerText()).resolves.toContain('▼');
    // The value's box does not run into its neighbour's.
    const box = await live.boundingBox();
    expect(box).not.toBeNull();
    // The pressure-maintenance bar says the same, and the last hour is drawn beside it.
    const bar = page.locator(`[data-testid="analog-bar"][data-tag-bar="${pressure}"]`);
    if ((await bar.count()) > 0) {
      await expect(bar.first().getAttribute('data-zone')).resolves.toMatch(/^(low|ll)$/);
      await expect(bar.first().getAttribute('data-band-source')).resolves.toBe('project');
      await page.waitForSelector(
        `[data-testid="value-sparkline"][data-tag-spark="${pressure}"][data-loaded="true"]:not([data-points="0"])`,
        { timeout: 20_000 },
      );
    }
    await page.screenshot({ path: `${shots}values-overview-leak-1920x1080.png` });
    expect(await markerOverlaps()).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${shots}values-overview-leak-1366x768.png` });
    expect(await markerOverlaps()).toEqual([]);
    await page.setViewportSize({ width: 1920, height: 1080 });
    station.sim.send('clear');
  });

  it('opens the trend of a value on click, and on Enter', async () => {
    await value(pressure).click();
    await page.waitForFunction((tag) => decodeURIComponent(location.hash) === `#/trends?tags=${tag}`, pressure, {
      timeout: 10_000,
    });
    await page.waitForSelector('[data-testid="trend-plot"]', { timeout: 20_000 });
    await page.waitForFunction(
      (tag) => (document.querySelector('[data-testid="trend-legend"]')?.textContent ?? '').includes(tag),
      pressure,
      { timeout: 20_000 },
    );
    await page.getByTestId('nav-overview').click();
    const other = 'SS01.HX.T_SEC_SUP';
    await value(other).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((tag) => decodeURIComponent(location.hash) === `#/trends?tags=${tag}`, other, {
      timeout: 10_000,
    });
    await page.getByTestId('nav-overview').click();
    await page.waitForSelector(`.mimic [data-tag="${pressure}"]`);
  });

  it('names the stopped PLC in the header, and its values stay Bad after 10 s with the reason on focus', async () => {
    station.sim.send('modbus stop');
    await page.waitForSelector(`[data-testid="devices-status"][data-offline]:not([data-offline="0"])`, {
      timeout: 30_000,
    });
    const status = page.getByTestId('devices-status');
    await expect(status.getAttribute('data-devices')).resolves.toContain(plc);
    await expect(status.innerText()).resolves.toContain(plc);
    await expect(status.getAttribute('href')).resolves.toBe('#/devices');
    // The alarm colour (from the theme's custom property), not the header's grey.
    const [shown, alarm] = await status.evaluate((el) => {
      const probe = document.createElement('div');
      probe.style.background = 'var(--alarm)';
      document.body.append(probe);
      const colour = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return [getComputedStyle(el).backgroundColor, colour];
    });
    expect(shown).toBe(alarm);
    await expect(status.locator('svg').count()).resolves.toBe(1);
    if (pressureOnPlc) {
      await page.waitForSelector(`.mimic [data-tag="${pressure}"][data-quality="Bad"]`, { timeout: 20_000 });
      await page.waitForTimeout(10_000);
      await expect(value(pressure).getAttribute('data-quality')).resolves.toBe('Bad');
      const live = page.locator(`.mimic .live:has([data-tag="${pressure}"])`).first();
      await expect(live.getAttribute('class')).resolves.toMatch(/q-bad/);
      await value(pressure).focus();
      await expect(live.locator('[role="tooltip"]').innerText()).resolves.toMatch(/BAD: /);
      await page.screenshot({ path: `${shots}values-overview-plc-offline-1920x1080.png` });
      await page.locator('body').click({ position: { x: 5, y: 300 } });
      // Quality markers never overlap their neighbours, at either size.
      expect(await markerOverlaps()).toEqual([]);
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}values-overview-plc-offline-1366x768.png` });
      expect(await markerOverlaps()).toEqual([]);
      await page.setViewportSize({ width: 1920, height: 1080 });
    }
    await status.click();
    await page.waitForFunction(() => location.hash === '#/devices');
    station.sim.send('modbus start');
    await page.waitForSelector('[data-testid="devices-status"][data-offline="0"]', { timeout: 60_000 });
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
