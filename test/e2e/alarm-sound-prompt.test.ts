/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * End to end, the "click to enable sound" prompt: Chromium with desktop Chrome's autoplay
 * policy, a console signed in over HTTP (the session cookie handed to the browser, so the
 * page has never had a click or a key press), and an alarm raised in the simulator. The
 * horn must ask for sound (`data-audio="blocked"`) with a visible prompt, in English and in
 * Chinese; one click on the prompt starts the audio and removes it, and the horn keeps
 * sounding until it is silenced. Screenshots of the banner with the prompt at 1920×1080
 * and 1366×768 land in test/e2e/screenshots/.
 *
 * Two things keep the browser honest here:
 * - the policy is `document-user-activation-required` (Chrome's default on the desktop):
 *   under `user-gesture-required` Chromium lets a top-level page's AudioContext run anyway
 *   (that policy only holds Web Audio back in cross-origin frames), so nothing is blocked;
 * - until the click, the page is read and photographed through CDP directly: Playwright's
 *   own evaluations (locators, waitForSelector) and page.screenshot run with a user gesture,
 *   which counts as the page's activation and would let the audio start unasked. Every
 *   step checks `navigator.userActivation.hasBeenActive` is still false.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { ProjectConfig } from '../../main/runtime/config/schema.js';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';
import { signIn } from '../support/sign-in.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const shotDir = join(import.meta.dirname, 'screenshots');
mkdirSync(shotDir, { recursive: true });

/** A writable tag the simulator sets on command, with the only alarm of the test project. */
const TAG = 'SS01.MU.P_HYST';
const ALARM_LIMIT = 0.8;

/** The demo project with one high alarm on TAG and nothing else that could sound the horn. */
function withOneAlarm(project: ProjectConfig): ProjectConfig {
  return {
    ...project,
    alarmSettings: { ...project.alarmSettings, commLostPriority: 'off' } as ProjectConfig['alarmSettings'],
    tags: project.tags.map(({ alarms: _alarms, ...tag }) =>
      tag.name !== TAG
        ? tag
        : {
            ...tag,
            alarms: [
              {
                kind: 'high',
                limit: ALARM_LIMIT,
                deadband: 0.02,
                priority: 'high',
                onDelayS: 0,
                offDelayS: 0,
                latch: false,
                realarmS: 0,
                message: { en: 'Make-up hysteresis too wide', zh: '补水压力回差过大' },
              },
            ],
          },
    ),
  };
}

const hornSelector = '[data-testid="horn-state"]';
const promptSelector = '[data-testid="sound-enable"]';

/**
 * Looks at a page without touching it: CDP's Runtime.evaluate with no user gesture, and
 * Page.captureScreenshot. (Playwright's locators and page.screenshot would activate the page.)
 */
class HandsOff {
  private constructor(
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async attach(page: Page): Promise<HandsOff> {
    return new HandsOff(page, await page.context().newCDPSession(page));
  }

  async value<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.cdp.send('Runtime.evaluate', {
      expression,
      returnByValue: true,
      userGesture: false,
    });
    if (exceptionDetails)
      throw new Error(`${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  async waitFor(expression: string, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (await this.value<boolean>(`Boolean(${expression})`)) return;
      if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${expression}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  attr(selector: string, name: string): Promise<string | null> {
    return this.value(
      `document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)}) ?? null`,
    );
  }

  /** True while the page has never had a click or key press. */
  async untouched(): Promise<boolean> {
    return !(await this.value<boolean>('navigator.userActivation.hasBeenActive'));
  }

  async screenshot(path: string, selector?: string): Promise<void> {
    const clip = selector
      ? await this.value<{ x: number; y: number; width: number; height: number }>(
          `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
             return { x: r.left, y: r.top, width: r.width, height: r.height }; })()`,
        )
      : undefined;
    const { data } = await this.cdp.send('Page.captureScreenshot', {
      format: 'png',
      ...(clip ? { clip: { ...clip, scale: 1 } } : {}),
    });
    writeFileSync(path, Buffer.from(data, 'base64'));
  }
}

/** Where the prompt is and what is around it, read in the page. */
const promptLayout = `(() => {
  const prompt = document.querySelector(${JSON.stringify(promptSelector)});
  const box = prompt.getBoundingClientRect();
  const overlaps = [...document.querySelectorAll('[data-testid="alarm-banner"] .alarm-controls > *')]
    .filter((e) => e !== prompt)
    .filter((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.left < box.right - 0.5 && box.left < r.right - 0.5 && r.top < box.bottom - 0.5 && box.top < r.bottom - 0.5;
    })
    .map((e) => e.getAttribute('data-testid') ?? e.className);
  const banner = document.querySelector('[data-testid="alarm-banner"]').getBoundingClientRect();
  const centre = { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
  return {
    text: prompt.innerText.trim(),
    fontPx: parseFloat(getComputedStyle(prompt).fontSize),
    background: getComputedStyle(prompt).backgroundColor,
    // An ordinary button of the banner, for comparison.
    buttonBackground: getComputedStyle(document.querySelector('[data-testid="alarm-silence"]')).backgroundColor,
    visible: box.width > 0 && box.height > 0 && getComputedStyle(prompt).visibility === 'visible',
    box: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
    centre,
    banner: { top: banner.top, bottom: banner.bottom },
    viewport: { width: innerWidth, height: innerHeight },
    overlaps,
    onTop: prompt.contains(document.elementFromPoint(centre.x, centre.y)),
  };
})()`;

interface PromptLayout {
  text: string;
  fontPx: number;
  background: string;
  buttonBackground: string;
  visible: boolean;
  box: { left: number; top: number; right: number; bottom: number };
  centre: { x: number; y: number };
  banner: { top: number; bottom: number };
  viewport: { width: number; height: number };
  overlaps: string[];
  onTop: boolean;
}

/** The prompt is visible whole inside the window and the banner, at least 12 px, with nothing over or beside it overlapping. */
async function expectPromptClear(look: HandsOff, text: string): Promise<PromptLayout> {
  const layout = await look.value<PromptLayout>(promptLayout);
  expect(layout.visible).toBe(true);
  expect(layout.text).toBe(text);
  expect(layout.fontPx).toBeGreaterThanOrEqual(12);
  // It stands out from the banner's ordinary buttons.
  expect(layout.background).not.toBe(layout.buttonBackground);
  expect(layout.overlaps).toEqual([]);
  expect(layout.onTop).toBe(true);
  expect(layout.box.left).toBeGreaterThanOrEqual(0);
  expect(layout.box.right).toBeLessThanOrEqual(layout.viewport.width);
  expect(layout.box.top).toBeGreaterThanOrEqual(layout.banner.top);
  expect(layout.box.bottom).toBeLessThanOrEqual(layout.banner.bottom);
  return layout;
}

/** At 1920×1080 and 1366×768: the prompt checked clear, the window and the banner photographed. */
async function checkAndPhotograph(look: HandsOff, text: string, name: string): Promise<void> {
  for (const [width, height] of [
    [1920, 1080],
    [1366, 768],
  ] as const) {
    await look.page.setViewportSize({ width, height });
    await new Promise((r) => setTimeout(r, 300));
    await expectPromptClear(look, text);
    await look.screenshot(join(shotDir, `${name}-${width}x${height}.png`));
    await look.screenshot(join(shotDir, `${name}-banner-${width}x${height}.png`), '[data-testid="alarm-banner"]');
  }
  await look.page.setViewportSize({ width: 1920, height: 1080 });
}

describe.skipIf(chromiumMissing)('the prompt to enable the horn sound (Chromium, autoplay blocked)', () => {
  let station: StationFixture;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let look: HandsOff;
  const pageErrors: string[] = [];

  /** A 1920×1080 window signed in as `user` without any gesture on the page: the cookie comes from an HTTP sign-in. */
  async function openWithoutGesture(user: string, lang: 'en' | 'zh'): Promise<HandsOff> {
    const { cookie } = await signIn(station.url, user, station.passwords.get(user)!);
    const eq = cookie.indexOf('=');
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    contexts.push(context);
    await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: station.url }]);
    await context.addInitScript(
      ([u, l]) => {
        localStorage.setItem(`argus.lang.${u}`, l!);
        localStorage.setItem('argus.lang.-', l!);
      },
      [user, lang],
    );
    const page = await context.newPage();
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    const hands = await HandsOff.attach(page);
    await hands.waitFor(
      `document.querySelector('[data-testid="user-name"]')?.textContent.includes(${JSON.stringify(user)})`,
      15_000,
    );
    await hands.waitFor(`document.querySelector('[data-testid="alarm-banner"][data-loaded="true"]')`, 20_000);
    return hands;
  }

  beforeAll(async () => {
    station = await startStationFixture('e2e-sound-prompt', { editProject: withOneAlarm });
    browser = await launchChromium(['--autoplay-policy=document-user-activation-required']);
    look = await openWithoutGesture('demo-operator', 'en');
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await station?.stop();
  });

  it('before the alarm the horn is off and nothing asks for sound', async () => {
    expect(await look.attr(hornSelector, 'data-horn')).toBe('off');
    expect(await look.value<number>(`document.querySelectorAll(${JSON.stringify(promptSelector)}).length`)).toBe(0);
    expect(await look.untouched()).toBe(true);
  });

  it('an alarm sounds the horn; the browser blocks audio, and the banner asks for a click', async () => {
    station.sim.send(`set ${TAG} 0.95`);
    await station.sim.waitFor(new RegExp(`ok ${TAG.replace(/\./g, '\\.')} = 0\\.95`), 5_000);
    await look.waitFor(`document.querySelector('[data-testid="banner-alarm"][data-tag="${TAG}"]')`, 20_000);
    await look.waitFor(`document.querySelector('${hornSelector}[data-horn="on"]')`, 10_000);
    await look.waitFor(`document.querySelector('${hornSelector}[data-audio="blocked"]')`, 5_000);
    expect(await look.attr(hornSelector, 'data-horn-priority')).toBe('high');
    await checkAndPhotograph(look, 'Click to enable sound', 'alarm-sound-prompt-en');
    // Still blocked, and still untouched: nothing above counted as a gesture.
    expect(await look.attr(hornSelector, 'data-audio')).toBe('blocked');
    expect(await look.untouched()).toBe(true);
  });

  it('a Chinese console asks in Chinese', async () => {
    const zh = await openWithoutGesture('demo-admin', 'zh');
    await zh.waitFor(`document.querySelector('${hornSelector}[data-horn="on"][data-audio="blocked"]')`, 10_000);
    await checkAndPhotograph(zh, '点击启用声音', 'alarm-sound-prompt-zh');
    expect(await zh.untouched()).toBe(true);
    await zh.page.context().close();
  });

  it('one click on the prompt starts the sound and the prompt goes; the horn keeps sounding', async () => {
    const { centre } = await expectPromptClear(look, 'Click to enable sound');
    await look.page.mouse.click(centre.x, centre.y);
    await look.waitFor(`document.querySelector('${hornSelector}[data-audio="running"]')`, 5_000);
    await look.waitFor(`!document.querySelector(${JSON.stringify(promptSelector)})`, 5_000);
    // Not for one beep only: some periods later the horn still sounds, audible, with no prompt.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await look.attr(hornSelector, 'data-horn')).toBe('on');
    expect(await look.attr(hornSelector, 'data-audio')).toBe('running');
    expect(await look.page.getByTestId('sound-enable').count()).toBe(0);
  });

  it('silencing stops the horn, and no prompt comes back', async () => {
    const page = look.page;
    await page.getByTestId('alarm-silence').click();
    await page.waitForSelector(`${hornSelector}[data-horn="silenced"]`, { timeout: 10_000 });
    expect(await page.getByTestId('sound-enable').count()).toBe(0);
    expect(await page.locator(hornSelector).getAttribute('data-audio')).not.toBe('blocked');
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
