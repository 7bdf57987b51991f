/// <reference lib="dom" />
/**
 * End to end in Chromium on the unedited demo project (`serve` on the simulator, each in its
 * own process): the supply-temperature controller block on the process screen opens the
 * controller faceplate by click and by Enter (Escape closes it, focus returns to the block);
 * the imported SVG screen is in the screen tree and its values are live; a station refusal
 * reads in Chinese with the station's own detail kept; the process screen's labels follow the
 * language. Screenshots at 1920×1080 and 1366×768 in both languages go to test/e2e/screenshots/.
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

describe.skipIf(chromiumMissing)(
  'console finishing: controller symbol, SVG screen, translated refusals (Chromium)',
  () => {
    let station: StationFixture;
    let browser: Browser;
    const pageErrors: string[] = [];

    const signedIn = (user: string, lang: 'en' | 'zh') => openSignedIn(browser, station, user, lang, pageErrors);

    const bothSizes = (page: Page, name: string) => screenshotBothSizes(page, screenshots, `finishing-${name}`);

    beforeAll(async () => {
      station = await startStationFixture('e2e-finishing');
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await station?.stop();
    });

    it(
      'the controller block on the process screen shows PV, SP, output and mode, and opens the controller faceplate by click and by Enter',
      { timeout: 90_000 },
      async () => {
        const { context, page } = await signedIn('demo-operator', 'en');
        await page.evaluate(() => (window.location.hash = '#/screen/overview'));
        const block = page.locator('[data-symbol="controller"]');
        await block.waitFor({ timeout: 20_000 });
        expect(await block.getAttribute('data-equipment')).toBe('SS01.HC');
        await page.waitForSelector('[data-symbol="controller"] [data-ctl-role="pv"][data-quality="Good"]', {
          timeout: 30_000,
        });
        expect(await block.locator('[data-ctl-role="pv"]').innerText()).toMatch(/^\d+\.\d °C$/);
        expect(await block.locator('[data-ctl-role="sp"]').innerText()).toMatch(/^\d+\.\d °C$/);
        expect(await block.locator('[data-ctl-role="out"]').innerText()).toMatch(/^\d+(\.\d+)? %$/);
        await expect.poll(() => block.getAttribute('data-state'), { timeout: 20_000 }).toBe('auto');
        expect(await block.locator('.state-badge-text').textContent()).toBe('AUTO');
        await bothSizes(page, 'process-en');

        const faceplate = page.getByTestId('equipment-faceplate');
        await block.locator('.ctl-body').click();
        await faceplate.waitFor();
        expect(await faceplate.locator('.fp-root').getAttribute('data-kind')).toBe('controller');
        expect(await faceplate.locator('.fp-root').getAttribute('data-equipment')).toBe('SS01.HC');
        await page.waitForSelector('[data-testid="equipment-faceplate"] [data-testid="fp-mode"][data-mode="auto"]', {
          timeout: 15_000,
        });
        await bothSizes(page, 'controller-faceplate-en');
        await page.keyboard.press('Escape');
        await faceplate.waitFor({ state: 'detached' });
        // Focus is back on the block: Enter opens the faceplate again, from the keyboard alone.
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-symbol') ?? null))
          .toBe('controller');
        await page.keyboard.press('Enter');
        await faceplate.waitFor();
        expect(await faceplate.locator('.fp-root').getAttribute('data-kind')).toBe('controller');
        await page.keyboard.press('Escape');
        await context.close();
      },
    );

    it(
      'the SVG screen drawn in an editor is in the screen tree and live, out of the box',
      { timeout: 90_000 },
      async () => {
        const { context, page } = await signedIn('demo-operator', 'en');
        await page.getByTestId('screen-heading').waitFor({ timeout: 20_000 });
        // The tree's default (shown when the project has more than six screens) settles once the
        // project's screens have arrived, so a toggle clicked too early can hide it again: retry.
        const tree = page.getByTestId('screen-tree');
        await expect
          .poll(
            async () => {
              if (await tree.isVisible()) return true;
              await page.getByTestId('tree-toggle').click();
              return tree.isVisible();
            },
            { timeout: 15_000, interval: 500 },
          )
          .toBe(true);
        // Below the substation in the tree: open SS01's branch, then the sketch.
        const substation = page.locator('[data-testid="tree-node"][data-key="screen:overview"]');
        await substation.waitFor({ timeout: 10_000 });
        if ((await substation.getAttribute('aria-expanded')) !== 'true')
          await substation.locator('.tree-row .tree-toggle').first().click();
        const node = page.locator('[data-testid="tree-node"][data-key="screen:sketch"]');
        await node.waitFor({ timeout: 10_000 });
        expect(await node.innerText()).toContain('Sketch (SVG)');
        await node.locator('.tree-row').first().click();
        await page.waitForSelector('[data-screen-kind="svg"] [data-svg-screen="sketch"]', { timeout: 15_000 });
        await page.waitForFunction(
          () =>
            document
              .querySelector('[data-svg-screen="sketch"] tspan[data-tag="SS01.HX.T_SEC_SUP"]')
              ?.getAttribute('data-quality') === 'Good',
          null,
          { timeout: 30_000 },
        );
        expect(
          await page.locator('[data-svg-screen="sketch"] tspan[data-tag="SS01.HX.T_SEC_SUP"]').textContent(),
        ).toMatch(/^\d+(\.\d+)? °C$/);
        expect(await page.getByTestId('screen-heading').innerText()).toContain('sketch');
        // Level 3 below the substation: the breadcrumbs say where it is, and the process screen lists it among the screens below.
        expect(await page.getByTestId('breadcrumbs').innerText()).toMatch(/Plant[\s\S]*SS01[\s\S]*Sketch \(SVG\)/);
        await page.evaluate(() => (window.location.hash = '#/screen/overview'));
        await page.locator('[data-testid="child-link"][data-key="screen:sketch"]').waitFor({ timeout: 10_000 });
        await page.evaluate(() => (window.location.hash = '#/screen/sketch'));
        await page.waitForSelector('[data-svg-screen="sketch"]', { timeout: 10_000 });
        await bothSizes(page, 'sketch-en');
        await context.close();
      },
    );

    it(
      'in Chinese the process screen reads in Chinese, and a refusal names its code in Chinese with the station’s detail kept',
      { timeout: 90_000 },
      async () => {
        const operator = await signedIn('demo-operator', 'zh');
        const page = operator.page;
        await page.evaluate(() => (window.location.hash = '#/screen/overview'));
        const block = page.locator('[data-symbol="controller"]');
        await block.waitFor({ timeout: 20_000 });
        await expect.poll(() => block.getAttribute('data-state'), { timeout: 20_000 }).toBe('auto');
        expect(await block.locator('.state-badge-text').textContent()).toBe('自动');
        expect(await block.locator('.ctl-label').textContent()).toBe('供水温度控制');
        expect(await page.locator('[data-symbol="tank"]').textContent()).toContain('膨胀罐');
        expect(await page.locator('[data-symbol="nav-button"][data-screen-ref="loop"]').textContent()).toContain(
          '温控回路',
        );
        await bothSizes(page, 'process-zh');
        await operator.context.close();

        const admin = await signedIn('demo-admin', 'zh');
        await admin.page.evaluate(() => (window.location.hash = '#/admin'));
        const create = async () => {
          await admin.page.getByTestId('user-create-name').fill('shift-b');
          await admin.page.getByTestId('user-create-password').fill('Night-Shift-Kettle-47');
          await admin.page.getByTestId('user-create-repeat').fill('Night-Shift-Kettle-47');
          await admin.page.getByTestId('user-create-submit').click();
        };
        await create();
        await expect
          .poll(() => admin.page.getByTestId('user-create-note').innerText(), { timeout: 10_000 })
          .toContain('shift-b');
        // The same name again: the station refuses; the console says what kind of refusal in Chinese and keeps the station's words.
        await create();
        await expect
          .poll(() => admin.page.getByTestId('user-create-note').getAttribute('role'), { timeout: 10_000 })
          .toBe('alert');
        const refusal = await admin.page.getByTestId('user-create-note').innerText();
        expect(refusal).toMatch(/请求未被接受（BAD_REQUEST）：a user named shift-b/);
        await bothSizes(admin.page, 'refusal-zh');
        await admin.context.close();
        expect(pageErrors).toEqual([]);
      },
    );
  },
);
