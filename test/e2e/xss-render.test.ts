/// <reference lib="dom" />
/**
 * Script payloads in project texts render as text: a copy of the demo project whose tag
 * descriptions, a screen label, a value label, a screen title and digital state labels
 * carry HTML/script payloads, served to Chromium. Every screen, the tags table, the
 * faceplate, the audit view (a write reason) and the users/tokens admin (a token label)
 * are opened; the payloads must appear as literal text, no script may run
 * (`window.__xss` stays undefined), no dialog may open, and the Content-Security-Policy
 * must report no violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium } from '../support/browser.js';
import type { ProjectConfig } from '../../main/runtime/config/schema.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const JS_URL = 'javascript:alert(1)';
const SVG = '"><svg onload="window.__xss=1"></svg>';
const ALL = [IMG, SCRIPT, JS_URL, SVG];

/** A writable analog tag on the overview, a writable digital (critical) one, and a tag on the Pumps screen. */
const ANALOG = 'SS01.MU.P_SP';
const DIGITAL = 'SS01.CV.AUTO';

/** The demo project (already pointing at the simulator) with payloads in its texts. */
function poisonedProject(rebound: ProjectConfig): ProjectConfig {
  const project = { ...rebound };
  project.tags = project.tags.map((tag) => {
    if (tag.name === ANALOG) return { ...tag, description: { en: IMG, zh: SCRIPT } };
    if (tag.name === DIGITAL)
      return { ...tag, description: { en: `${JS_URL} ${SVG}` }, states: { false: JS_URL, true: IMG } };
    return tag;
  });
  project.screens = project.screens.map((screen, i) => {
    let labelDone = false;
    let valueDone = false;
    const elements = screen.elements.map((e) => {
      if (e.kind === 'label' && !labelDone) {
        labelDone = true;
        return { ...e, text: `${IMG} ${SCRIPT}` };
      }
      if (e.kind === 'value' && !valueDone) {
        valueDone = true;
        return { ...e, label: SVG };
      }
      return e;
    });
    return { ...screen, title: i === 0 ? `${SCRIPT} ${JS_URL}` : screen.title, elements };
  });
  return project;
}

