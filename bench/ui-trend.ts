/**
 * The Trends screen in Chromium through the station server (`tsx bench/ui-trend.ts`, and part
 * of `npm run bench:ui`, which imports `runTrendBench`). The simulator and `serve` run in
 * their own processes; before the station starts, its history file is filled with a real day
 * of one-second samples for eight analog tags of the demo plant (8 × 86,400 points, every
 * sample stored, noisy values from the simulator's seeded source), then the station appends
 * live samples of the same tags from the simulator's PLC.
 *
 *   trend_points               samples behind the drawn day: 8 pens × 86,400
 *   trend_render_ms            median over the runs of: a day of 8 pens asked for (the custom
 *                              range's Show) → drawn by uPlot (8 `history.trend` round trips on the
 *                              socket, the frame, React, setData and the canvas draw); User Timing
 *                              entries `argus.trend.render` measured in the page
 *   trend_render_ms_max        the slowest of those runs
 *   trend_render_client_ms     median of the console's own share of a render: the last reply in →
 *                              drawn (`argus.trend.render-client`); the rest is the station's queries
 *   trend_live_append_ms_p95   95th percentile, over a minute of a live 1-hour window of the 8
 *                              pens appending each second, of one append: the tail replies in →
 *                              frame slid and re-derived, React, setData and the canvas draw
 *                              (`argus.trend.append`)
 *   trend_live_appends         appends measured
 *   trend_live_cpu_ms_per_s    the renderer main thread's CPU time per live second (DevTools
 *                              ThreadTime over the minute / 60: the append and everything else the
 *                              page does meanwhile, socket messages included), which other load on
 *                              the machine does not inflate as it inflates the wall-clock figures
 *   trend_still_cpu_ms_per_s   the same for 20 s with the day drawn and nothing live (the header
 *                              clock, the alarm banner, values): what the page costs without appends
 *   trend_chart_instances_added  uPlot instances made during the live minute (0: every append
 *                              went through setData on the same chart)
 *
 * Prints one JSON line (figures, workload, commit, date, cores, load). Needs a build
 * (`node scripts/build.mjs`) and /usr/bin/chromium. Targets: render < 150 ms, append p95 < 8 ms.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { GOOD, type Sample } from '../protocols/driver.js';
import { openHistorian, STORE_EVERYTHING } from '../main/runtime/historian/index.js';
import { launchChromium } from '../test/support/browser.js';
import { readDemoProject } from '../test/support/demo-project.js';
import { startStationFixture, type StationFixture } from '../test/support/station-fixture.js';
import { createRandom, gaussian } from '../simulator/physics/prng.js';
import { benchMeta, type BenchMeta } from './meta.js';
import { profileToStderr } from './ui-profile.js';
import {
  quantile,
  rendererThreadTime,
  requireConsoleBuild,
  round1 as round,
  signInAsOperator,
} from './support/console-page.js';

const PENS = 8;
const DAY_S = 86_400;
const RENDER_RUNS = 7;
const LIVE_S = 60;

export interface TrendBenchFigures {
  readonly trend_points: number;
  readonly trend_render_ms: number;
  readonly trend_render_ms_max: number;
  readonly trend_render_client_ms: number;
  readonly trend_live_append_ms_p95: number;
  readonly trend_live_appends: number;
  readonly trend_live_cpu_ms_per_s: number;
  readonly trend_still_cpu_ms_per_s: number;
  readonly trend_chart_instances_added: number;
}

/** A day of one-second samples for the tags, ending at `end`, into the station's history file (before the station opens it). */
async function seedHistory(
  file: string,
  tags: readonly { name: string; range?: readonly [number, number] | undefined }[],
  end: number,
): Promise<number> {
  const h = openHistorian({ file, policies: () => STORE_EVERYTHING, retention: { rawDays: 400 } });
  const rand = createRandom(7);
  const start = end - DAY_S * 1000;
  let n = 0;
  const state = tags.map((t) => {
    const [lo, hi] = t.range ?? [0, 100];
    return { lo, hi, value: (lo + hi) / 2, span: hi - lo };
  });
  let batch: Sample[] = [];
  for (let s = 0; s < DAY_S; s++) {
    const t = start + s * 1000;
    tags.forEach((tag, i) => {
      const st = state[i]!;
      // A slow daily swing plus noise, kept inside the tag's range.
      const swing = Math.sin((2 * Math.PI * s) / DAY_S + i) * st.span * 0.15;
      st.value = Math.min(st.hi, Math.max(st.lo, (st.lo + st.hi) / 2 + swing + gaussian(rand) * st.span * 0.01));
      batch.push({ tag: tag.name, value: st.value, quality: GOOD, sourceTime: t, receiveTime: t + 5 });
    });
    if (batch.length >= 40_000) {
      h.ingest(batch);
      n += batch.length;
      batch = [];
      if (h.status().bufferedSamples >= 200_000) await h.flush();
    }
  }
  h.ingest(batch);
  n += batch.length;
  await h.flush();
  await h.close();
  return n;
}

