/**
 * The alarm summary in Chromium during a flood (`npm run bench:alarms-ui`), through the
 * station server as a plant runs it: the simulator and `serve` in their own processes,
 * 10,000 high alarms configured on the simulator PLC's analog tags (the demo project's
 * own alarms replaced), the PLC's Modbus server held stopped until the console shows the
 * summary, then started: every alarm activates within a poll or two, a real flood through
 * the engine, the journal and the window's alarm feed.
 *
 *   ui_flood_paint_ms        first flood alarm activated in the engine → the open summary has
 *                            painted its rows with all 10,000 counted
 *   ui_first_paint_ms        reloading the console on `#/alarms` during the flood (bundle,
 *                            sign-in check, socket, snapshot, the 10,000-alarm list) → rows painted
 *   ui_scroll_frame_ms_p95   95th percentile of the renderer main thread's CPU time per scroll
 *                            step (140 px, two frames) through the 10,000 rows: the work a frame
 *                            must fit in 16 ms, which other load on the machine does not inflate
 *   ui_scroll_frame_wall_ms_p95  the same scroll as wall-clock frame intervals with Chromium's
 *                            frame-rate limit off (inflated when the cores are busy: see loadavg)
 *
 * Only real alarms count: the figures are taken once the summary says 10,000 flood
 * alarms (ids `…FLOOD…`) are on the list. Prints one JSON line (figures, workload, commit,
 * date, cores, load). Needs a build (`node scripts/build.mjs`) and /usr/bin/chromium.
 */
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';
import { demoTagsByProtocol, readDemoProject } from '../test/support/demo-project.js';
import { startStationFixture, type StationFixture } from '../test/support/station-fixture.js';
import { withFloodAlarms } from '../test/support/console-alarms.js';
import { benchMeta } from './meta.js';
import { quantile, rendererThreadTime, requireConsoleBuild, round1, signInAsOperator } from './support/console-page.js';

const FLOOD = 10_000;
const SCROLL_FRAMES = 600;
const CPU_STEPS = 200;
const p95 = (xs: number[]): number => quantile(xs, 0.95);
const median = (xs: number[]): number => quantile(xs, 0.5);

