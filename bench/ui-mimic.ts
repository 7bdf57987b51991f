/**
 * How long the console takes to bring a big mimic up to date (part of `npm run bench:ui`;
 * runs on its own with `tsx bench/ui-mimic.ts`): the simulator and `serve` in their own
 * processes, every device polled once a second, Chromium signed in as an operator on a
 * generated screen of 1,000 elements bound to the plant's analog tags (700 values, 150 boxed
 * readouts, 100 analog bars, 50 transmitters).
 *
 * One update is one timer task or animation frame callback that changed the mimic: a flush of
 * the console's tag store (its coalescing timer or frame) or the once-a-second pass that
 * re-checks staleness — the listeners it calls, the React render and commit that follow in the
 * same task, and the style and layout of the page, forced right after the commit so they are
 * counted with the update that caused them. A script injected before the page loads wraps the
 * page's timers and frame callbacks to take these times (performance.now); only tasks that
 * changed something inside the mimic count.
 *
 *   mimic_bound_elements  elements on the screen bound to a tag (counted in the page)
 *   mimic_update_ms_p95   95th percentile of script + style + layout per update, ms
 *   mimic_update_ms_p50   median of the same
 *   mimic_script_ms_p95   the script part alone (flush + render + commit)
 *   updates               updates measured; updates_per_s; mutations_per_update (median)
 *   mimic_cpu_ms_per_s    the page's main-thread CPU time per second (DevTools ThreadTime: the
 *                         updates, paint and everything else the page does meanwhile), which other
 *                         load on the machine does not inflate as it inflates the wall-clock figures
 *   mimic_cpu_ms_per_update  the same per measured update (svg_cpu_ms_per_update for the SVG screen)
 *
 * Needs a build (`node scripts/build.mjs`) and /usr/bin/chromium. `ARGUS_BENCH_MIMIC_S`
 * sets the measured wall-clock seconds (default 60); `ARGUS_BENCH_PROFILE=1` then writes where
 * the page's main-thread time goes to stderr (bench/ui-profile.ts); `ARGUS_BENCH_SAMPLES=<path>` writes
 * every measured update as [total ms, script ms, mutations] to `<path>.<variant>.json`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MimicElementDto } from '../preload/contract.js';
import type { ProjectConfig } from '../main/runtime/config/schema.js';
import { launchChromium } from '../test/support/browser.js';
import { startStationFixture } from '../test/support/station-fixture.js';
import { benchMeta } from './meta.js';
import { profileToStderr } from './ui-profile.js';
import { rendererThreadTime, signInAsOperator } from './support/console-page.js';

const WARMUP_MS = 10_000;
const SCREEN_ID = 'bench-mimic';
/** Timers at least this long are timed: the tag store's flush (100 ms), the clock's second, the drawing's pass. */
const MIN_TIMER_MS = 100;

export interface MimicFigures {
  readonly mimic_bound_elements: number;
  readonly mimic_update_ms_p95: number;
  readonly mimic_update_ms_p50: number;
  readonly mimic_script_ms_p95: number;
  readonly updates: number;
  readonly updates_per_s: number;
  readonly mutations_per_update: number;
  readonly cpu_ms_per_s: number;
  readonly cpu_ms_per_update: number;
  readonly wall_s: number;
}

/** 1,000 bound elements on a 2400 × 1400 grid, round-robin over the analog tags. */
export function benchScreenElements(tags: readonly string[], count = 1000): MimicElementDto[] {
  const columns = 20;
  const elements: MimicElementDto[] = [];
  for (let i = 0; i < count; i++) {
    const tag = tags[i % tags.length]!;
    const x = 10 + (i % columns) * 119;
    const y = 30 + Math.floor(i / columns) * 27;
    if (i % 20 < 14) elements.push({ kind: 'value', tag, x, y, label: `V${i}` });
    else if (i % 20 < 17) elements.push({ kind: 'readout', tag, x, y: y - 16 });
    else if (i % 20 < 19) elements.push({ kind: 'analog-bar', tag, x, y: y - 18, length: 60 });
    else elements.push({ kind: 'transmitter', tag, x: x + 12, y: y - 6, letters: 'XT' });
  }
  return elements;
}

