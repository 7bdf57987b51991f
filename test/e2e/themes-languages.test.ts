/// <reference lib="dom" />
/**
 * End to end in Chromium: the console's two themes and two languages on every screen.
 * Switch to Chinese and back (texts and <html lang> change, the choice survives a reload for
 * the same user), switch to dark and back, no visible text below 12 px at 1366×768 on any
 * screen in either theme, the keyboard help opens with F1 and `?`, the sign-in screen's demo
 * table stays inside its card. Screenshots of every screen in both themes at 1920×1080 and
 * 1366×768 go to test/e2e/screenshots/ (ignored by git).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { readDemoProject } from '../support/demo-project.js';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
] as const;
const THEMES = ['light', 'dark'] as const;

/** Every place of the console an administrator can reach, by hash. */
function places(): { name: string; hash: string }[] {
  const screens = readDemoProject().screens.map((s) => ({ name: `screen-${s.id}`, hash: `#/screen/${s.id}` }));
  const fixed = [
    'devices',
    'tags',
    'trends',
    'alarms',
    'alarms/journal',
    'alarms/kpis',
    'outlook',
    'audit',
    'admin',
    'engineering',
    'models',
  ];
  return [...screens, ...fixed.map((p) => ({ name: p.replace('/', '-'), hash: `#/${p}` }))];
}

interface SmallText {
  readonly text: string;
  readonly px: number;
  readonly where: string;
}

/**
 * Every visible text node's rendered font size: CSS px for HTML, and for SVG text the font
 * size times the drawing's scale (a viewBox shrinks its labels with it).
 */
function smallTexts(page: Page, minPx: number): Promise<SmallText[]> {
  return page.evaluate((min) => {
    const found: { text: string; px: number; where: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const describe = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && parts.length < 4; e = e.parentElement) {
        const id = e.getAttribute('data-testid') ?? e.id;
        const cls =
          typeof e.className === 'string'
            ? e.className.split(/\s+/).filter(Boolean)[0]
            : (e.getAttribute('class') ?? '').split(/\s+/)[0];
        parts.unshift(`${e.tagName.toLowerCase()}${id ? `#${id}` : ''}${cls ? `.${cls}` : ''}`);
      }
      return parts.join(' > ');
    };
    while (walker.nextNode()) {
      const node = walker.currentNode as Text;
      const text = node.textContent?.trim() ?? '';
      const el = node.parentElement;
      if (!text || !el || el.closest('title, style, script, option, template')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width < 2 || box.height < 2 || box.bottom < 0 || box.top > window.innerHeight) continue;
      const style = getComputedStyle(el);
      if (style.visibility !== 'visible' || Number(style.opacity) === 0) continue;
      let px = parseFloat(style.fontSize);
      const owner: Element = el; // a text node's parent may be SVG (typed HTMLElement by the DOM library)
      if (owner instanceof SVGGraphicsElement) {
        const m = owner.getScreenCTM();
        if (m) px *= Math.hypot(m.a, m.b);
      }
      if (px < min - 0.05) found.push({ text: text.slice(0, 40), px: Math.round(px * 10) / 10, where: describe(el) });
    }
    return found;
  }, minPx);
}

