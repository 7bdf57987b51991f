/// <reference lib="dom" />
/**
 * End to end, faceplates: `serve` on the simulator in its own process, the console in
 * Chromium, signed in as the demo operator. From the control-loop screen the operator opens
 * the valve's faceplate by clicking its symbol (and by Enter on the focused symbol; Escape
 * closes and focus returns), goes on to the controller faceplate, changes the heating-curve
 * offset — the setpoint that will result is shown before confirming — and sees the read-back
 * and the live setpoint follow. Then pump 1 trips on vibration (the simulator's bearing fault
 * at full severity): its faceplate shows the trip and its cause; the operator makes pump 2
 * the duty pump and resets pump 1, which stands stopped and ready. Screenshots of every
 * faceplate at 1920×1080 and 1366×768 go to test/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const screenshots = join(import.meta.dirname, 'screenshots');
mkdirSync(screenshots, { recursive: true });
const shot = (name: string) => join(screenshots, `faceplate-${name}.png`);

describe.skipIf(chromiumMissing)('equipment faceplates in the operator console (Chromium)', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const simValue = async (tag: string): Promise<string> => {
    const before = station.sim.output().length;
    station.sim.send(`get ${tag}`);
    const pattern = new RegExp(`${tag.replace(/\./g, '\\.')} = (\\S+)`);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const m = pattern.exec(station.sim.output().slice(before));
      if (m) return m[1]!;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`simulator did not answer get ${tag}`);
  };
  const number = (text: string) => Number(/-?\d+(?:\.\d+)?/.exec(text.replace('−', '-'))?.[0] ?? NaN);
  const faceplate = () => page.getByTestId('equipment-faceplate');
  const kind = async () => faceplate().locator('.fp-root').getAttribute('data-kind');
  const bothSizes = async (name: string) => {
    await page.mouse.move(2, 1075); // no hover tooltip over the faceplate
    await page.screenshot({ path: shot(`${name}-1920`) });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: shot(`${name}-1366`) });
    await page.setViewportSize({ width: 1920, height: 1080 });
  };

  beforeAll(async () => {
    station = await startStationFixture('e2e-faceplates');
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    page = await context.newPage();
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    await page.getByTestId('signin-name').fill('demo-operator');
    await page.getByTestId('signin-password').fill(station.passwords.get('demo-operator')!);
    await page.getByTestId('signin-submit').click();
    await page.waitForSelector('[data-testid="user-name"]:has-text("demo-operator")', { timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it(
    'a click on the valve symbol opens its faceplate; Escape closes it and focus returns to the symbol; Enter opens it again',
    { timeout: 90_000 },
    async () => {
      await page.evaluate(() => (window.location.hash = '#/screen/loop'));
      const valve = page.locator('[data-symbol="valve"]').first();
      await valve.waitFor({ timeout: 20_000 });
      await page.waitForSelector('[data-tag="SS01.CV.POS"][data-quality="Good"]', { timeout: 30_000 });
      await valve.locator('.valve-body').click();
      await faceplate().waitFor();
      expect(await kind()).toBe('valve');
      await page.waitForSelector('[data-testid="fp-valve-pos"][data-fraction]:not([data-fraction=""])', {
        timeout: 10_000,
      });
      await page
        .waitForSelector('[data-testid="fp-trend"]:not([data-points="0"])', { timeout: 20_000 })
        .catch(() => undefined);
      await bothSizes('valve');
      await page.keyboard.press('Escape');
      await faceplate().waitFor({ state: 'detached' });
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-symbol') ?? null))
        .toBe('valve');
      await page.keyboard.press('Enter');
      await faceplate().waitFor();
      expect(await kind()).toBe('valve');
      // Focus stays inside the dialog.
      for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => document.activeElement?.closest('[data-testid="equipment-faceplate"]') !== null),
      ).toBe(true);
    },
  );

  it(
    'the controller faceplate shows PV, SP, output, mode and the heating curve with the current point',
    { timeout: 120_000 },
    async () => {
      await page.getByTestId('fp-open-hc').click();
      await expect.poll(kind).toBe('controller');
      for (const tag of ['SS01.HX.T_SEC_SUP', 'SS01.HC.T_SP', 'SS01.CV.OUT', 'SS01.CV.AUTO', 'SS01.HC.OFFSET']) {
        await page.waitForSelector(`[data-testid="equipment-faceplate"] [data-tag="${tag}"][data-quality="Good"]`, {
          timeout: 15_000,
        });
      }
      await faceplate().getByTestId('fp-curve-marker').waitFor();
      expect(await faceplate().getByTestId('fp-mode').getAttribute('data-mode')).toBe('auto');
      await bothSizes('controller');
    },
  );

  it(
    'changing the offset shows the resulting setpoint before confirming, then the read-back, and the live SP follows',
    { timeout: 120_000 },
    async () => {
      const offsetText = await faceplate().locator('[data-tag="SS01.HC.OFFSET"]').first().innerText();
      const oldOffset = number(offsetText);
      const newOffset = oldOffset <= 6 ? oldOffset + 3 : oldOffset - 3;
      await faceplate().getByTestId('fp-cmd-offset').click();
      await page.getByTestId('faceplate-input').fill(String(newOffset));
      const preview = page.getByTestId('faceplate-preview');
      await expect.poll(async () => preview.getAttribute('data-next')).not.toBe('');
      // Both from one render: the outdoor temperature (and so the setpoint) moves between renders.
      const [now, next] = await preview.evaluate((el) => [
        Number(el.getAttribute('data-now')),
        Number(el.getAttribute('data-next')),
      ]);
      expect(Math.abs(next! - now! - (newOffset - oldOffset))).toBeLessThan(0.015);
      expect(await preview.innerText()).toMatch(/Resulting setpoint at .* outdoor/);
      expect(await preview.getByTestId('fp-curve-proposed').count()).toBe(1);
      await page.screenshot({ path: shot('controller-offset-entry-1920') });
      await page.getByTestId('faceplate-apply').click();
      // Still shown on the confirmation, before anything is written.
      expect(await page.getByTestId('faceplate-change').innerText()).toContain('→');
      // The outdoor temperature moves a little between entry and confirmation.
      expect(
        Math.abs(Number(await page.getByTestId('faceplate-preview').getAttribute('data-next')) - next!),
      ).toBeLessThan(0.3);
      expect(number(await simValue('SS01.HC.OFFSET'))).toBeCloseTo(oldOffset, 1);
      await bothSizes('controller-offset-confirm');
      await page.getByTestId('faceplate-confirm').click();
      const result = page.getByTestId('faceplate-result');
      await result.waitFor({ timeout: 15_000 });
      expect(await result.getAttribute('data-result')).toBe('confirmed');
      expect(await result.innerText()).toContain(`reads back ${newOffset.toFixed(1)} K`);
      expect(number(await simValue('SS01.HC.OFFSET'))).toBeCloseTo(newOffset, 1);
      const follow = page.getByTestId('faceplate-live-sp');
      await page.waitForSelector('[data-testid="faceplate-live-sp"][data-followed="true"]', { timeout: 15_000 });
      const liveSp = number(await follow.locator('[data-tag="SS01.HC.T_SP"]').innerText());
      expect(Math.abs(liveSp - next!)).toBeLessThan(0.5);
      expect(Math.abs(number(await simValue('SS01.HC.T_SP')) - next!)).toBeLessThan(0.5);
      await bothSizes('controller-offset-result');
      await page.getByTestId('faceplate-back').click();
      await page.waitForSelector(
        `[data-testid="equipment-faceplate"] [data-tag="SS01.HC.OFFSET"]:has-text("${newOffset.toFixed(1)}")`,
        { timeout: 10_000 },
      );
      await page.getByTestId('equipment-faceplate-close').click();
      await faceplate().waitFor({ state: 'detached' });
    },
  );

  it('a tripped pump shows the trip and its cause on its faceplate', { timeout: 120_000 }, async () => {
    await page.evaluate(() => (window.location.hash = '#/screen/pump-1'));
    const pump = page.locator('[data-symbol="pump"][data-equipment="SS01.P1"]').first();
    await pump.waitFor({ timeout: 20_000 });
    // Running a while first, so the historian holds vibration readings before the fault.
    await page.waitForSelector('[data-symbol="pump"][data-equipment="SS01.P1"][data-state="running"]', {
      timeout: 30_000,
    });
    await page.waitForTimeout(3_000);
    station.sim.send('fault pump-bearing-wear 1 1 P1 ramp=0s');
    // The symbol library names the state `tripped` (earlier `fault`).
    await page.waitForSelector(
      '[data-symbol="pump"][data-equipment="SS01.P1"]:is([data-state="tripped"], [data-state="fault"])',
      { timeout: 60_000 },
    );
    await page.waitForTimeout(2_000);
    await pump.locator('.rot-body').click();
    await faceplate().waitFor();
    expect(await kind()).toBe('pump');
    await page.waitForSelector('[data-testid="fp-condition"][data-condition="tripped"]', { timeout: 10_000 });
    await page.waitForSelector('[data-testid="fp-trip-cause"][data-loaded="true"]', { timeout: 15_000 });
    const cause = faceplate().locator('[data-testid="fp-trip-cause-item"][data-signal="vibration"]');
    await expect.poll(() => cause.count(), { timeout: 10_000 }).toBe(1);
    expect(await cause.innerText()).toMatch(/Vibration: peak 1[1-9]\.\d\d mm\/s/);
    expect(await faceplate().getByTestId('fp-cmd-reset').count()).toBe(1);
    await bothSizes('pump-tripped');
  });

  it(
    'the operator makes pump 2 the duty pump, resets pump 1 (critical: reason and second confirmation), and pump 1 stands stopped and ready',
    { timeout: 120_000 },
    async () => {
      await page.getByTestId('fp-open-p2').click();
      await expect.poll(async () => faceplate().locator('.fp-root').getAttribute('data-equipment')).toBe('SS01.P2');
      await faceplate().getByTestId('fp-cmd-duty').click();
      await page.getByTestId('faceplate-reason').fill('Pump 1 tripped on vibration: pump 2 takes the duty');
      await page.getByTestId('faceplate-confirm').click();
      await page.getByTestId('faceplate-confirm-critical').click();
      await page.waitForSelector('[data-testid="faceplate-result"][data-result="confirmed"]', { timeout: 15_000 });
      await page.getByTestId('faceplate-back').click();
      await page.waitForSelector('[data-testid="fp-duty"][data-duty="this"]', { timeout: 10_000 });
      await page.getByTestId('fp-open-p1').click();
      await expect.poll(async () => faceplate().locator('.fp-root').getAttribute('data-equipment')).toBe('SS01.P1');
      await faceplate().getByTestId('fp-cmd-reset').click();
      expect(await page.getByTestId('faceplate-change').innerText()).toContain('→ Reset');
      await page.getByTestId('faceplate-reason').fill('Bearing inspected; pump 1 back as standby');
      await page.getByTestId('faceplate-confirm').click();
      await page.getByTestId('faceplate-confirm-critical').click();
      await page.waitForSelector('[data-testid="faceplate-result"]', { timeout: 15_000 });
      // A reset is a pulse: the coil reads back false, so the station may call it unconfirmed; the pump's state is what counts.
      expect(['confirmed', 'unconfirmed']).toContain(
        await page.getByTestId('faceplate-result').getAttribute('data-result'),
      );
      await page.getByTestId('faceplate-back').click();
      await page.waitForSelector('[data-testid="fp-condition"][data-condition="ready"]', { timeout: 15_000 });
      expect(await faceplate().getByTestId('fp-trip-cause').count()).toBe(0);
      expect(await simValue('SS01.P1.FAULT')).toBe('false');
      expect(await simValue('SS01.P1.RUN')).toBe('false');
      await bothSizes('pump-reset');
      await page.keyboard.press('Escape');
      await faceplate().waitFor({ state: 'detached' });
      await page.waitForSelector('[data-symbol="pump"][data-equipment="SS01.P1"][data-state="stopped"]', {
        timeout: 10_000,
      });
    },
  );

  it('in Chinese the faceplate speaks Chinese', { timeout: 120_000 }, async () => {
    await page.evaluate(() => {
      window.localStorage.setItem('argus.lang.demo-operator', 'zh');
      window.localStorage.setItem('argus.lang.-', 'zh');
    });
    await page.reload();
    await page.waitForSelector('[data-testid="user-name"]', { timeout: 15_000 });
    await page.evaluate(() => (window.location.hash = '#/screen/pump-1'));
    await page.locator('[data-symbol="pump"][data-equipment="SS01.P1"] .rot-body').first().click();
    await faceplate().waitFor();
    expect(await faceplate().innerText()).toContain('循环泵1');
    expect(await faceplate().innerText()).toContain('最近1小时');
    await bothSizes('pump-zh');
    await page.keyboard.press('Escape');
    await page.evaluate(() => {
      window.localStorage.setItem('argus.lang.demo-operator', 'en');
      window.localStorage.setItem('argus.lang.-', 'en');
    });
    await page.reload();
    await page.waitForSelector('[data-testid="user-name"]', { timeout: 15_000 });
  });

  it(
    'from the tags table: the faceplate of the offset shows the resulting setpoint and leads to the controller faceplate',
    { timeout: 60_000 },
    async () => {
      await page.evaluate(() => (window.location.hash = '#/tags'));
      await page.getByTestId('tags-filter').fill('SS01.HC.OFFSET');
      const value = page.locator('[data-row-tag="SS01.HC.OFFSET"] [data-tag="SS01.HC.OFFSET"][data-writable="true"]');
      await value.waitFor({ timeout: 15_000 });
      await value.click();
      await page.getByTestId('faceplate').waitFor();
      const current = number(await page.getByTestId('faceplate').locator('.live-value').first().innerText());
      await page.getByTestId('faceplate-input').fill(String(current > 0 ? current - 1 : current + 1));
      const preview = page.getByTestId('faceplate-preview');
      await expect.poll(async () => preview.getAttribute('data-next')).not.toBe('');
      const [now, next] = await preview.evaluate((el) => [
        Number(el.getAttribute('data-now')),
        Number(el.getAttribute('data-next')),
      ]);
      expect(Math.abs(Math.abs(next! - now!) - 1)).toBeLessThan(0.015);
      await page.screenshot({ path: shot('tag-offset-preview-1920') });
      await page.getByTestId('fp-open-hc').click();
      await faceplate().waitFor();
      expect(await kind()).toBe('controller');
      expect(await page.getByTestId('faceplate').count()).toBe(0);
      await page.keyboard.press('Escape');
      await faceplate().waitFor({ state: 'detached' });
    },
  );

  it(
    'equipment without a faceplate of its own (the make-up water) gets its values, trend, alarms and setpoint changes',
    { timeout: 60_000 },
    async () => {
      await page.evaluate(() => (window.location.hash = '#/screen/overview'));
      const makeup = page.locator('[data-symbol="pump"][data-equipment="SS01.MU"] .rot-body').first();
      await makeup.waitFor({ timeout: 20_000 });
      await makeup.click();
      await faceplate().waitFor();
      expect(await kind()).toBe('generic');
      await page.waitForSelector('[data-testid="equipment-faceplate"] [data-fp-tag="SS01.MU.P_SP"]', {
        timeout: 10_000,
      });
      expect(await faceplate().getByTestId('fp-cmd-mu-p_sp').count()).toBe(1);
      await bothSizes('makeup-generic');
      await page.keyboard.press('Escape');
      await faceplate().waitFor({ state: 'detached' });
    },
  );

  it('in the dark theme the faceplate keeps its look (screenshots)', { timeout: 60_000 }, async () => {
    await page.evaluate(() => (window.location.hash = '#/screen/loop'));
    await page.locator('[data-symbol="valve"] .valve-body').first().click();
    await faceplate().waitFor();
    await page.getByTestId('fp-open-hc').click();
    await expect.poll(kind).toBe('controller');
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await bothSizes('controller-dark');
    await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
    await page.keyboard.press('Escape');
    await faceplate().waitFor({ state: 'detached' });
  });

  it('a viewer sees the faceplate with values, trend and alarms, but no command', { timeout: 60_000 }, async () => {
    const viewer = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    recordPageErrors(viewer, pageErrors);
    await viewer.goto(station.url);
    await viewer.getByTestId('signin-name').fill('demo-viewer');
    await viewer.getByTestId('signin-password').fill(station.passwords.get('demo-viewer')!);
    await viewer.getByTestId('signin-submit').click();
    await viewer.waitForSelector('[data-testid="user-name"]:has-text("demo-viewer")', { timeout: 15_000 });
    await viewer.evaluate(() => (window.location.hash = '#/screen/pump-1'));
    await viewer.locator('[data-symbol="pump"][data-equipment="SS01.P1"] .rot-body').first().click();
    const fp = viewer.getByTestId('equipment-faceplate');
    await fp.waitFor();
    await viewer.waitForSelector('[data-testid="equipment-faceplate"] [data-tag="SS01.P1.RUN"][data-quality="Good"]', {
      timeout: 15_000,
    });
    expect(await fp.locator('[data-testid^="fp-cmd-"]').count()).toBe(0);
    expect(await fp.getByTestId('fp-trend').count()).toBe(1);
    expect(await fp.getByTestId('fp-alarms').count()).toBe(1);
    expect(await fp.innerText()).toContain('Your role can view this equipment but not change it.');
    await viewer.close();
  });

  it('no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
