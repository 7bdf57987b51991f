/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * End to end, security: `serve` with demo accounts on a simulator in its own process, the
 * console in Debian's Chromium. An operator changes a setpoint through the faceplate with
 * confirmation and sees it take effect on screen and in the simulator; a critical tag needs
 * a reason and a second confirmation; at shift handover an engineer takes over and finds
 * the write in the audit view with old and new value; a viewer finds no way to write, and
 * a write sent by script over the page's own WebSocket is refused with FORBIDDEN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { readDemoProject } from '../support/demo-project.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';
import { recordPageSockets, requestOverPageSocket } from '../support/page-socket.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

/** The analog setpoint drawn on the overview (OPC UA, range 1…3 bar) and a critical one. */
const SETPOINT = 'SS01.MU.P_SP';
const CRITICAL = 'SS01.SEC.DUTY_SEL';

describe.skipIf(chromiumMissing)('security in the operator console (Chromium)', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const passwords = new Map<string, string>();
  const pageErrors: string[] = [];
  const project = readDemoProject();
  const setpointInfo = project.tags.find((t) => t.name === SETPOINT)!;
  const criticalInfo = project.tags.find((t) => t.name === CRITICAL)!;
  let oldSetpoint = '';
  let newSetpoint = 0;

  const valueText = (tag: string) => page.locator(`[data-tag="${tag}"]`).first().innerText();
  const simValue = async (tag: string): Promise<number> => {
    const before = station.sim.output().length;
    station.sim.send(`get ${tag}`);
    const escaped = tag.replace(/\./g, '\\.');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const m = new RegExp(`${escaped} = (\\S+)`).exec(station.sim.output().slice(before));
      if (m) return Number(m[1]);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`simulator did not answer get ${tag}:\n${station.sim.output().slice(-2000)}`);
  };

  const signInWithForm = async (name: string) => {
    await page.getByTestId('signin-name').fill(name);
    await page.getByTestId('signin-password').fill(passwords.get(name)!);
    await page.getByTestId('signin-submit').click();
    await page.waitForSelector(`[data-testid="user-name"]:has-text("${name}")`, { timeout: 10_000 });
  };

  beforeAll(async () => {
    station = await startStationFixture('e2e-sec', { simArgs: ['--speed', '60'] });
    for (const [name, password] of station.passwords) passwords.set(name, password);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await recordPageSockets(context);
    page = await context.newPage();
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('read the demo passwords from serve', () => {
    expect([...passwords.keys()].sort()).toEqual([
      'demo-admin',
      'demo-engineer',
      'demo-operator',
      'demo-technician',
      'demo-viewer',
    ]);
  });

  it('an operator changes a setpoint through the faceplate, with old → new confirmation, and it takes effect', async () => {
    await signInWithForm('demo-operator');
    const value = page.locator(`[data-tag="${SETPOINT}"]`).first();
    await page.waitForSelector(`[data-tag="${SETPOINT}"][data-quality="Good"][data-writable="true"]`, {
      timeout: 30_000,
    });
    oldSetpoint = await valueText(SETPOINT);
    const current = Number.parseFloat(oldSetpoint);
    newSetpoint = Math.abs(current - 2.25) < 0.01 ? 1.75 : 2.25;
    const newText = `${newSetpoint.toFixed(setpointInfo.decimals)} ${setpointInfo.unit}`;

    await value.click();
    const faceplate = page.getByTestId('faceplate');
    await faceplate.waitFor();
    const facts = await faceplate.innerText();
    expect(facts).toContain(SETPOINT);
    expect(facts).toContain(setpointInfo.description.en);
    expect(facts).toContain('1.00 … 3.00 bar');

    // Out of range: refused in the faceplate, no confirmation step.
    await page.getByTestId('faceplate-input').fill('3.5');
    await page.getByTestId('faceplate-apply').click();
    await expect(faceplate.getByRole('alert').innerText()).resolves.toContain('Out of range');
    expect(await page.getByTestId('faceplate-confirm').count()).toBe(0);

    await page.getByTestId('faceplate-input').fill(String(newSetpoint));
    await page.getByTestId('faceplate-apply').click();
    const change = await page.getByTestId('faceplate-change').innerText();
    expect(change).toBe(`${oldSetpoint} → ${newText}`);
    expect(await page.getByTestId('faceplate-reason').count()).toBe(0); // not critical
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-sec-faceplate-confirm.png') });
    await page.getByTestId('faceplate-confirm').click();
    const result = page.getByTestId('faceplate-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-result')).toBe('confirmed');
    expect(await result.innerText()).toContain(newText);
    await page.getByTestId('faceplate-close').click();
    expect(await page.getByTestId('faceplate').count()).toBe(0);

    await page.waitForFunction(
      ([t, text]) => document.querySelector(`[data-tag="${t}"]`)?.textContent === text,
      [SETPOINT, newText] as const,
      { timeout: 15_000 },
    );
    expect(await simValue(SETPOINT)).toBeCloseTo(newSetpoint, 3);
  });

  it('a critical tag needs a reason and a second confirmation (keyboard only, from the tags table)', async () => {
    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tags-filter').fill(CRITICAL);
    const cell = page.locator(`[data-row-tag="${CRITICAL}"] [data-tag="${CRITICAL}"]`);
    await page.waitForSelector(
      `[data-row-tag="${CRITICAL}"] [data-tag="${CRITICAL}"][data-quality="Good"][data-writable="true"]`,
      { timeout: 20_000 },
    );
    const before = Math.round(await simValue(CRITICAL));
    const target = before === 1 ? 2 : 1;
    await cell.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('faceplate').waitFor();
    await page.getByTestId('faceplate-input').fill(String(target));
    await page.keyboard.press('Enter'); // submits the entry form
    await page.getByTestId('faceplate-confirm').click();
    // No reason yet: stays on the first confirmation.
    await expect(page.getByTestId('faceplate').getByRole('alert').innerText()).resolves.toContain('reason');
    expect(await page.getByTestId('faceplate-confirm-critical').count()).toBe(0);
    await page.getByTestId('faceplate-reason').fill('Handover test: rotate duty pump');
    await page.getByTestId('faceplate-confirm').click();
    await page.getByTestId('faceplate-confirm-critical').waitFor();
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-sec-faceplate-critical.png') });
    await page.getByTestId('faceplate-confirm-critical').click();
    const result = page.getByTestId('faceplate-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-result')).toBe('confirmed');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('faceplate').count()).toBe(0);
    expect(Math.round(await simValue(CRITICAL))).toBe(target);
    expect(criticalInfo.critical).toBe(true);
  });

  it('a write to a device that is offline is refused and the faceplate says why', async () => {
    const tag = 'SS01.SEC.SPEED_SP';
    const plc = project.devices.find((d) => d.protocol === 'modbus-tcp')!.name;
    station.sim.send('modbus stop');
    await page.getByTestId('nav-devices').click();
    await page.waitForSelector(`[data-device="${plc}"]:not([data-state="connected"])`, { timeout: 20_000 });
    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tags-filter').fill(tag);
    await page.locator(`[data-row-tag="${tag}"] [data-tag="${tag}"][data-writable="true"]`).click();
    await page.getByTestId('faceplate-input').fill('55');
    await page.getByTestId('faceplate-apply').click();
    await page.getByTestId('faceplate-confirm').click();
    const result = page.getByTestId('faceplate-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-result')).toBe('refused');
    expect(await result.innerText()).toContain('DEVICE_OFFLINE');
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-sec-faceplate-offline.png') });
    await page.getByTestId('faceplate-close').click();
    station.sim.send('modbus start');
    await page.getByTestId('nav-devices').click();
    await page.waitForSelector(`[data-device="${plc}"][data-state="connected"]`, { timeout: 30_000 });
  });

  it('shift handover: the engineer takes over, values resume, and the write is in the audit view with old and new value', async () => {
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('switch-user').click();
    await page.getByTestId('switch-name').fill('demo-engineer');
    await page.getByTestId('switch-password').fill(passwords.get('demo-engineer')!);
    await page.getByTestId('switch-submit').click();
    await page.waitForSelector('[data-testid="user-name"]:has-text("demo-engineer")');
    // The socket was reopened with the new session: values are live again.
    await page.waitForSelector(`[data-tag="${SETPOINT}"][data-quality="Good"]`, { timeout: 30_000 });
    expect(await page.getByTestId('connection-status').getAttribute('data-phase')).toBe('connected');
    expect(await page.getByTestId('nav-admin').count()).toBe(0); // engineers do not manage users

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-filter-action').selectOption('tag.write');
    await page.getByTestId('audit-filter-target').fill(SETPOINT);
    await page.getByTestId('audit-filter-apply').click();
    // The filtered answer replaces the unfiltered first page: every row shown matches.
    await page.waitForFunction(
      (target) => {
        const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
        return (
          rows.length > 0 &&
          rows.every((r) => r.getAttribute('data-action') === 'tag.write' && r.getAttribute('data-target') === target)
        );
      },
      SETPOINT,
      { timeout: 15_000 },
    );
    const row = page
      .locator(`[data-testid="audit-row"][data-action="tag.write"][data-target="${SETPOINT}"]`)
      .filter({ hasText: '(ok' });
    await row.first().waitFor({ timeout: 15_000 });
    const text = await row.first().innerText();
    expect(text).toContain('demo-operator');
    expect(text).toContain(`→ ${newSetpoint} ${setpointInfo.unit}`);
    // The requested and the result entry of the one write through the faceplate.
    expect(await page.locator('[data-testid="audit-row"]').count()).toBe(2);
    // The handover itself is in the trail too.
    await page.getByTestId('audit-filter-action').selectOption('login');
    await page.getByTestId('audit-filter-target').fill('');
    await page.getByTestId('audit-filter-actor').fill('demo-engineer');
    await page.getByTestId('audit-filter-apply').click();
    await page
      .locator('[data-testid="audit-row"][data-action="login"]')
      .filter({ hasText: 'user.switch' })
      .first()
      .waitFor();
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-sec-audit.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^argus-audit-\d{8}-\d{4}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('demo-engineer');
    expect(csv).toContain('login');
  });

  it('a viewer finds no way to write, and a write sent over the page socket is refused with FORBIDDEN', async () => {
    await page.getByTestId('user-menu').click({ timeout: 10_000 });
    await page.getByTestId('signout-button').click({ timeout: 10_000 });
    await page.getByTestId('signin-form').waitFor({ timeout: 10_000 });
    const valueBefore = await simValue(SETPOINT);
    await signInWithForm('demo-viewer');
    // The engineer left the console on the audit view, which a viewer may not see.
    await expect(page.locator('main').innerText()).resolves.toContain('not allowed');
    await page.getByTestId('nav-overview').click();
    await page.waitForSelector(`[data-tag="${SETPOINT}"][data-quality="Good"]`, { timeout: 30_000 });
    expect(await page.locator('[data-writable], [role="button"][data-tag]').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    // A viewer's click or Enter on a value opens its trend, never a faceplate.
    await page.locator(`[data-tag="${SETPOINT}"]`).first().click();
    await page.waitForFunction(() => location.hash.startsWith('#/trends'), undefined, { timeout: 10_000 });
    expect(await page.locator('[data-testid="faceplate"], dialog[open]').count()).toBe(0);
    await page.getByTestId('nav-overview').click();
    await page.locator(`[data-tag="${SETPOINT}"]`).first().press('Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/trends'), undefined, { timeout: 10_000 });
    expect(await page.locator('[data-testid="faceplate"], dialog[open]').count()).toBe(0);

    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tags-filter').fill('SS01');
    await page.waitForSelector(`[data-row-tag="${SETPOINT}"]`);
    expect(await page.locator('[data-writable], [role="button"][data-tag], [data-testid^="faceplate"]').count()).toBe(
      0,
    );
    // A long list draws live values only in the rows on screen: scroll to the row as an operator would.
    await page.locator(`[data-row-tag="${SETPOINT}"]`).scrollIntoViewIfNeeded();
    await page.locator(`[data-row-tag="${SETPOINT}"] [data-tag="${SETPOINT}"]`).click();
    expect(await page.locator('dialog[open]').count()).toBe(0);

    const reply = await requestOverPageSocket(page, 'tags.write', { tag: SETPOINT, value: 2.9 }, 987_654);
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await simValue(SETPOINT)).toBeCloseTo(valueBefore, 3);
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-sec-viewer.png') });
  }, 60_000);

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
