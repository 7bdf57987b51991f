/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * End to end, the console's form dialogs: `serve` on a simulator in its own process, the
 * console in Debian's Chromium. A technician comments on, shelves and (nearly) takes out of
 * service an alarm raised by a secondary leak, then changes their password. Each dialog is
 * labelled by its title, opens with focus on its first field, closes on Escape or Cancel
 * with focus back where the operator was, keeps its submit button off until the form can be
 * sent, and says why a form was refused. Screenshots at 1920×1080 and 1366×768 go to
 * test/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';
import { LEAK_ALARM_TAGS, withDevAlarms } from '../support/console-alarms.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const screenshots = join(import.meta.dirname, 'screenshots');
mkdirSync(screenshots, { recursive: true });

const USER = 'demo-technician';
const leakRow = LEAK_ALARM_TAGS.map((t) => `[data-testid="alarm-row"][data-tag="${t}"]`).join(', ');

describe.skipIf(chromiumMissing)('form dialogs in the operator console (Chromium)', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let alarmId = '';

  /** The test hook of the focused element. */
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  /** The dialog's accessible name: the text of the title that labels it. */
  const dialogName = (testId: string) =>
    page.evaluate((id) => {
      const dialog = document.querySelector(`[data-testid="${id}"]`);
      const title = document.getElementById(dialog?.getAttribute('aria-labelledby') ?? '');
      return title?.textContent ?? null;
    }, testId);
  const both = async (name: string) => {
    await page.screenshot({ path: join(screenshots, `dialog-${name}-1920x1080.png`) });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: join(screenshots, `dialog-${name}-1366x768.png`) });
    await page.setViewportSize({ width: 1920, height: 1080 });
  };

  beforeAll(async () => {
    station = await startStationFixture('e2e-dialogs', { simArgs: ['--speed', '60'], editProject: withDevAlarms });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    await page.getByTestId('signin-name').fill(USER);
    await page.getByTestId('signin-password').fill(station.passwords.get(USER)!);
    await page.getByTestId('signin-submit').click();
    await page.waitForSelector('[data-testid="alarm-banner"][data-loaded="true"]', { timeout: 20_000 });
    station.sim.send('fault secondary-leak 1');
    await page.getByTestId('nav-alarms').click();
    const row = page.locator(leakRow).first();
    await row.waitFor({ timeout: 60_000 });
    alarmId = (await row.getAttribute('data-alarm-id'))!;
    await row.click();
    await page.waitForSelector(`[data-testid="alarm-details"][data-alarm-id="${alarmId}"]`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('comment: labelled, focus on the text, Escape closes back to the button, a comment is saved', async () => {
    await page.getByTestId('alarm-comment').click();
    await page.getByTestId('comment-dialog').waitFor();
    expect(await dialogName('comment-dialog')).toContain(alarmId);
    expect(await focused()).toBe('comment-text');
    expect(await page.getByTestId('comment-submit').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('comment-dialog').waitFor({ state: 'detached' });
    expect(await focused()).toBe('alarm-comment');

    await page.getByTestId('alarm-comment').click();
    await page.getByTestId('comment-text').fill('Checked on site: leak at the secondary pump seal');
    expect(await page.getByTestId('comment-submit').isDisabled()).toBe(false);
    await both('comment');
    await page.getByTestId('comment-submit').click();
    await page.getByTestId('comment-dialog').waitFor({ state: 'detached' });
    await page.waitForSelector(`[data-testid="alarm-notice"]:has-text("Comment on ${alarmId} saved")`);
  });

  it('out of service: a reason of three characters at least, Cancel closes without a change', async () => {
    await page.getByTestId('alarm-out-of-service').click();
    await page.getByTestId('oos-dialog').waitFor();
    expect(await dialogName('oos-dialog')).toContain(alarmId);
    expect(await focused()).toBe('oos-reason');
    await page.getByTestId('oos-reason').fill('ab');
    expect(await page.getByTestId('oos-submit').isDisabled()).toBe(true);
    await page.getByTestId('oos-reason').fill('abc');
    expect(await page.getByTestId('oos-submit').isDisabled()).toBe(false);
    await page.getByTestId('oos-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('oos-dialog').waitFor({ state: 'detached' });
    expect(
      await page.locator(`[data-testid="alarm-row"][data-alarm-id="${alarmId}"]`).getAttribute('data-state'),
    ).not.toBe('out-of-service');
  });

  it('shelve: reason and duration, the alarm is shelved', async () => {
    await page.getByTestId('alarm-shelve').click();
    await page.getByTestId('shelve-dialog').waitFor();
    expect(await focused()).toBe('shelve-reason');
    expect(await page.getByTestId('shelve-submit').isDisabled()).toBe(true);
    await page.getByTestId('shelve-reason').fill('Pump seal replaced this shift');
    await page.getByTestId('shelve-duration').selectOption('15');
    await both('shelve');
    await page.getByTestId('shelve-submit').click();
    await page.getByTestId('shelve-dialog').waitFor({ state: 'detached' });
    await page.waitForSelector(`[data-testid="alarm-notice"]:has-text("Shelved ${alarmId}")`);
  });

  it('change password: a refusal is said in the dialog, then the change is confirmed', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('change-password').click();
    await page.getByTestId('change-password-dialog').waitFor();
    expect(await dialogName('change-password-dialog')).toBeTruthy();
    expect(await focused()).toBe('password-current');
    await page.getByTestId('password-current').fill(station.passwords.get(USER)!);
    await page.getByTestId('password-new').fill('a new password 1');
    await page.getByTestId('password-repeat').fill('another password 2');
    await page.getByTestId('password-submit').click();
    expect(await page.getByTestId('password-message').getAttribute('role')).toBe('alert');
    await both('change-password-problem');

    await page.getByTestId('password-repeat').fill('a new password 1');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('change-password-done').waitFor({ timeout: 10_000 });
    await page.getByTestId('change-password-dialog').getByRole('button').click();
    await page.getByTestId('change-password-dialog').waitFor({ state: 'detached' });
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