// A busy machine (the plant, the station and Chromium share two cores) needs room per step.
describe.skipIf(chromiumMissing)('themes, languages and keyboard in Chromium', { timeout: 180_000 }, () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const htmlLang = () => page.evaluate(() => document.documentElement.lang);
  const htmlTheme = () => page.evaluate(() => document.documentElement.dataset['theme'] ?? '');
  const openUserMenu = async () => {
    if ((await page.getByTestId('user-menu').getAttribute('aria-expanded')) !== 'true')
      await page.getByTestId('user-menu').click();
  };
  const signedIn = async () => {
    await page.locator('[data-testid="user-menu"], [data-testid="signin-form"]').first().waitFor();
    if (await page.getByTestId('signin-form').isVisible()) await page.getByTestId('demo-signin-demo-admin').click();
    await page.getByTestId('user-menu').waitFor();
  };
  const goto = async (hash: string) => {
    await page.evaluate((h) => {
      window.location.hash = h;
    }, hash);
    await page.waitForFunction((h) => window.location.hash === h, hash);
    await page.waitForTimeout(700); // live values and lazy lists settle
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    station = await startStationFixture('e2e-themes', { startTimeoutMs: 180_000 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: SIZES[0], locale: 'en-GB' });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    await page.getByTestId('signin-form').waitFor();
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('keeps the demo accounts table inside the sign-in card at both sizes', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.locator('.demo-accounts table').waitFor();
      const [card, table] = await Promise.all([
        page.locator('section.signin').boundingBox(),
        page.locator('.demo-accounts table').boundingBox(),
      ]);
      expect(table!.x).toBeGreaterThanOrEqual(card!.x);
      expect(table!.x + table!.width, `${size.width}×${size.height}`).toBeLessThanOrEqual(card!.x + card!.width + 0.5);
      await page.screenshot({ path: join(SHOTS, `light-${size.width}x${size.height}-signin.png`) });
    }
    await page.setViewportSize(SIZES[0]);
  });

  it('switches the sign-in screen to Chinese and back', async () => {
    await expect.poll(htmlLang).toBe('en-GB');
    await page.getByTestId('lang-zh').click();
    await expect.poll(htmlLang).toBe('zh-CN');
    expect(await page.locator('#signin-title').innerText()).toBe('登录');
    await page.screenshot({ path: join(SHOTS, 'light-1920x1080-signin-zh.png') });
    await page.getByTestId('lang-en').click();
    await expect.poll(htmlLang).toBe('en-GB');
    expect(await page.locator('#signin-title').innerText()).toBe('Sign in');
  });

  it('puts focus on the screen heading after sign-in, and each view of the console has a focusable heading', async () => {
    await page.getByTestId('demo-signin-demo-admin').click();
    await page.getByTestId('user-menu').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    for (const hash of ['#/tags', '#/devices', '#/alarms']) {
      await goto(hash);
      const h1 = page.locator('main h1[tabindex="-1"]').first();
      await h1.waitFor();
      await h1.focus();
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    }
  });

  it('switches to Chinese from the user menu, keeps it after a reload, and back to English', async () => {
    await signedIn();
    await goto('#/alarms');
    const title = page.locator('#alarms-title');
    expect(await title.innerText()).toBe('Alarm summary');
    await openUserMenu();
    await page.getByTestId('lang-zh').click();
    await expect.poll(htmlLang).toBe('zh-CN');
    await expect.poll(() => title.innerText()).toBe('报警一览');
    expect(await page.getByTestId('horn-state').innerText()).toMatch(/喇叭|消音/);
    await page.screenshot({ path: join(SHOTS, 'light-1920x1080-alarms-zh.png') });

    await page.reload();
    await page.getByTestId('user-menu').waitFor();
    await expect.poll(htmlLang).toBe('zh-CN');
    await expect.poll(() => page.locator('#alarms-title').innerText()).toBe('报警一览');

    // Another console (nothing in its storage): the user's language comes from the station's preferences.
    const other = await browser.newContext({ viewport: SIZES[1], locale: 'en-GB' });
    try {
      const second = await other.newPage();
      await second.goto(`${station.url}#/alarms`);
      await second.getByTestId('demo-signin-demo-admin').click();
      await second.getByTestId('user-menu').waitFor();
      await expect.poll(() => second.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      await expect.poll(() => second.locator('#alarms-title').innerText()).toBe('报警一览');
    } finally {
      await other.close();
    }

    await openUserMenu();
    await page.getByTestId('lang-en').click();
    await expect.poll(htmlLang).toBe('en-GB');
    await expect.poll(() => page.locator('#alarms-title').innerText()).toBe('Alarm summary');
    await page.keyboard.press('Escape');
  });

  it('switches to the dark theme and back, remembered after a reload', async () => {
    await signedIn();
    const pageBackground = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(await htmlTheme()).toBe('light');
    const light = await pageBackground();
    await openUserMenu();
    await page.getByTestId('theme-dark').click();
    await expect.poll(htmlTheme).toBe('dark');
    const dark = await pageBackground();
    expect(dark).not.toBe(light);
    const channels = dark.match(/\d+/g)!.slice(0, 3).map(Number);
    expect(Math.max(...channels)).toBeLessThan(60);
    await page.reload();
    await page.getByTestId('user-menu').waitFor();
    await expect.poll(htmlTheme).toBe('dark');
    await openUserMenu();
    await page.getByTestId('theme-light').click();
    await expect.poll(htmlTheme).toBe('light');
    expect(await pageBackground()).toBe(light);
    await page.keyboard.press('Escape');
  });

  it('opens the keyboard help with F1 and with ?, translated, and closes it with Escape', async () => {
    await signedIn();
    await goto('#/tags');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('F1');
    const help = page.getByTestId('keyboard-help');
    await help.waitFor();
    expect(await help.getByTestId('shortcut').count()).toBeGreaterThanOrEqual(10);
    expect(await help.innerText()).toContain('F8');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    await openUserMenu();
    await page.getByTestId('lang-zh').click();
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('?');
    await help.waitFor();
    expect(await help.locator('h2').innerText()).toBe('键盘快捷键');
    await page.screenshot({ path: join(SHOTS, 'light-1920x1080-keyboard-help-zh.png') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await openUserMenu();
    await page.getByTestId('lang-en').click();
    await page.keyboard.press('Escape');
  });

  it('shows the quality reason of a tags-table value without a mouse', async () => {
    await signedIn();
    await goto('#/tags');
    const firstRow = page.locator('tr.tag-row').first();
    await firstRow.focus();
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => ({
      tag: document.activeElement?.getAttribute('data-tag'),
      described: document.activeElement?.getAttribute('aria-describedby'),
    }));
    expect(focused.tag).toBeTruthy();
    expect(focused.described).toBeTruthy();
    expect(await page.locator(`[id="${focused.described}"]`).innerText()).not.toBe('');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TR');
  });

  for (const theme of THEMES) {
    it(`has no text below 12 px at 1366×768 on any screen, ${theme} theme, and saves screenshots at both sizes`, async () => {
      await signedIn();
      await openUserMenu();
      await page.getByTestId(`theme-${theme}`).click();
      await page.keyboard.press('Escape');
      await expect.poll(htmlTheme).toBe(theme);
      const problems: string[] = [];
      for (const place of places()) {
        for (const size of SIZES) {
          await page.setViewportSize(size);
          await goto(place.hash);
          await page.screenshot({ path: join(SHOTS, `${theme}-${size.width}x${size.height}-${place.name}.png`) });
          if (size.width === 1366) {
            for (const s of await smallTexts(page, 12))
              problems.push(`${place.name}: "${s.text}" ${s.px}px at ${s.where}`);
          }
        }
      }
      await page.setViewportSize(SIZES[0]);
      expect(problems).toEqual([]);
    }, 600_000);
  }

  it('had no page errors', () => {
    expect(pageErrors.filter((e) => !/WebSocket|Failed to load resource/.test(e))).toEqual([]);
  });
});