/** In the page: resolves at the first frame after the summary shows `count` alarms and has rows (double rAF: painted). */
function paintedWhenCounted(page: Page, count: number, timeoutMs: number): Promise<{ perfNow: number; wall: number }> {
  return page.evaluate(
    ([want, timeout]) =>
      new Promise<{ perfNow: number; wall: number }>((resolve, reject) => {
        const until = performance.now() + timeout;
        const check = () => {
          const el = document.querySelector('[data-testid="alarm-summary-count"]');
          const total = Number(el?.getAttribute('data-total') ?? 0);
          if (total >= want && document.querySelector('[data-testid="alarm-row"]')) {
            requestAnimationFrame(() =>
              resolve({ perfNow: performance.now(), wall: performance.timeOrigin + performance.now() }),
            );
            return;
          }
          if (performance.now() > until) return reject(new Error(`the summary showed ${total} alarms, not ${want}`));
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    [count, timeoutMs] as const,
  );
}

async function main(): Promise<void> {
  requireConsoleBuild();
  const { modbus } = demoTagsByProtocol(readDemoProject());
  const browser = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
  let station: StationFixture | null = null;
  try {
    station = await startStationFixture('bench-alarms-ui', {
      // Hold the PLC silent: the flood comes when it answers again.
      beforeStation: async (sim) => {
        sim.send('modbus stop');
        await sim.waitFor(/modbus.*stop/i, 10_000).catch(() => undefined);
      },
      editProject: (project) => withFloodAlarms(project, FLOOD, modbus),
    });
    const { sim, url } = station;

    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // tsx keeps function names with a `__name` helper that functions sent to the page need too.
    await context.addInitScript('globalThis.__name = (f) => f;');
    const page = await context.newPage();
    await signInAsOperator(page, url, station.passwords.get('demo-operator')!);
    await page.waitForSelector('[data-testid="alarm-banner"][data-loaded="true"]', { timeout: 30_000 });
    await page.getByTestId('nav-alarms').click();
    await page.waitForSelector('[data-testid="alarm-summary"]');

    // The flood, live, into the open summary.
    sim.send('modbus start');
    const live = await paintedWhenCounted(page, FLOOD, 120_000);
    const listed = await page.evaluate(async () => {
      const res = await fetch('/api/v1/alarms', { credentials: 'same-origin' });
      const body = (await res.json()) as
        { alarms?: { id: string; activeSince: number | null }[] } | { id: string; activeSince: number | null }[];
      const list = Array.isArray(body) ? body : (body.alarms ?? []);
      const flood = list.filter((a) => a.id.includes('.FLOOD'));
      return { flood: flood.length, firstActive: Math.min(...flood.map((a) => a.activeSince ?? Infinity)) };
    });
    if (listed.flood < FLOOD) throw new Error(`the station lists ${listed.flood} flood alarms, not ${FLOOD}`);
    const floodPaint = live.wall - listed.firstActive;

    // Opening the console on the summary during the flood.
    await page.reload();
    const cold = await paintedWhenCounted(page, FLOOD, 120_000);

    // Scrolling the 10,000 rows, two ways. Wall: frame intervals with the frame-rate limit
    // off (a frame's time is its work, plus whatever else the machine is doing). Work: the
    // renderer main thread's CPU time per scroll step (scroll 140 px, wait two frames), read
    // from the DevTools Performance domain, which other processes on the cores do not inflate.
    const wallFrames = await page.evaluate(
      (n) =>
        new Promise<number[]>((resolve) => {
          const el = document.querySelector<HTMLElement>('[data-testid="alarm-scroll"]')!;
          const times: number[] = [];
          let last = 0;
          let i = 0;
          const step = (t: number) => {
            if (last) times.push(t - last);
            last = t;
            el.scrollTop += 140;
            if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) el.scrollTop = 0;
            if (++i <= n) requestAnimationFrame(step);
            else resolve(times);
          };
          requestAnimationFrame(step);
        }),
      SCROLL_FRAMES,
    );
    const { threadTime } = await rendererThreadTime(page);
    // The same step without scrolling: what the measuring itself costs (CDP, the evaluate).
    const idleSteps: number[] = [];
    for (let i = 0; i < 50; i++) {
      const before = await threadTime();
      await page.evaluate(
        () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
      );
      idleSteps.push((await threadTime()) - before);
    }
    const workFrames: number[] = [];
    for (let i = 0; i < CPU_STEPS; i++) {
      const before = await threadTime();
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const el = document.querySelector<HTMLElement>('[data-testid="alarm-scroll"]')!;
            el.scrollTop = el.scrollTop + el.clientHeight + 140 >= el.scrollHeight ? 0 : el.scrollTop + 140;
            requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
          }),
      );
      workFrames.push((await threadTime()) - before);
    }
    const rowsPainted = await page.locator('[data-testid="alarm-row"]').count();
    const figures = {
      flood_alarms: FLOOD,
      ui_first_paint_ms: round1(cold.perfNow),
      ui_flood_paint_ms: round1(floodPaint),
      ui_scroll_frame_ms_p95: round1(p95(workFrames)),
      ui_scroll_frame_ms_median: round1(median(workFrames)),
      ui_idle_step_ms_median: round1(median(idleSteps)),
      ui_scroll_frame_wall_ms_p95: round1(p95(wallFrames)),
      ui_scroll_frame_wall_ms_median: round1(median(wallFrames)),
      ui_rows_in_dom: rowsPainted,
      targets: { ui_first_paint_ms: 500, ui_scroll_frame_ms_p95: 16 },
    };
    console.log(
      JSON.stringify({
        ...figures,
        ...benchMeta(
          `alarm summary in Chromium (1920×1080) through serve: ${FLOOD} high alarms on ${modbus.length} simulator Modbus tags, raised when the PLC answers; ${SCROLL_FRAMES} wall-clock scroll frames and ${CPU_STEPS} CPU-timed scroll steps of 140 px`,
        ),
      }),
    );
  } finally {
    await browser.close();
    await station?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