describe.skipIf(chromiumMissing)('project texts with script payloads render as text (Chromium)', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  let project: ProjectConfig;

  const noScriptRan = async () => {
    const state = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: unknown }).__xss,
      violations: (window as unknown as { __cspViolations: string[] }).__cspViolations,
      injected: document.querySelectorAll('img, script:not([src]), [onerror], [onload], a[href^="javascript:" i]')
        .length,
    }));
    expect(state.xss).toBeUndefined();
    expect(state.violations).toEqual([]);
    expect(state.injected).toBe(0);
    expect(dialogs).toEqual([]);
  };

  /** The whole document's text (HTML and SVG, tooltips included). */
  const documentText = () => page.evaluate(() => document.documentElement.textContent ?? '');

  beforeAll(async () => {
    station = await startStationFixture('e2e-xss', {
      simArgs: ['--speed', '60'],
      editProject: (rebound) => (project = poisonedProject(rebound)),
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(
          `${e.violatedDirective} ${e.blockedURI} ${e.sample} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        ),
      );
    });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(station.url);
    // An administrator sees every place, including the faceplate, the audit view and the users admin.
    await page.getByTestId('demo-signin-demo-admin').click();
    await page.waitForSelector(`[data-tag="${ANALOG}"][data-quality="Good"]`, { timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('every screen shows its label, value label and title payloads as text', async () => {
    for (const screen of project.screens) {
      await page.evaluate((id) => void (window.location.hash = `#/screen/${id}`), screen.id);
      await page.waitForSelector(`[data-screen="${screen.id}"]`);
      // Drawn screens carry the poisoned label and value label; the level-1 overview is tiles only.
      if (screen.elements.some((e) => e.kind === 'label'))
        expect(await page.locator('svg text.mimic-label').allTextContents()).toContain(`${IMG} ${SCRIPT}`);
      if (screen.elements.some((e) => e.kind === 'value'))
        expect(await page.locator('.live-label').allTextContents()).toContain(SVG);
      if (screen === project.screens[0]) {
        // The poisoned title is the display's heading, as text.
        await expect(page.locator('h1').allTextContents()).resolves.toContain(`${SCRIPT} ${JS_URL}`);
      }
      await noScriptRan();
    }
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-xss-screen.png') });
  });

  it('the tags table shows descriptions and state labels as text', async () => {
    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tags-filter').fill('SS01');
    const analogRow = page.locator(`[data-row-tag="${ANALOG}"]`);
    const digitalRow = page.locator(`[data-row-tag="${DIGITAL}"]`);
    await analogRow.waitFor();
    const analogText = await analogRow.locator('.tag-desc').textContent();
    expect(analogText).toContain(IMG);
    expect(analogText).toContain(SCRIPT);
    expect(await digitalRow.locator('.tag-desc').textContent()).toContain(`${JS_URL} ${SVG}`);
    await page.waitForSelector(`[data-row-tag="${DIGITAL}"] [data-tag="${DIGITAL}"][data-quality="Good"]`, {
      timeout: 20_000,
    });
    expect([JS_URL, IMG]).toContain(await digitalRow.locator(`[data-tag="${DIGITAL}"]`).textContent());
    await noScriptRan();
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-xss-tags.png') });
  });

  it('the faceplate shows description and state labels as text, and a payload reason reaches the audit view as text', async () => {
    await page.locator(`[data-row-tag="${DIGITAL}"] [data-tag="${DIGITAL}"]`).click();
    const faceplate = page.getByTestId('faceplate');
    await faceplate.waitFor();
    expect(await faceplate.textContent()).toContain(`${JS_URL} ${SVG}`);
    const options = await page.getByTestId('faceplate-input').locator('option').allTextContents();
    expect(options.some((o) => o.startsWith(IMG))).toBe(true);
    expect(options.some((o) => o.startsWith(JS_URL))).toBe(true);
    // The digital tag is critical in the demo: the write needs a reason, here a payload.
    expect(project.tags.find((t) => t.name === DIGITAL)!.critical).toBe(true);
    const current = await page.locator(`[data-row-tag="${DIGITAL}"] [data-tag="${DIGITAL}"]`).textContent();
    await page.getByTestId('faceplate-input').selectOption(current === IMG ? 'false' : 'true');
    await page.getByTestId('faceplate-apply').click();
    expect(await page.getByTestId('faceplate-change').textContent()).toMatch(/→/);
    await page.getByTestId('faceplate-reason').fill(`${IMG} ${SCRIPT}`);
    await page.getByTestId('faceplate-confirm').click();
    await page.getByTestId('faceplate-confirm-critical').click();
    await page.getByTestId('faceplate-result').waitFor({ timeout: 15_000 });
    await noScriptRan();
    await page.getByTestId('faceplate-close').click();

    await page.locator(`[data-row-tag="${ANALOG}"] [data-tag="${ANALOG}"]`).click();
    await faceplate.waitFor();
    const text = (await faceplate.textContent()) ?? '';
    expect(text).toContain(IMG);
    expect(text).toContain(SCRIPT);
    await noScriptRan();
    await page.getByTestId('faceplate-close').click();

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-filter-target').fill(DIGITAL);
    await page.getByTestId('audit-filter-apply').click();
    const row = page.locator(`[data-testid="audit-row"][data-target="${DIGITAL}"]`).first();
    await row.waitFor();
    expect(await row.locator('.audit-details').textContent()).toContain(`reason: ${IMG} ${SCRIPT}`);
    await noScriptRan();
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-xss-audit.png') });
  });

  it('a token label with a payload shows as text in the admin view', async () => {
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('token-label').fill(IMG);
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-created').waitFor();
    expect(await page.getByTestId('token-created').textContent()).toContain(IMG);
    await page.locator('[data-testid="tokens-table"] td', { hasText: IMG }).first().waitFor();
    await noScriptRan();
    await page.screenshot({ path: join(tmpdir(), 'argus-e2e-xss-admin.png'), fullPage: true });
  });

  it('the devices panel and the whole document hold the payloads only as text', async () => {
    await page.getByTestId('nav-devices').click();
    await noScriptRan();
    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tags-filter').fill('SS01');
    await page.locator(`[data-row-tag="${ANALOG}"]`).waitFor();
    const text = await documentText();
    for (const payload of ALL) expect(text).toContain(payload);
    await noScriptRan();
    expect(pageErrors).toEqual([]);
  });
});
