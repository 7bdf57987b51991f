/// <reference lib="dom" />
/**
 * End to end, the demo project's screens as drawn in Chromium: on every mimic screen of the
 * demo substation, in English and in Chinese, at 1920×1080 and 1366×768, no text (a label, a
 * symbol's name, a value with its label) is crossed by a pipe or drawn over another element's
 * text, none is cut (by its box or the screen's edge), and none is under 12 px. The boxes are
 * the glyph runs of the text nodes themselves (a Range's client rects), so a label that wraps
 * or a value that grows is measured as drawn. Screenshots go to test/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { readDemoProject } from '../support/demo-project.js';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { chromiumMissing, chromiumMissingMessage, launchChromium, recordPageErrors } from '../support/browser.js';

if (chromiumMissing) console.warn(`e2e skipped: ${chromiumMissingMessage}`);

const shots = new URL('./screenshots/', import.meta.url).pathname;

/** Everything wrong with the layout of the mimic on the page, one line each. */
function layoutProblems(page: Page, minFontPx: number): Promise<string[]> {
  return page.evaluate((minPx) => {
    type Box = { left: number; right: number; top: number; bottom: number };
    const svg = document.querySelector<SVGSVGElement>('.mimic .mimic-svg');
    if (!svg) return ['no mimic on the page'];
    const problems: string[] = [];
    const shrink = (b: Box, d: number): Box => ({
      left: b.left + d,
      right: b.right - d,
      top: b.top + d,
      bottom: b.bottom - d,
    });
    const overlap = (a: Box, b: Box) =>
      Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top);
    const inside = (a: Box, b: Box) =>
      a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
    // The element of the screen a node belongs to: the svg's child that holds it.
    const rootOf = (n: Node): Element | null => {
      let e: Node | null = n;
      while (e && e.parentNode !== svg) e = e.parentNode;
      return e as Element | null;
    };
    const nameOf = (root: Element | null): string =>
      root?.getAttribute('data-symbol') ??
      root?.querySelector('[data-tag]')?.getAttribute('data-tag') ??
      root?.getAttribute('class') ??
      '?';
    const scaleOf = (el: Element): number => {
      const host = el instanceof SVGGraphicsElement ? el : el.closest('foreignObject');
      const m = (host as SVGGraphicsElement | null)?.getScreenCTM();
      return m ? Math.hypot(m.a, m.b) : 1;
    };

    // Text as drawn: each visible text node's glyph boxes.
    const texts: { text: string; root: Element | null; boxes: Box[]; el: Element }[] = [];
    const walker = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const el = node.parentElement;
      if (!text || !el || el.closest('title, .live-pop, .live-unit-hidden')) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const boxes = [...range.getClientRects()].filter((r) => r.width >= 2 && r.height >= 2).map((r) => shrink(r, 1));
      if (boxes.length === 0) continue;
      texts.push({ text, root: rootOf(node), boxes, el });
      const px = parseFloat(getComputedStyle(el).fontSize) * scaleOf(el);
      if (px < minPx - 0.05) problems.push(`"${text}" is ${px.toFixed(1)} px (under ${minPx} px)`);
    }

    // A writable value's trend link (a glyph beside its box, for a user who may write) is read like text.
    for (const link of svg.querySelectorAll('.live-trend')) {
      // In a dense mimic it appears (above the value) only on hover or focus.
      if (!link.checkVisibility({ visibilityProperty: true })) continue;
      const r = link.getBoundingClientRect();
      if (r.width >= 2 && r.height >= 2)
        texts.push({
          text: `trend link of ${link.getAttribute('data-tag-trend')}`,
          root: rootOf(link),
          boxes: [shrink(r, 1)],
          el: link,
        });
    }

    // Cut: past the screen's edge, or past the box (foreignObject) or clipping element that holds it.
    const screen = svg.querySelector('.mimic-bg')!.getBoundingClientRect();
    const svgBox = svg.getBoundingClientRect();
    // The part of the drawing in the window (a screen taller than the window would be cut).
    const view = {
      left: Math.max(svgBox.left, 0),
      top: Math.max(svgBox.top, 0),
      right: Math.min(svgBox.right, window.innerWidth),
      bottom: Math.min(svgBox.bottom, window.innerHeight),
    };
    for (const t of texts) {
      // A foreignObject clips what overflows it unless its overflow is visible.
      const box = t.el.closest('foreignObject');
      const holder = box && getComputedStyle(box).overflow !== 'visible' ? box.getBoundingClientRect() : undefined;
      for (const b of t.boxes) {
        if (!inside(b, screen) || !inside(b, view)) problems.push(`"${t.text}" is cut by the screen's edge`);
        else if (holder && !inside(b, holder)) problems.push(`"${t.text}" is cut by its box (${nameOf(t.root)})`);
      }
      for (let e: Element | null = t.el; e && e !== svg && !(e instanceof SVGElement); e = e.parentElement) {
        const cs = getComputedStyle(e);
        const clips = cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
        if (clips && e.scrollWidth > e.clientWidth + 1) {
          problems.push(`"${t.text}" is cut (${e.className || e.tagName})`);
          break;
        }
      }
    }

    // Crossed by a pipe: a pipe's segment through a glyph box.
    const segments: { a: DOMPoint; b: DOMPoint; pipe: string }[] = [];
    for (const line of svg.querySelectorAll<SVGPolylineElement>('.pipe .pipe-line')) {
      const m = line.getScreenCTM();
      if (!m) continue;
      const pts = [...line.points].map((p) => new DOMPoint(p.x, p.y).matrixTransform(m));
      const pipe = line.closest('.pipe')?.getAttribute('class') ?? 'pipe';
      for (let i = 1; i < pts.length; i++) segments.push({ a: pts[i - 1]!, b: pts[i]!, pipe });
    }
    const crosses = (s: { a: DOMPoint; b: DOMPoint }, r: Box): boolean => {
      // Liang–Barsky clip of the segment against the box.
      let t0 = 0;
      let t1 = 1;
      const dx = s.b.x - s.a.x;
      const dy = s.b.y - s.a.y;
      for (const [p, q] of [
        [-dx, s.a.x - r.left],
        [dx, r.right - s.a.x],
        [-dy, s.a.y - r.top],
        [dy, r.bottom - s.a.y],
      ] as const) {
        if (p === 0) {
          if (q < 0) return false;
        } else {
          const u = q / p;
          if (p < 0) t0 = Math.max(t0, u);
          else t1 = Math.min(t1, u);
          if (t0 > t1) return false;
        }
      }
      return true;
    };
    for (const t of texts)
      if (t.boxes.some((b) => segments.some((s) => crosses(s, b))))
        problems.push(`"${t.text}" (${nameOf(t.root)}) is crossed by a pipe`);

    // Drawn over another element's text.
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i]!;
        const b = texts[j]!;
        if (a.root === b.root) continue;
        if (a.boxes.some((x) => b.boxes.some((y) => overlap(x, y))))
          problems.push(`"${a.text}" (${nameOf(a.root)}) overlaps "${b.text}" (${nameOf(b.root)})`);
      }
    return [...new Set(problems)];
  }, minFontPx);
}

