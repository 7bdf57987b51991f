/// <reference lib="dom" />
/**
 * End to end: the display hierarchy on a plant of three substations (the simulator in its own
 * process with --substations 3, `serve` with the demo project generated for three). The
 * level-1 overview shows a tile per substation; Plant → SS02 → Pump 1 → back and forward by
 * keyboard alone, with the breadcrumbs right and focus on the heading after each change; the
 * screen tree by arrows; a leak in SS02 marks its tile abnormal (and only its tile) before its
 * alarms come; an alarm of SS02 jumps to SS02's screen. Screenshots of levels 1–3 at
 * 1920×1080 and 1366×768 under test/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const shots = new URL('./screenshots/', import.meta.url).pathname;
const shot = (name: string) => join(shots, `hierarchy-${name}.png`);

describe.skipIf(chromiumMissing)('display hierarchy with three substations (Chromium)', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const crumbs = () => page.locator('[data-testid="breadcrumb"]').allInnerTexts();
  const focusedTestId = () =>
    page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
  /** After a change of display: the hash, the breadcrumbs, and focus on the heading. */
  const landed = async (hash: string, expected: string[]) => {
    // The first display after sign-in has no hash of its own: it is the plant overview.
    await page.waitForFunction(
      (h) => window.location.hash === h || (h === '#/screen/plant' && window.location.hash === ''),
      hash,
      { timeout: 10_000 },
    );
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('[data-testid="breadcrumb"]')].map((e) => e.textContent).join('›') === n,
      expected.join('›'),
      { timeout: 10_000 },
    );
    expect(await crumbs()).toEqual(expected);
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'screen-heading',
      undefined,
      { timeout: 5_000 },
    );
  };
  /** Tab (keyboard only) until the focused element matches, at most `max` presses. */
  const tabTo = async (selector: string, max = 60) => {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector} (focus on ${await focusedTestId()})`);
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    station = await startStationFixture('e2e-hierarchy', {
      simArgs: ['--substations', '3', '--speed', '10'],
      startTimeoutMs: 150_000,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    await page.getByTestId('demo-signin-demo-operator').click();
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('opens on the level-1 plant overview with a tile per substation, each calm and communicating', async () => {
    await page.waitForSelector('[data-testid="plant-overview"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="overview-tile"]').count()).toBe(3);
    expect(
      await page
        .locator('[data-testid="overview-tile"]')
        .evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-area'))),
    ).toEqual(['SS01', 'SS02', 'SS03']);
    // Live values on every tile, and every device answering.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="overview-tile"] [data-tag][data-quality]')].every(
          (e) => e.getAttribute('data-quality') === 'Good',
        ),
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="overview-tile"]')].every(
          (t) => t.getAttribute('data-comm') === 'ok',
        ),
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.locator('[data-testid="overview-tile"][data-abnormal="true"]').count()).toBe(0);
    expect(await page.locator('[data-testid="overview-tile"] [data-testid="tile-figure"]').count()).toBe(12);
    expect(await crumbs()).toEqual(['Plant']);
    // Tabs: the overview and the three substations (the equipment is in the tree and one level down).
    for (const id of ['nav-overview', 'nav-ss01', 'nav-ss02', 'nav-ss03'])
      expect(await page.getByTestId(id).count()).toBe(1);
    expect(await page.getByTestId('nav-ss02-pump-1').count()).toBe(0);
  });

  it('goes Plant → SS02 → Pump 1 → back → forward → back by keyboard alone, breadcrumbs right, focus on the heading', async () => {
    await page.getByTestId('screen-heading').focus();
    await tabTo('a[href="#/screen/ss02"]');
    await page.keyboard.press('Enter');
    await landed('#/screen/ss02', ['Plant', 'SS02']);
    expect(await page.getByTestId('screen-heading').innerText()).toContain('SS02');
    await tabTo('a[href="#/screen/ss02-pump-1"]');
    await page.keyboard.press('Enter');
    await landed('#/screen/ss02-pump-1', ['Plant', 'SS02', 'Pump 1']);
    expect(await page.locator('[data-symbol="pump"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-tag="SS02.P1.VIB"]').count()).toBeGreaterThan(0);
    await page.keyboard.press('Alt+ArrowLeft');
    await landed('#/screen/ss02', ['Plant', 'SS02']);
    await page.keyboard.press('Alt+ArrowRight');
    await landed('#/screen/ss02-pump-1', ['Plant', 'SS02', 'Pump 1']);
    await page.keyboard.press('Alt+ArrowLeft');
    await landed('#/screen/ss02', ['Plant', 'SS02']);
    expect(await page.getByTestId('nav-forward').isEnabled()).toBe(true);
    await page.keyboard.press('Alt+ArrowLeft');
    await landed('#/screen/plant', ['Plant']);
  });

  it('walks the screen tree with the arrow keys and opens a screen with Enter', async () => {
    await tabTo('[role="treeitem"][tabindex="0"]');
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe('screen:plant');
    await page.keyboard.press('ArrowDown'); // SS01
    await page.keyboard.press('ArrowDown'); // SS02
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe('screen:ss02');
    // SS02 was opened in the tree when Pump 1 was shown: close it, then open it again.
    if ((await page.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))) === 'true') {
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-expanded') === 'false');
      expect(await page.locator('[data-key="screen:ss02-pump-1"]').count()).toBe(0);
    }
    await page.keyboard.press('ArrowRight'); // open SS02
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-expanded') === 'true');
    await page.keyboard.press('ArrowRight'); // to its first child
    await page.keyboard.press('ArrowDown'); // Pump 2
    await page.keyboard.press('ArrowDown'); // Heat exchanger
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe('screen:ss02-hx');
    await page.keyboard.press('Enter');
    await landed('#/screen/ss02-hx', ['Plant', 'SS02', 'Heat exchanger']);
    expect(await page.locator('[data-testid="tree-node"][aria-current="page"]').getAttribute('data-key')).toBe(
      'screen:ss02-hx',
    );
  });

  it('screenshots levels 1–3 at 1920×1080 and 1366×768', async () => {
    for (const [w, h] of [
      [1920, 1080],
      [1366, 768],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      for (const [name, hash] of [
        ['l1-plant', '#/screen/plant'],
        ['l2-ss02', '#/screen/ss02'],
        ['l3-pump-1', '#/screen/ss02-pump-1'],
        ['l3-hx', '#/screen/ss02-hx'],
        ['l3-loop', '#/screen/ss02-loop'],
        ['l4-devices', '#/devices'],
      ] as const) {
        await page.evaluate((x) => (window.location.hash = x), hash);
        await page.waitForSelector('[data-testid="screen-heading"]');
        await page.waitForTimeout(500);
        await page.screenshot({ path: shot(`${name}-${w}x${h}`) });
      }
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.evaluate(() => (window.location.hash = '#/screen/plant'));
    await page.waitForSelector('[data-testid="plant-overview"]');
  });

  it("in the tags table of three substations a quiet row's value is found by keyboard and by click, and wakes", async () => {
    await page.evaluate(() => (window.location.hash = '#/tags'));
    await page.waitForFunction(() => document.querySelectorAll('tr.tag-row').length >= 300, undefined, {
      timeout: 30_000,
    });
    await page.waitForSelector('tr.tag-row[data-live="false"]', { timeout: 10_000 });
    const rows = page.locator('tr.tag-row');
    const last = rows.last();
    const lastTag = (await last.getAttribute('data-row-tag'))!;
    expect(await last.getAttribute('data-live')).toBe('false');
    // Keyboard: first row, End, → to its value: focus is on the (now live) value of that row.
    await rows.first().focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      (tag) => {
        const a = document.activeElement;
        return a?.getAttribute('data-tag') === tag && a.closest('tr')?.getAttribute('data-live') === null;
      },
      lastTag,
      { timeout: 5_000 },
    );
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.location.hash.startsWith('#/trend'), undefined, { timeout: 5_000 });
    expect(decodeURIComponent(await page.evaluate(() => window.location.hash))).toContain(lastTag);
    // Click: a row far down, clicked by its value as a test (or an operator after scrolling) would.
    await page.evaluate(() => (window.location.hash = '#/tags'));
    await page.waitForFunction(() => document.querySelectorAll('tr.tag-row').length >= 300, undefined, {
      timeout: 30_000,
    });
    const far = page.locator('tr.tag-row[data-live="false"]').nth(50);
    const farTag = (await far.getAttribute('data-row-tag'))!;
    await page.locator(`[data-row-tag="${farTag}"] .value-cell [data-tag="${farTag}"]`).click();
    await page.waitForFunction(() => window.location.hash.startsWith('#/trend'), undefined, { timeout: 5_000 });
    expect(decodeURIComponent(await page.evaluate(() => window.location.hash))).toContain(farTag);
    await page.evaluate(() => (window.location.hash = '#/screen/plant'));
    await page.waitForSelector('[data-testid="plant-overview"]');
  });

  it('marks SS02 abnormal when a leak drains it — only SS02, with the reason — and its alarm jumps to SS02', async () => {
    station.sim.send('fault secondary-leak 1 2');
    const ss02 = page.locator('[data-testid="overview-tile"][data-area="SS02"]');
    await page.waitForSelector('[data-testid="overview-tile"][data-area="SS02"][data-abnormal="true"]', {
      timeout: 90_000,
    });
    // Which figure says so: the return pressure or the tank level, out of band or falling fast.
    const marked = await ss02
      .locator('[data-testid="tile-figure"]:is([data-zone="low"],[data-falling="true"])')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tag')));
    expect(marked.some((t) => t === 'SS02.SEC.P_RET' || t === 'SS02.EXP.LEVEL')).toBe(true);
    expect(await ss02.getByTestId('tile-reason').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="overview-tile"][data-area="SS01"]').getAttribute('data-abnormal')).toBe(
      'false',
    );
    expect(await page.locator('[data-testid="overview-tile"][data-area="SS03"]').getAttribute('data-abnormal')).toBe(
      'false',
    );
    await page.screenshot({ path: shot('l1-leak-1920x1080') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: shot('l1-leak-1366x768') });
    await page.setViewportSize({ width: 1920, height: 1080 });

    // The tank empties: its alarm comes, counted on SS02's tile, and leads to SS02's process screen.
    await page.getByTestId('nav-alarms').click();
    const row = page
      .locator(
        '[data-testid="alarm-row"]:is([data-tag="SS02.EXP.LEVEL"],[data-tag="SS02.SEC.P_RET"],[data-tag="SS02.MU.TOTAL"])',
      )
      .first();
    await row.waitFor({ timeout: 150_000 });
    const tag = (await row.getAttribute('data-tag'))!;
    await page.keyboard.press('Alt+ArrowLeft');
    await landed('#/screen/plant', ['Plant']);
    await page.waitForSelector('[data-testid="overview-tile"][data-area="SS02"][data-state="alarm"]', {
      timeout: 10_000,
    });
    expect(Number(await ss02.getByTestId('tile-alarms').getAttribute('data-total'))).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="overview-tile"][data-area="SS03"]').getAttribute('data-abnormal')).toBe(
      'false',
    );
    await page.screenshot({ path: shot('l1-leak-alarm-1920x1080') });
    await page.keyboard.press('Alt+ArrowRight');
    await page.locator(`[data-testid="alarm-row"][data-tag="${tag}"]`).first().click();
    await page.getByTestId('alarm-goto-screen').click();
    await landed('#/screen/ss02', ['Plant', 'SS02']);
    expect(await page.locator(`[data-tag="${tag}"]`).count()).toBeGreaterThan(0);
    await page.screenshot({ path: shot('l2-leak-1920x1080') });
  }, 300_000);

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