const formatInput = (ms: number): string => {
  const d = new Date(ms);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

async function entries(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
}

export async function runTrendBench(): Promise<TrendBenchFigures & { readonly meta: BenchMeta }> {
  requireConsoleBuild();
  const browser = await launchChromium();
  let station: StationFixture | null = null;
  try {
    // Eight analog tags the simulator's PLC also serves live.
    const project = readDemoProject();
    const plc = new Set(project.devices.filter((d) => d.protocol === 'modbus-tcp').map((d) => d.name));
    const tags = project.tags.filter((t) => t.kind === 'analog' && plc.has(t.device)).slice(0, PENS);
    if (tags.length < PENS) throw new Error(`the demo plant has ${tags.length} analog Modbus tags, ${PENS} needed`);

    const dayEnd = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    let seeded = 0;
    station = await startStationFixture('bench-ui-trend', {
      beforeStation: async (_sim, dir) => {
        const historyDir = join(dir, 'data', 'history');
        mkdirSync(historyDir, { recursive: true, mode: 0o700 });
        seeded = await seedHistory(join(historyDir, 'history.db'), tags, dayEnd);
        process.stderr.write(`seeded ${seeded} samples of ${tags.map((t) => t.name).join(', ')}\n`);
      },
    });
    const { url } = station;

    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addInitScript('globalThis.__name = (f) => f;');
    const page = await context.newPage();
    await signInAsOperator(page, url, station.passwords.get('demo-operator')!);
    await page.getByTestId('nav-trends').waitFor({ timeout: 30_000 });
    await page.goto(`${url}/#/trends?tags=${tags.map((t) => encodeURIComponent(t.name)).join(',')}`);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="trend-legend"] tbody tr[data-pen-tag]').length === n,
      PENS,
      { timeout: 30_000 },
    );

    // A day of 8 pens, asked for and drawn: alternate between two days a minute apart so each run is a full query.
    const render: number[] = [];
    const renderClient: number[] = [];
    for (let run = 0; run < RENDER_RUNS + 1; run++) {
      const shift = (run % 2) * 60_000;
      const before = (await entries(page, 'argus.trend.render')).length;
      await page.getByTestId('trend-from').fill(formatInput(dayEnd - DAY_S * 1000 + 60_000 - shift));
      await page.getByTestId('trend-to').fill(formatInput(dayEnd - shift));
      await page.getByTestId('trend-range-custom').click();
      await page.waitForFunction((b) => performance.getEntriesByName('argus.trend.render').length > b, before, {
        timeout: 60_000,
      });
      const all = await entries(page, 'argus.trend.render');
      // The first run warms the caches (SQLite pages, JIT): not counted.
      if (run > 0) render.push(all[all.length - 1]!);
      const client = await entries(page, 'argus.trend.render-client');
      if (run > 0 && client.length > 0) renderClient.push(client[client.length - 1]!);
    }
    const drawnBuckets = Number(await page.getByTestId('trend-plot').getAttribute('data-buckets'));
    process.stderr.write(`render runs (ms): ${render.map(round).join(', ')}; ${drawnBuckets} buckets\n`);

    const { cdp, threadTime } = await rendererThreadTime(page);
    const STILL_S = 20;
    const stillBefore = await threadTime();
    await new Promise((resolve) => setTimeout(resolve, STILL_S * 1000));
    const stillMs = (await threadTime()) - stillBefore;

    // A live 1-hour window of the 8 pens, appending each second.
    await page.getByTestId('trend-range-1h').click();
    await page.waitForFunction(() => performance.getEntriesByName('argus.trend.append').length > 0, undefined, {
      timeout: 30_000,
    });
    const instancesBefore = Number(await page.getByTestId('trend-plot').getAttribute('data-instances'));
    const appendsBefore = (await entries(page, 'argus.trend.append')).length;
    const cpuBefore = await threadTime();
    await new Promise((resolve) => setTimeout(resolve, LIVE_S * 1000));
    const cpuMs = (await threadTime()) - cpuBefore;
    const appends = (await entries(page, 'argus.trend.append')).slice(appendsBefore);
    const instancesAfter = Number(await page.getByTestId('trend-plot').getAttribute('data-instances'));
    // Where the live seconds go (stderr only): trace events and source-mapped functions.
    if (process.env.ARGUS_BENCH_PROFILE === '1') await profileToStderr('trend live', browser, page, cdp);
    if (appends.length < LIVE_S / 2) throw new Error(`only ${appends.length} live appends in ${LIVE_S} s`);

    const figures: TrendBenchFigures = {
      trend_points: PENS * DAY_S,
      trend_render_ms: round(quantile(render, 0.5)),
      trend_render_ms_max: round(Math.max(...render)),
      trend_render_client_ms: round(quantile(renderClient, 0.5)),
      trend_live_append_ms_p95: round(quantile(appends, 0.95)),
      trend_live_appends: appends.length,
      trend_live_cpu_ms_per_s: round(cpuMs / LIVE_S),
      trend_still_cpu_ms_per_s: round(stillMs / STILL_S),
      trend_chart_instances_added: instancesAfter - instancesBefore,
    };
    const meta = benchMeta(
      `Trends in Chromium at 1920×1080 through serve: ${PENS} pens of the demo plant's Modbus analog tags, each with a day of 1 s samples stored (${seeded} seeded), drawn as ${drawnBuckets} buckets; then a live 1-hour window appending each second for ${LIVE_S} s`,
    );
    return { ...figures, meta };
  } finally {
    await browser.close();
    await station?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runTrendBench().then(
    ({ meta, ...figures }) => process.stdout.write(JSON.stringify({ ...figures, ...meta }) + '\n'),
    (err: unknown) => {
      process.stderr.write(
        `bench:ui-trend failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
