/// <reference lib="dom" />
/**
 * End to end: `serve` (the built station server) on a simulator running in its own process,
 * the console in Debian's Chromium. Values move; when the simulator's Modbus server stops,
 * the Modbus values turn Bad/stale on screen while OPC UA values stay Good; when it comes
 * back, they recover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoTagsByProtocol, readDemoProject } from '../support/demo-project.js';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

describe.skipIf(chromiumMissing)('operator console in Chromium', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  // Tags drawn on the overview screen, split by the protocol that carries them.
  const project = readDemoProject();
  const byProtocol = demoTagsByProtocol(project);
  const overview = project.screens.find((s) => s.id === 'overview')!;
  const shown = new Set(overview.elements.flatMap((e) => ('tag' in e ? [e.tag] : 'tags' in e ? e.tags : [])));
  const modbusTag = byProtocol.modbus.find((t) => shown.has(t))!;
  const opcuaTag = byProtocol.opcua.find((t) => shown.has(t))!;
  const modbusAnalogs = byProtocol.modbus.filter((t) => shown.has(t));

  const quality = (tag: string) => page.locator(`[data-tag="${tag}"]`).first().getAttribute('data-quality');
  const waitQuality = (tag: string, accepted: string[], timeout = 20_000) =>
    page.waitForFunction(
      ([t, ok]) => ok!.includes(document.querySelector(`[data-tag="${t}"]`)?.getAttribute('data-quality') ?? ''),
      [tag, accepted] as const,
      { timeout },
    );

  beforeAll(async () => {
    station = await startStationFixture('e2e-console', { simArgs: ['--speed', '60'] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    await page.getByTestId('demo-signin-demo-viewer').click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('shows live Good values from both protocols with units', async () => {
    await waitQuality(modbusTag, ['Good'], 30_000);
    await waitQuality(opcuaTag, ['Good'], 30_000);
    const text = await page.locator(`[data-tag="${modbusTag}"]`).first().innerText();
    const unit = project.tags.find((t) => t.name === modbusTag)!.unit;
    if (unit) expect(text).toContain(unit);
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-overview.png') });
  });

  it('shows values changing', async () => {
    const read = () => Promise.all(modbusAnalogs.map((t) => page.locator(`[data-tag="${t}"]`).first().innerText()));
    const before = await read();
    await page.waitForFunction(
      ([tags, old]) => tags!.some((t, i) => document.querySelector(`[data-tag="${t}"]`)?.textContent !== old![i]),
      [modbusAnalogs, before] as const,
      { timeout: 20_000 },
    );
  });

  it('turns Modbus values Bad when the PLC goes away, keeps OPC UA Good, and recovers', async () => {
    station.sim.send('modbus stop');
    await waitQuality(modbusTag, ['Bad', 'Stale'], 20_000);
    expect(await quality(opcuaTag)).toBe('Good');
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-modbus-lost.png') });
    await page.getByTestId('nav-devices').click();
    const plc = project.devices.find((d) => d.protocol === 'modbus-tcp')!.name;
    await page.waitForSelector(`[data-device="${plc}"]:not([data-state="connected"])`, { timeout: 20_000 });
    station.sim.send('modbus start');
    await page.waitForSelector(`[data-device="${plc}"][data-state="connected"]`, { timeout: 30_000 });
    await page.getByTestId('nav-overview').click();
    await waitQuality(modbusTag, ['Good'], 30_000);
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
