/// <reference lib="dom" />
/**
 * End to end in Chromium on the unedited demo project, on a station that has just started
 * (`serve` on the simulator, each in its own process): screen titles, breadcrumbs and tabs in
 * the operator's language, never one "English / 中文" string; a digital state named in
 * Chinese; audit actions named in the language with their code beneath; the header tabs inside
 * the window at 1366×768; the process screen's sparklines drawn across their width with the
 * lead that has no history yet marked "no data"; then, with the plant's link cut, the reasons in
 * the tags table and the devices panel led by their kind in Chinese, and the mimic's quality
 * badges at 12 px or more without covering another value. Screenshots at 1920×1080 and
 * 1366×768 go to test/e2e/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openSignedIn, screenshotBothSizes } from '../support/console-window.js';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const screenshots = join(import.meta.dirname, 'screenshots');
mkdirSync(screenshots, { recursive: true });

const HAN = /[\u4e00-\u9fff]/;

describe.skipIf(chromiumMissing)('operator screens: languages, sizes, sparklines (Chromium)', () => {
  let station: StationFixture;
  let browser: Browser;
  const pageErrors: string[] = [];

  const signedIn = (user: string, lang: 'en' | 'zh') => openSignedIn(browser, station, user, lang, pageErrors);

  const goto = async (page: Page, hash: string) => {
    await page.evaluate((h) => (window.location.hash = h), hash);
    await page.waitForFunction((h) => window.location.hash === h, hash);
  };

  const bothSizes = (page: Page, name: string) => screenshotBothSizes(page, screenshots, `operator-${name}`);

  beforeAll(async () => {
    station = await startStationFixture('e2e-operator-screens');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it(
    "shows titles, breadcrumbs, tabs and state names in the operator's language, and the tabs fit at 1366×768",
    { timeout: 120_000 },
    async () => {
      for (const lang of ['zh', 'en'] as const) {
        const { context, page } = await signedIn('demo-admin', lang);
        await goto(page, '#/screen/overview');
        const heading = page.getByTestId('screen-heading');
        await expect.poll(() => heading.innerText(), { timeout: 20_000 }).not.toBe('overview');
        const title = await heading.innerText();
        expect(title).toBe(lang === 'zh' ? '换热站 SS01 工艺流程' : 'Substation SS01 — process');
        const crumbs = await page.getByTestId('breadcrumb').allInnerTexts();
        expect(crumbs).toEqual(lang === 'zh' ? ['全厂', 'SS01'] : ['Plant', 'SS01']);
        const tabs = await page.locator('nav.nav a').allInnerTexts();
        expect(tabs.filter((t) => / \/ /.test(t))).toEqual([]);
        // A digital state the project names in both languages reads in the operator's.
        const noFlow = page.locator('.mimic [data-tag="SS01.ALM.NO_FLOW"]').first();
        await expect.poll(() => noFlow.getAttribute('data-quality'), { timeout: 30_000 }).toMatch(/^(Good|Uncertain)$/);
        expect(['Normal', 'Alarm', '正常', '报警']).toContain((await noFlow.innerText()).trim());
        expect(HAN.test(await noFlow.innerText())).toBe(lang === 'zh');
        // An administrator has the most tabs: at 1366×768 every one is inside the window.
        await page.setViewportSize({ width: 1366, height: 768 });
        const outside = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('nav.nav a')]
            .filter((a) => a.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map((a) => a.innerText),
        );
        expect(outside).toEqual([]);
        await page.setViewportSize({ width: 1920, height: 1080 });
        await context.close();
      }
    },
  );

  it(
    'names audit actions in the language with their code beneath and in the row’s hook',
    { timeout: 90_000 },
    async () => {
      const { context, page } = await signedIn('demo-admin', 'zh');
      await goto(page, '#/audit');
      const login = page.locator('[data-testid="audit-row"][data-action="login"]').first();
      await login.waitFor({ timeout: 20_000 });
      const cell = login.locator('.audit-action');
      expect(await cell.locator('.audit-code').innerText()).toBe('login');
      expect(await cell.getAttribute('title')).toBe('login');
      expect(await cell.innerText()).toMatch(/^登录\s+login$/);
      const options = await page.getByTestId('audit-filter-action').locator('option').allInnerTexts();
      expect(options).toContain('写入数值 (tag.write)');
      await bothSizes(page, 'audit-zh');
      await context.close();
    },
  );

  it(
    'draws a fresh station’s sparklines across their width with the lead that has no history marked',
    { timeout: 90_000 },
    async () => {
      const { context, page } = await signedIn('demo-operator', 'en');
      await goto(page, '#/screen/overview');
      const spark = page.locator('[data-testid="value-sparkline"][data-tag-spark="SS01.SEC.P_RET"]');
      await spark.waitFor({ timeout: 20_000 });
      // The station started a minute or two ago: most of the 30-minute window has nothing stored.
      await expect
        .poll(async () => Number(await spark.getAttribute('data-points')), { timeout: 30_000 })
        .toBeGreaterThan(2);
      expect(Number(await spark.getAttribute('data-nodata-ms'))).toBeGreaterThan(20 * 60_000);
      await spark.getByTestId('value-sparkline-nodata').waitFor();
      const share = await spark.evaluate((g) => {
        const frame = g.querySelector('.vspark-frame')!.getBoundingClientRect();
        const line = g.querySelector('.vspark-line')!.getBoundingClientRect();
        const strip = g.querySelector('.vspark-nodata-area')!.getBoundingClientRect();
        return { line: line.width / frame.width, strip: strip.width / frame.width };
      });
      // The stored minutes span most of the width, not a stub at its right edge.
      expect(share.line).toBeGreaterThan(0.6);
      expect(share.strip).toBeGreaterThan(0.15);
      expect(share.strip).toBeLessThanOrEqual(0.26);
      await bothSizes(page, 'sparklines-fresh-en');

      // The plant overview's hour sparklines the same way: the lead a marked strip, the stored span across the rest.
      await goto(page, '#/screen/plant');
      const tileSpark = page.locator('[data-testid="overview-tile"] [data-testid="sparkline"]').first();
      await tileSpark.waitFor({ timeout: 20_000 });
      await expect
        .poll(async () => Number(await tileSpark.getAttribute('data-points')), { timeout: 30_000 })
        .toBeGreaterThan(0);
      expect(Number(await tileSpark.getAttribute('data-nodata-ms'))).toBeGreaterThan(40 * 60_000);
      const tileShare = await tileSpark.evaluate((svg) => {
        const frame = svg.getBoundingClientRect();
        const lead = svg.querySelector('[data-testid="sparkline-lead"]')!.getBoundingClientRect();
        const line = svg.querySelector('.sparkline-line')!.getBoundingClientRect();
        return { lead: lead.width / frame.width, lineStart: (line.left - frame.left) / frame.width };
      });
      expect(tileShare.lead).toBeGreaterThan(0.15);
      expect(tileShare.lead).toBeLessThanOrEqual(0.26);
      // The line starts right after the strip, not at the right edge of an empty box.
      expect(tileShare.lineStart).toBeLessThan(0.4);
      await bothSizes(page, 'sparklines-fresh-overview-en');
      await context.close();
    },
  );

  it(
    'with the plant’s link cut, reasons lead with their kind in Chinese and the mimic’s quality badges read at 12 px without covering a value',
    { timeout: 150_000 },
    async () => {
      const { context, page } = await signedIn('demo-admin', 'zh');
      await goto(page, '#/screen/overview');
      await page.waitForSelector('.mimic [data-tag="SS01.HX.T_PRI_SUP"][data-quality="Good"]', { timeout: 30_000 });
      await station.sim.stop();
      await page.waitForSelector('.mimic [data-tag="SS01.HX.T_PRI_SUP"][data-quality="Bad"]', { timeout: 60_000 });
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.waitForTimeout(500);
      const badges = await page.evaluate(() => {
        const values = [...document.querySelectorAll<HTMLElement>('.mimic .live-value')].map((v) =>
          v.getBoundingClientRect(),
        );
        return [...document.querySelectorAll<HTMLElement>('.mimic .qmark, .mimic .zmark')].map((m) => {
          const box = m.getBoundingClientRect();
          // Rendered size: the CSS size times the mimic's scale (layout height against drawn height).
          const px = parseFloat(getComputedStyle(m).fontSize) * (box.height / Math.max(1, m.offsetHeight));
          const own = m.parentElement?.querySelector(':scope > .live-value')?.getBoundingClientRect();
          const covers = values.filter(
            (v) =>
              v !== own &&
              !(own && v.x === own.x && v.y === own.y) &&
              box.left < v.right - 1 &&
              box.right > v.left + 1 &&
              box.top < v.bottom - 1 &&
              box.bottom > v.top + 1,
          ).length;
          return { tag: m.parentElement?.getAttribute('data-tag') ?? '', px: Math.round(px * 10) / 10, covers };
        });
      });
      expect(badges.length).toBeGreaterThan(10);
      expect(badges.filter((b) => b.px < 11.95)).toEqual([]);
      expect(badges.filter((b) => b.covers > 0)).toEqual([]);
      await page.setViewportSize({ width: 1920, height: 1080 });
      await bothSizes(page, 'link-cut-process-zh');

      await goto(page, '#/tags');
      const reason = page.locator('[data-row-tag="SS01.HX.T_PRI_SUP"] .reason');
      await reason.waitFor({ timeout: 20_000 });
      expect(await reason.innerText()).toMatch(/^通讯故障（.+）$/);
      await bothSizes(page, 'link-cut-tags-zh');

      await goto(page, '#/devices');
      const error = page.locator('[data-device="SS01-PLC"] .device-error');
      await expect.poll(() => error.innerText(), { timeout: 30_000 }).toMatch(/^通讯故障（.+）$/);
      expect(await page.locator('[data-device="SS01-PLC"] .since').innerText()).toMatch(/秒|分钟/);
      await bothSizes(page, 'link-cut-devices-zh');
      await context.close();
      expect(pageErrors.filter((e) => !/WebSocket|Failed to load resource/.test(e))).toEqual([]);
    },
  );
});
