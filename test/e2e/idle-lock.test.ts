/// <reference lib="dom" />
/**
 * End to end, auto-lock: a console left alone locks itself (the runtime decides and pushes
 * it), hides the plant behind the lock screen, refuses commands, and comes back with the
 * user's password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { demoTagsByProtocol } from '../support/demo-project.js';
import { signIn } from '../support/sign-in.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

describe.skipIf(chromiumMissing)('idle auto-lock in Chromium', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const tag = demoTagsByProtocol().modbus[0]!;

  beforeAll(async () => {
    // Lock after 4 s without activity.
    station = await startStationFixture('e2e-idle', { serveArgs: ['--idle-lock-minutes', String(4 / 60)] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(station.url);
    await page.getByTestId('demo-signin-demo-operator').click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('locks an idle console, and the runtime refuses its requests while locked', async () => {
    await page.getByTestId('lock-overlay').waitFor({ timeout: 20_000 });
    const reply = await page.evaluate(async () => {
      const res = await fetch('/api/v1/tags');
      return res.status;
    });
    expect(reply).toBe(401);
  });

  it('unlocks with the same user’s password and values flow again', async () => {
    await page.getByTestId('unlock-password').fill(station.passwords.get('demo-operator')!);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('lock-overlay').waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForSelector(`[data-tag="${tag}"][data-quality="Good"]`, { timeout: 20_000 });
  });

  it('recorded the idle lock and the unlock in the audit trail', async () => {
    const { cookie } = await signIn(station.url, 'demo-engineer', station.passwords.get('demo-engineer')!);
    const entries = async (action: string) =>
      (
        (await (
          await fetch(`${station.url}/api/v1/audit?action=${action}&actor=demo-operator`, {
            headers: { Cookie: cookie },
          })
        ).json()) as { entries: Array<{ details: Record<string, unknown> }> }
      ).entries;
    expect((await entries('session.lock'))[0]?.details).toMatchObject({ reason: 'idle' });
    expect(await entries('session.unlock')).toHaveLength(1);
  });
});
