/// <reference lib="dom" />
/**
 * End to end, engineering: `serve` with demo accounts on a simulator in its own process,
 * the console in Debian's Chromium. The OPC UA device is set to SignAndEncrypt, so the
 * station first refuses the simulator's unknown certificate: a technician sees it as
 * untrusted without a way to trust it; an engineer compares the thumbprint and trusts it,
 * and the device connects. The engineer then browses the device's address space down to a
 * variable and adds it to the project under a new name (a duplicate name is refused next to
 * the form first). A viewer has neither the certificates nor the Engineering entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { readDemoProject } from '../support/demo-project.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';
import type { ProjectConfig } from '../../main/runtime/config/schema.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const NODE = 'ns=1;s=SS01.HX.UA';
const NEW_TAG = 'SS01.HX.UA_COPY';
const shot = (name: string) => join(tmpdir(), `argus-e2e-eng-${name}.png`);

describe.skipIf(chromiumMissing)('engineering screens in the operator console (Chromium)', () => {
  let station: StationFixture;
  let projectFile: string;
  let opcuaDevice: string;
  let browser: Browser;
  let page: Page;
  const passwords = new Map<string, string>();
  const pageErrors: string[] = [];

  const signIn = async (name: string) => {
    await page.getByTestId('signin-name').fill(name);
    await page.getByTestId('signin-password').fill(passwords.get(name)!);
    await page.getByTestId('signin-submit').click();
    await page.waitForSelector(`[data-testid="user-name"]:has-text("${name}")`, { timeout: 10_000 });
  };
  const signOut = async () => {
    await page.getByTestId('user-menu').click({ timeout: 10_000 });
    await page.getByTestId('signout-button').click({ timeout: 10_000 });
    await page.getByTestId('signin-form').waitFor({ timeout: 10_000 });
  };

  beforeAll(async () => {
    station = await startStationFixture('e2e-eng', {
      // Encrypted, so the station meets the simulator's certificate and has to be told to trust it.
      editProject: (project) => ({
        ...project,
        devices: project.devices.map((d) =>
          d.protocol === 'opcua' ? { ...d, securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' } : d,
        ),
      }),
    });
    projectFile = station.projectFile;
    opcuaDevice = readDemoProject().devices.find((d) => d.protocol === 'opcua')!.name;
    for (const [name, password] of station.passwords) passwords.set(name, password);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('a technician sees the rejected server certificate but cannot trust it', async () => {
    await signIn('demo-technician');
    await page.getByTestId('nav-devices').click();
    const row = page.locator('[data-testid="cert-row"][data-trust="rejected"]');
    await row.first().waitFor({ timeout: 60_000 });
    expect(await row.first().innerText()).toContain(
      'Untrusted server certificate — the device will not connect until an engineer trusts it',
    );
    expect(await page.getByTestId('cert-trust').count()).toBe(0);
    expect(await page.locator(`[data-device="${opcuaDevice}"]`).getAttribute('data-state')).not.toBe('connected');
    expect(await page.getByTestId('nav-engineering').count()).toBe(0);
    await signOut();
  });

  it('an engineer compares the thumbprint, trusts the certificate, and the device connects', async () => {
    await signIn('demo-engineer');
    // Not connected yet: browsing says why instead of showing an empty tree.
    await page.getByTestId('nav-engineering').click();
    const deviceState = page.getByRole('status').filter({ hasText: 'browsing needs a connected device' });
    await deviceState.waitFor({ timeout: 15_000 });
    expect(await deviceState.innerText()).toContain('trust the server certificate under Devices');
    const browseError = page.getByRole('tree').getByRole('alert');
    await browseError.waitFor({ timeout: 15_000 });
    expect(await browseError.innerText()).toMatch(/^[^(]+ \([A-Z_]+\): /);
    expect(await page.getByTestId('browse-node').count()).toBe(0);
    await page.screenshot({ path: shot('browse-offline') });
    await page.getByTestId('nav-devices').click();
    const row = page.locator('[data-testid="cert-row"][data-trust="rejected"]').first();
    await row.waitFor({ timeout: 30_000 });
    const thumbprint = (await row.getAttribute('data-thumbprint'))!;
    const digits = thumbprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
    expect(digits).toMatch(/^[0-9A-F]{40}$/);
    const grouped = digits.match(/.{4}/g)!.join(' ');
    expect(await row.innerText()).toContain(grouped);
    await page.screenshot({ path: shot('certificates-rejected'), fullPage: true });

    await row.getByTestId('cert-trust').click();
    const dialog = page.getByTestId('cert-trust-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(grouped);
    await page.screenshot({ path: shot('certificates-trust-dialog') });
    await page.getByTestId('cert-trust-confirm').click();
    await page
      .locator(`[data-testid="cert-row"][data-thumbprint="${thumbprint}"][data-trust="trusted"]`)
      .waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('cert-trust-dialog').count()).toBe(0);
    await page.waitForSelector(`[data-device="${opcuaDevice}"][data-state="connected"]`, { timeout: 90_000 });
    await page.screenshot({ path: shot('certificates-trusted'), fullPage: true });
  }, 120_000);

  it('the engineer browses the OPC UA device to a variable and adds it as a new tag', async () => {
    await page.getByTestId('nav-engineering').click();
    expect(await page.getByTestId('browse-device').inputValue()).toBe(opcuaDevice);
    const node = (id: string) => page.locator(`[data-testid="browse-node"][data-node-id="${id}"]`);
    await node('ns=1;s=SS01').waitFor({ timeout: 30_000 });
    await node('ns=1;s=SS01').getByTestId('browse-expand').click();
    await node('ns=1;s=SS01.HX').getByTestId('browse-expand').click({ timeout: 15_000 });
    const variable = node(NODE);
    await variable.waitFor({ timeout: 15_000 });
    expect(await variable.getAttribute('data-node-class')).toBe('Variable');
    expect(await variable.innerText()).toContain('Double');
    await variable.click();

    // Prefilled from the node: the suggested name is the node's path, which the project already has.
    const name = page.getByTestId('addtag-name');
    expect(await name.inputValue()).toBe('SS01.HX.UA');
    await page.getByTestId('addtag-description').fill('Heat exchanger UA (copy from OPC UA)');
    await page.getByTestId('addtag-submit').click();
    const result = page.getByTestId('addtag-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-result')).toBe('refused');
    expect(await result.innerText()).toContain('SS01.HX.UA');
    await page.screenshot({ path: shot('addtag-duplicate'), fullPage: true });

    await name.fill(NEW_TAG);
    await page.getByTestId('addtag-range-min').fill('0');
    await page.getByTestId('addtag-range-max').fill('120');
    await page.getByTestId('addtag-submit').click();
    await page.waitForSelector('[data-testid="addtag-result"][data-result="added"]', { timeout: 15_000 });
    const text = await result.innerText();
    expect(text).toContain(`Added. ${NEW_TAG} is now in the project file`);
    expect(text).toMatch(/restart/i);
    await page.screenshot({ path: shot('addtag-added'), fullPage: true });

    const saved = parse(readFileSync(projectFile, 'utf8')) as ProjectConfig;
    const tag = saved.tags.find((t) => t.name === NEW_TAG) as
      (ProjectConfig['tags'][number] & { opcua?: { nodeId: string } }) | undefined;
    expect(tag).toMatchObject({
      device: opcuaDevice,
      kind: 'analog',
      range: [0, 120],
      description: { en: 'Heat exchanger UA (copy from OPC UA)' },
    });
    expect(tag?.opcua?.nodeId).toBe(NODE);
    await signOut();
  }, 90_000);

  it('the tree is usable by keyboard', async () => {
    await signIn('demo-engineer');
    await page.getByTestId('nav-engineering').click();
    const first = page.locator('[data-testid="browse-node"][data-node-id="ns=1;s=SS01"]');
    await first.waitFor({ timeout: 30_000 });
    await first.focus();
    await page.keyboard.press('ArrowRight'); // open SS01
    await page.locator('[data-testid="browse-node"][data-node-id="ns=1;s=SS01.HX"]').waitFor({ timeout: 15_000 });
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    // Down through SS01's children (equipment folders, and the alarm conditions the server
    // publishes) to HX, by keyboard only.
    const focusedNode = () => page.evaluate(() => document.activeElement?.getAttribute('data-node-id') ?? null);
    for (let i = 0; i < 40 && (await focusedNode()) !== 'ns=1;s=SS01.HX'; i++) await page.keyboard.press('ArrowDown');
    expect(await focusedNode()).toBe('ns=1;s=SS01.HX');
    await page.keyboard.press('Enter'); // opens the folder
    const variable = page.locator(`[data-testid="browse-node"][data-node-id="${NODE}"]`);
    await variable.waitFor({ timeout: 15_000 });
    await variable.focus();
    await page.keyboard.press('Enter'); // picks the variable
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="addtag-name"]') as HTMLInputElement | null)?.value === 'SS01.HX.UA',
    );
    expect(await variable.getAttribute('aria-selected')).toBe('true');
    await variable.focus();
    await page.keyboard.press('ArrowLeft'); // a leaf: steps out to HX
    await page.keyboard.press('ArrowLeft'); // closes HX
    await page.waitForSelector('[data-testid="browse-node"][data-node-id="ns=1;s=SS01.HX"][aria-expanded="false"]');
    expect(await page.locator(`[data-testid="browse-node"][data-node-id="${NODE}"]`).count()).toBe(0);
    await page.keyboard.press('ArrowUp'); // the folder above HX
    await page.keyboard.press('ArrowLeft'); // steps out to SS01
    await page.keyboard.press('ArrowLeft'); // closes SS01
    await page.waitForSelector('[data-testid="browse-node"][data-node-id="ns=1;s=SS01"][aria-expanded="false"]');
    await signOut();
  }, 60_000);

  it('a viewer has neither certificates nor the Engineering entry', async () => {
    await signIn('demo-viewer');
    await page.getByTestId('nav-devices').click();
    await page.locator(`[data-device="${opcuaDevice}"]`).waitFor();
    expect(await page.getByTestId('cert-table').count()).toBe(0);
    expect(await page.getByTestId('nav-engineering').count()).toBe(0);
    await page.goto(page.url().replace(/#.*$/, '#/engineering'));
    await page.getByText('You are not allowed here').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('browse-device').count()).toBe(0);
  });

  it('no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
