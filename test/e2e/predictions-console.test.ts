/// <reference lib="dom" />
/**
 * End to end, predictions: `serve` on a simulator in its own process, the console in
 * Debian's Chromium. Test model packages are copied into the station's `<data>/models/`;
 * the engineer rescans in the model registry, sees the models with their cards, a refused
 * activation that keeps the running version, and runs a model now. The plant outlook
 * shows fault probabilities (with the signals contributing to a raised class) and forecasts with numbers, and the quality gate's reason
 * (never a number) for a model whose inputs are outside its training range. Predictive
 * alarms carry the PRED mark in the banner; a forecast median on a trend gets its band.
 * A viewer sees the outlook but no registry. The engineer imports a package from files
 * (a wrong one refused with the station's message, a good one stored as a version that
 * does not run until activated). Screenshots at 1920×1080 and 1366×768 land in
 * test/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';
import { writeTestModelPackages } from '../support/model-packages.js';
import { importPackage } from '../support/import-package.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const screenshots = join(import.meta.dirname, 'screenshots');
mkdirSync(screenshots, { recursive: true });
const shot = (name: string) => join(screenshots, `predictions-${name}.png`);

describe.skipIf(chromiumMissing)('predictions in the operator console (Chromium)', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const signIn = async (p: Page, name: string) => {
    await p.getByTestId('signin-name').fill(name);
    await p.getByTestId('signin-password').fill(station.passwords.get(name)!);
    await p.getByTestId('signin-submit').click();
    await p.waitForSelector(`[data-testid="user-name"]:has-text("${name}")`, { timeout: 10_000 });
  };
  const both = async (p: Page, name: string) => {
    await p.setViewportSize({ width: 1920, height: 1080 });
    await p.screenshot({ path: shot(`${name}-1920`), fullPage: true });
    await p.setViewportSize({ width: 1366, height: 768 });
    await p.screenshot({ path: shot(`${name}-1366`), fullPage: true });
    await p.setViewportSize({ width: 1920, height: 1080 });
  };

  beforeAll(async () => {
    station = await startStationFixture('e2e-predictions');
    // Imported packages: the station scans <data>/models on a rescan.
    writeTestModelPackages(join(station.dir, 'data', 'models'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('the engineer rescans the registry and sees the models with their cards and a refused version', async () => {
    await signIn(page, 'demo-engineer');
    await page.getByTestId('nav-models').click();
    await page.waitForSelector('[data-testid="model-registry"]');
    await page.getByTestId('model-rescan').click();
    const faults = page.locator('[data-testid="model-entry"][data-model="SS01_E2E_FAULTS"]');
    await faults.waitFor({ timeout: 20_000 });
    // 1.1.0 reads a window the ONNX file cannot take: tried first (newest), refused, 1.0.0 runs.
    expect(await faults.getAttribute('data-active')).toBe('1.0.0');
    expect(await faults.getByTestId('model-load-error').innerText()).toMatch(/\S{10,}/);
    const card = faults.locator('[data-testid="model-version"][data-version="1.0.0"] [data-testid="model-card"]');
    expect(await card.getByTestId('model-card-training').innerText()).toContain('end-to-end test package');
    expect(await card.locator('[data-metric="macro_f1"]').innerText()).toContain('0.5');
    await expect
      .poll(() => page.locator('[data-testid="model-entry"][data-model="SS01_E2E_REFUSED"]').count(), {
        timeout: 10_000,
      })
      .toBe(1);
  });

  it('activating the version that does not load is refused with the reason, the running one kept', async () => {
    const faults = page.locator('[data-testid="model-entry"][data-model="SS01_E2E_FAULTS"]');
    await faults.locator('[data-testid="model-activate"][data-version="1.1.0"]').click();
    await page.getByTestId('model-activate-dialog').waitFor();
    await both(page, 'activate-dialog');
    await page.getByTestId('model-activate-confirm').click();
    const result = faults.getByTestId('model-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-result')).toBe('refused');
    expect(await result.innerText()).toMatch(/Refused: .+ version 1\.0\.0 keeps running/);
    expect(await faults.getAttribute('data-active')).toBe('1.0.0');
  });

  it('runs a model now once its window has history, and the run statistics follow', async () => {
    const faults = page.locator('[data-testid="model-entry"][data-model="SS01_E2E_FAULTS"]');
    // The window is 4 × 5 s: give the historian time, then the run gives numbers.
    await expect
      .poll(
        async () => {
          await faults.getByTestId('model-run').click();
          await faults.locator('[data-testid="model-result"]').waitFor();
          return faults.getByTestId('model-result').getAttribute('data-result');
        },
        { timeout: 60_000, interval: 3000 },
      )
      .toBe('ok');
    await expect
      .poll(async () => Number((await faults.locator('[data-stat="runs"] td').innerText()).trim()), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await both(page, 'registry');
  }, 90_000);

  it('the engineer imports a package from files: a wrong hash is refused with the reason, a good one becomes a version not yet running', async () => {
    const files = (p: ReturnType<typeof importPackage>) => [
      { name: p.manifestName, mimeType: 'application/yaml', buffer: Buffer.from(p.manifest) },
      { name: p.onnxName, mimeType: 'application/octet-stream', buffer: Buffer.from(p.onnx) },
    ];
    await page.getByTestId('model-import-open').click();
    await page
      .getByTestId('model-import-files')
      .setInputFiles(files(importPackage('1.0.0', { overrides: { sha256: 'f'.repeat(64) } })));
    await page.getByTestId('model-import-send').click();
    const result = page.getByTestId('model-import-result');
    await expect.poll(() => result.getAttribute('data-result'), { timeout: 30_000 }).toBe('refused');
    expect(await result.innerText()).toMatch(
      /Import refused, nothing was stored: .*ss01_import\.onnx: SHA-256 is [0-9a-f]{16}…, the manifest says ffffffffffffffff…/s,
    );
    expect(await page.locator('[data-testid="model-entry"][data-model="SS01_IMPORT"]').count()).toBe(0);
    await both(page, 'import-refused');
    // The good package (1 MiB: several chunks over the WebSocket).
    await page
      .getByTestId('model-import-files')
      .setInputFiles(files(importPackage('1.0.0', { padBytes: 1024 * 1024 })));
    await page.getByTestId('model-import-send').click();
    await expect.poll(() => result.getAttribute('data-result'), { timeout: 60_000 }).toBe('ok');
    expect(await result.getAttribute('data-version')).toBe('1.0.0');
    expect(await result.innerText()).toContain('Imported SS01_IMPORT version 1.0.0: not running until activated');
    const entry = page.locator('[data-testid="model-entry"][data-model="SS01_IMPORT"]');
    await entry.waitFor({ timeout: 20_000 });
    expect(await entry.getAttribute('data-active')).toBe('');
    expect(await entry.locator('[data-testid="model-version"][data-version="1.0.0"]').getAttribute('data-state')).toBe(
      'valid',
    );
    await result.scrollIntoViewIfNeeded();
    await both(page, 'import-done');
  }, 120_000);

  it('the outlook shows fault probabilities and forecasts as numbers, and the reason where the gate refused', async () => {
    await page.getByTestId('nav-outlook').click();
    await page.waitForSelector('[data-testid="outlook"][data-loaded="true"]');
    const fouling = page.locator(
      '[data-testid="outlook-fault"][data-label="hx-fouling"][data-tag="SS01.E2E_FAULTS.P_HX_FOULING"]',
    );
    await expect
      .poll(() => fouling.getByTestId('outlook-probability').getAttribute('data-kind'), { timeout: 30_000 })
      .toBe('number');
    expect(await fouling.getByTestId('outlook-probability').innerText()).toMatch(/^\d+ %|^[<>]/);
    // Above its 0.2 threshold: a warning in words, its predictive alarm with the PRED mark, and the action in the operator's language.
    await expect.poll(() => fouling.getAttribute('data-level'), { timeout: 30_000 }).toBe('warning');
    expect(await fouling.getByTestId('outlook-level').innerText()).toContain('WARNING');
    await fouling.locator('[data-testid="outlook-alarm"] [data-testid="pred-marker"]').waitFor({ timeout: 30_000 });
    expect(await fouling.getByTestId('outlook-action').innerText()).toContain(
      'Plan a chemical cleaning of the plate pack',
    );
    expect(await fouling.getByTestId('outlook-action').innerText()).not.toContain('安排板片化学清洗');
    // Its contributing signal: the test classifier's fouling probability is the window's mean heat power, so the heat
    // power (above its training mean) is the one signal whose removal drops it; the supply temperature does nothing.
    const signals = fouling.getByTestId('outlook-signal');
    await expect.poll(() => signals.count(), { timeout: 30_000 }).toBe(1);
    expect(await signals.first().getAttribute('data-tag')).toBe('SS01.HM.POWER');
    expect(await signals.first().getAttribute('data-direction')).toBe('high');
    const signalText = await signals.first().innerText();
    expect(signalText).toMatch(/▲ .+ high/);
    expect(signalText).not.toContain('SS01.HM.POWER');
    // The normal class is never explained; a class below its watch level shows none.
    expect(
      await page
        .locator(
          '[data-testid="outlook-fault"][data-tag="SS01.E2E_FAULTS.P_STUCK_VALVE"] [data-testid="outlook-signals"]',
        )
        .getAttribute('data-count'),
    ).toBe('0');
    // Its last hours come from history (the output is historized).
    await expect
      .poll(async () => Number(await fouling.getByTestId('sparkline').getAttribute('data-points')), {
        timeout: 90_000,
        interval: 5000,
      })
      .toBeGreaterThan(0);
    const median = page.locator(
      '[data-testid="outlook-forecasts"][data-model="SS01_E2E_FORECAST"] [data-testid="outlook-median"]',
    );
    await expect.poll(() => median.getAttribute('data-kind'), { timeout: 30_000 }).toBe('number');
    expect(await median.innerText()).toMatch(/\d+\.\d °C/);
    expect(
      await page
        .locator('[data-testid="outlook-forecasts"][data-model="SS01_E2E_FORECAST"] [data-testid="outlook-band"]')
        .innerText(),
    ).toMatch(/^\d+\.\d … \d+\.\d °C$/);
    const refused = page.locator('[data-testid="outlook-forecasts"][data-model="SS01_E2E_REFUSED"]');
    await expect
      .poll(() => refused.getByTestId('outlook-median').getAttribute('data-kind'), { timeout: 30_000 })
      .toBe('bad');
    expect(await refused.getByTestId('outlook-median').innerText()).not.toMatch(/\d/);
    expect(await refused.getByTestId('outlook-bad-reason').innerText()).toMatch(
      /^No prediction: .*SS01\.HX\.T_SEC_SUP/,
    );
    await both(page, 'outlook');
  }, 150_000);

  it('predictive alarms carry the PRED mark and the time to the limit in the banner', async () => {
    const line = page.locator('[data-testid="banner-alarm"][data-tag="SS01.E2E_FORECAST.T_SUP_20M_P50"]');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.getByTestId('pred-marker').innerText()).toMatch(/PRED\s*in ~20 min/);
    await page.getByTestId('banner-summary-link').click();
    const row = page.locator('[data-testid="alarm-row"][data-tag="SS01.E2E_FORECAST.T_SUP_20M_P50"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('pred-marker').count()).toBe(1);
    await both(page, 'alarm-summary');
  });

  it('a forecast median on a trend is drawn with its band', async () => {
    await page.getByTestId('nav-trends').click();
    await page.getByTestId('trend-tag-search').fill('E2E_FORECAST.T_SUP_20M_P50');
    await page.locator('[data-testid="trend-tag-option"][data-tag="SS01.E2E_FORECAST.T_SUP_20M_P50"]').click();
    await page.getByTestId('trend-tag-search').fill('SS01.HX.T_SEC_SUP');
    await page.locator('[data-testid="trend-tag-option"][data-tag="SS01.HX.T_SEC_SUP"]').click();
    await expect
      .poll(() => page.getByTestId('trend-plot').getAttribute('data-bands'), { timeout: 20_000 })
      .toBe('SS01.E2E_FORECAST.T_SUP_20M_P50');
    await page.getByTestId('trend-band-hint').waitFor();
    // The output tag has history like any tag.
    await expect
      .poll(
        () =>
          page
            .locator('[data-pen-tag="SS01.E2E_FORECAST.T_SUP_20M_P50"] [data-testid="trend-legend-value"]')
            .innerText(),
        { timeout: 20_000 },
      )
      .toMatch(/\d+\.\d °C/);
    expect(await page.getByTestId('trend-band-hint').innerText()).toContain('P10–P90');
    await page.waitForTimeout(1500);
    await both(page, 'trend-band');
    expect(pageErrors).toEqual([]);
  });

  it('a viewer sees the outlook but not the registry', async () => {
    const viewer = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await viewer.goto(station.url);
    await signIn(viewer, 'demo-viewer');
    expect(await viewer.getByTestId('nav-models').count()).toBe(0);
    await viewer.getByTestId('nav-outlook').click();
    await viewer.locator('[data-testid="outlook-fault"][data-label="hx-fouling"]').first().waitFor({ timeout: 20_000 });
    await viewer.goto(`${station.url.replace(/\/$/, '')}/#/models`);
    await viewer.getByText('You are not allowed here').waitFor({ timeout: 10_000 });
    expect(await viewer.getByTestId('model-registry').count()).toBe(0);
    // No run button for the viewer anywhere; the runtime refuses it anyway.
    expect(await viewer.getByTestId('model-run').count()).toBe(0);
    await viewer.close();
  });

  it('reads in Simplified Chinese: the import and the contributing signals', async () => {
    const setLang = (lang: string) =>
      page.evaluate((l) => {
        localStorage.setItem('argus.lang.demo-engineer', l);
        localStorage.setItem('argus.lang.-', l);
      }, lang);
    await setLang('zh');
    await page.reload();
    await page.getByTestId('nav-models').click();
    const open = page.getByTestId('model-import-open');
    await open.waitFor({ timeout: 30_000 });
    expect(await open.innerText()).toBe('导入模型包…');
    await open.click();
    expect(await page.getByTestId('model-import').innerText()).toContain('激活之前不会运行');
    await both(page, 'import-zh');
    await page.getByTestId('nav-outlook').click();
    const signal = page.locator(
      '[data-testid="outlook-fault"][data-tag="SS01.E2E_FAULTS.P_HX_FOULING"] [data-testid="outlook-signal"]',
    );
    await expect.poll(() => signal.count(), { timeout: 30_000 }).toBe(1);
    expect(await signal.innerText()).toMatch(/▲ 热量表热功率 偏高/);
    // The rest of the outlook in Chinese too: the warning word, the PRED mark, the action, the model line.
    const fouling = page.locator('[data-testid="outlook-fault"][data-tag="SS01.E2E_FAULTS.P_HX_FOULING"]');
    expect(await fouling.getByTestId('outlook-level').innerText()).toContain('预警');
    // The action comes with the alarm definitions, which load apart from the model outputs.
    await expect
      .poll(() => fouling.getByTestId('outlook-action').innerText(), { timeout: 20_000 })
      .toContain('安排板片化学清洗');
    expect(await fouling.locator('[data-testid="pred-marker"]').innerText()).toMatch(/^预测/);
    expect(await page.locator('[data-testid="outlook-model"]').first().innerText()).toMatch(/版本|未运行/);
    await both(page, 'outlook-zh');
    await setLang('en');
  }, 90_000);
});