/** The same 1,000 bindings as a drawing imported from SVG: text bound with data-tag, every tenth a level bar. */
export function benchSvg(tags: readonly string[], count = 1000): string {
  const columns = 20;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const tag = tags[i % tags.length]!;
    const x = 10 + (i % columns) * 119;
    const y = 30 + Math.floor(i / columns) * 27;
    if (i % 10 === 9) parts.push(`<rect x="${x}" y="${y - 16}" width="100" height="18" data-bind="level:${tag}"/>`);
    else parts.push(`<text x="${x}" y="${y}" font-size="15">V${i} <tspan data-tag="${tag}">--</tspan></text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2400 1400">\n${parts.join('\n')}\n</svg>\n`;
}

export type MimicVariant = 'symbols' | 'svg';

function withBenchScreen(variant: MimicVariant, svgFile: string): (project: ProjectConfig) => ProjectConfig {
  return (project) => {
    const analog = project.tags.filter((t) => (t.kind ?? 'analog') === 'analog').map((t) => t.name);
    const title = 'Mimic benchmark: 1,000 bound elements';
    if (variant === 'svg') writeFileSync(svgFile, benchSvg(analog));
    const screen =
      variant === 'svg'
        ? { id: SCREEN_ID, title, level: 3, width: 2400, height: 1400, elements: [], svg: svgFile }
        : { id: SCREEN_ID, title, level: 3, width: 2400, height: 1400, elements: benchScreenElements(analog) };
    return { ...project, screens: [...project.screens, screen] };
  };
}

/**
 * Before any page script: time every flush of the tag store through its commit and layout.
 * Plain text (not a function's source), so nothing the TypeScript loader adds reaches the page.
 */
const FLUSH_PROBE = `(() => {
  window.__mimicSamples = [];
  let observer = null;
  let changed = 0;
  const inMimic = (records) => records.filter((r) => (r.target.nodeType === 3 ? r.target.parentElement : r.target)?.closest?.('.mimic')).length;
  const timed = (fn) => function (...args) {
    if (!observer) {
      // Mutation records reach the callback in a microtask that may run before ours: count both.
      observer = new MutationObserver((records) => { changed += inMimic(records); });
      observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
    }
    observer.takeRecords();
    changed = 0;
    const t0 = performance.now();
    fn.apply(this, args);
    // React renders a store change in a microtask queued during the task: this one runs after its commit.
    queueMicrotask(() => {
      const t1 = performance.now();
      void document.documentElement.offsetHeight; // style and layout, now
      const t2 = performance.now();
      window.__mimicSamples.push([t2 - t0, t1 - t0, changed + inMimic(observer.takeRecords())]);
    });
  };
  const originalTimeout = window.setTimeout.bind(window);
  const originalInterval = window.setInterval.bind(window);
  window.setTimeout = (fn, delay, ...args) => (typeof fn === 'function' && delay >= ${MIN_TIMER_MS} ? originalTimeout(timed(fn), delay, ...args) : originalTimeout(fn, delay, ...args));
  window.setInterval = (fn, delay, ...args) => (typeof fn === 'function' && delay >= ${MIN_TIMER_MS} ? originalInterval(timed(fn), delay, ...args) : originalInterval(fn, delay, ...args));
  // A store that flushes in an animation frame instead of (or before) its timer.
  const originalFrame = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (fn) => originalFrame(typeof fn === 'function' ? timed(fn) : fn);
})();`;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** One screen variant: the symbol library (`symbols`, the default) or an imported SVG drawing (`svg`). */
export async function runMimicVariant(variant: MimicVariant, wallMs: number): Promise<MimicFigures> {
  const tmp = mkdtempSync(join(tmpdir(), 'argus-bench-mimic-'));
  const fx = await startStationFixture('bench-ui-mimic', {
    intervalMs: 1000,
    simArgs: ['--speed', '30'],
    editProject: withBenchScreen(variant, join(tmp, 'bench.svg')),
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.addInitScript(FLUSH_PROBE);
    await signInAsOperator(page, fx.url, fx.passwords.get('demo-operator')!);
    await page.waitForSelector('[data-tag][data-quality="Good"]', { timeout: 60_000 });
    await page.goto(`${fx.url}#/screen/${SCREEN_ID}`);
    await page.waitForSelector(`[data-screen="${SCREEN_ID}"] [data-tag][data-quality="Good"]`, { timeout: 60_000 });
    await page.waitForTimeout(WARMUP_MS);
    const bound = await page.evaluate((id) => {
      const root = document.querySelector(`[data-screen="${id}"]`);
      if (!root) return 0;
      const drawn = root.querySelectorAll('[data-bind-tags]').length;
      return (
        drawn +
        root.querySelectorAll(
          '[data-symbol="readout"], [data-symbol="analog-bar"], [data-symbol="transmitter"], .mimic-value > .live',
        ).length -
        root.querySelectorAll('[data-symbol] .mimic-value > .live').length
      );
    }, SCREEN_ID);
    await page.evaluate(() => {
      (window as unknown as { __mimicSamples: number[][] }).__mimicSamples.length = 0;
    });
    const { cdp, threadTime } = await rendererThreadTime(page);
    const cpuBefore = await threadTime();
    const started = Date.now();
    await page.waitForTimeout(wallMs);
    const cpuMs = (await threadTime()) - cpuBefore;
    const samples = await page.evaluate(() =>
      (window as unknown as { __mimicSamples: number[][] }).__mimicSamples.slice(),
    );
    const wall = Date.now() - started;
    if (process.env.ARGUS_BENCH_PROFILE === '1') await profileToStderr(`mimic (${variant})`, browser, page, cdp);
    const updates = samples.filter((s) => s[2]! > 0);
    if (process.env.ARGUS_BENCH_SAMPLES)
      writeFileSync(`${process.env.ARGUS_BENCH_SAMPLES}.${variant}.json`, JSON.stringify(updates));
    const total = updates.map((s) => s[0]!).sort((a, b) => a - b);
    const script = updates.map((s) => s[1]!).sort((a, b) => a - b);
    const mutations = updates.map((s) => s[2]!).sort((a, b) => a - b);
    return {
      mimic_bound_elements: bound,
      mimic_update_ms_p95: round(percentile(total, 0.95)),
      mimic_update_ms_p50: round(percentile(total, 0.5)),
      mimic_script_ms_p95: round(percentile(script, 0.95)),
      updates: updates.length,
      updates_per_s: round(updates.length / (wall / 1000), 1),
      mutations_per_update: percentile(mutations, 0.5),
      cpu_ms_per_s: round(cpuMs / (wall / 1000), 1),
      cpu_ms_per_update: round(cpuMs / Math.max(1, updates.length), 1),
      wall_s: Math.round(wall / 1000),
    };
  } finally {
    await browser.close();
    await fx.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * `bench:ui`'s mimic figures: the symbol-library screen (`mimic_*`), and the same bindings
 * drawn in an imported SVG screen (`svg_update_ms_p95`, `svg_bound_elements`).
 */
export async function runMimicBench(wallMs = Number(process.env.ARGUS_BENCH_MIMIC_S ?? 60) * 1000): Promise<
  Omit<MimicFigures, 'cpu_ms_per_s' | 'cpu_ms_per_update'> & {
    mimic_cpu_ms_per_s: number;
    mimic_cpu_ms_per_update: number;
    svg_bound_elements: number;
    svg_update_ms_p95: number;
    svg_update_ms_p50: number;
    svg_cpu_ms_per_update: number;
  }
> {
  const { cpu_ms_per_s, cpu_ms_per_update, ...symbols } = await runMimicVariant('symbols', wallMs);
  const svg = await runMimicVariant('svg', wallMs);
  return {
    ...symbols,
    mimic_cpu_ms_per_s: cpu_ms_per_s,
    mimic_cpu_ms_per_update: cpu_ms_per_update,
    svg_bound_elements: svg.mimic_bound_elements,
    svg_update_ms_p95: svg.mimic_update_ms_p95,
    svg_update_ms_p50: svg.mimic_update_ms_p50,
    svg_cpu_ms_per_update: svg.cpu_ms_per_update,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runMimicBench();
  console.log(
    JSON.stringify({
      ...figures,
      targets: { mimic_update_ms_p95: '< 8' },
      ...benchMeta(
        'generated screen of 1,000 bound elements (700 values, 150 readouts, 100 analog bars, 50 transmitters; and as an imported SVG, 900 texts + 100 level bars) on the demo plant, devices polled every 1 s, Chromium 1920×1080',
      ),
    }),
  );
}