describe.skipIf(chromiumMissing)('demo screens: labels clear of pipes and of each other, none cut (Chromium)', () => {
  let station: StationFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const screens = readDemoProject()
    .screens.filter((s) => s.level !== 1)
    .map((s) => s.id);

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    station = await startStationFixture('e2e-demo-layout');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    recordPageErrors(page, pageErrors);
    await page.goto(station.url);
    // An operator: writable values are boxed and carry their trend link, as the operator sees them.
    await page.getByTestId('demo-signin-demo-operator').click();
    await page.waitForSelector('[data-testid="user-name"]', { timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('lists the demo mimic screens', () => {
    expect(screens).toEqual(expect.arrayContaining(['overview', 'pump-1', 'pump-2', 'hx', 'loop', 'sketch']));
  });

  for (const lang of ['en', 'zh'] as const)
    it(`every demo screen in ${lang === 'en' ? 'English' : 'Chinese'} at 1920×1080 and 1366×768`, async () => {
      await page.getByTestId('user-menu').click();
      await page.getByTestId(`lang-${lang}`).click();
      await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), lang);
      await page.keyboard.press('Escape');
      const found: string[] = [];
      for (const [w, h] of [
        [1920, 1080],
        [1366, 768],
      ] as const) {
        await page.setViewportSize({ width: w, height: h });
        for (const id of screens) {
          await page.evaluate((x) => (window.location.hash = x), `#/screen/${id}`);
          await page.waitForSelector(`.mimic[data-screen="${id}"]`, { timeout: 15_000 });
          // Values as they read with data (their width is the layout's), not the first "—".
          await page.waitForFunction(
            () => {
              const values = [...document.querySelectorAll('.mimic [data-tag][data-quality]')];
              return values.length === 0 || values.every((v) => v.getAttribute('data-quality') === 'Good');
            },
            undefined,
            { timeout: 30_000 },
          );
          await page.waitForTimeout(300);
          await page.mouse.move(2, h - 4);
          await page.screenshot({ path: join(shots, `demo-layout-${id}-${lang}-${w}x${h}.png`) });
          for (const p of await layoutProblems(page, 12)) found.push(`${id} ${lang} ${w}×${h}: ${p}`);
        }
      }
      await page.setViewportSize({ width: 1920, height: 1080 });
      expect(found).toEqual([]);
    });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
