/**
 * npm run bench:e2e — from a value changing at the simulator to the value arriving at the
 * operator, with every device polled/sampled every 100 ms. The simulator and the runtime
 * (the built station server) run as separate processes; browsers are Debian's Chromium.
 *
 * 1. The demo station (one substation, about 100 tags). One writable analog setpoint per protocol is
 *    set at the simulator again and again; each change is timed to the WebSocket contract
 *    client (`latency_ms_*`) and, at the same time, to the DOM of a signed-in console showing
 *    the value (`dom_latency_ms_*`: a MutationObserver in the page stamps the moment the
 *    element's text shows the new value).
 * 2. Plant scale: 50 simulated substations (the demo project the station generates for
 *    `--substations 50`: 50 Modbus TCP PLCs, one per substation, and the OPC UA server carrying
 *    every substation's meters), about 5,000 tags through one station, with two consoles open:
 *    one on a screen showing the measured values, one on the Tags table, and a WebSocket client
 *    beside them watching the measured setpoints as a console does (`scale_ws_latency_ms_*`: the
 *    station's share of the delay). Prints `scale_tags`, `scale_latency_ms_p95` (DOM of the first
 *    console), `scale_rss_mb` (the station's peak resident memory over the measurement, sampled
 *    every 0.5 s) and `scale_runtime_cpu_pct` (the station process over the measurement).
 * 3. The plant overview opening at plant scale, after that measurement: a third console, signed in
 *    on the small screen, goes to the overview (a tile per substation, an hour's sparkline of each
 *    key figure, the falling-fast windows seeded from history) while the first console's setpoint
 *    changes go on. `scale_overview_sparklines_answered_ms`: from the navigation until every tile's
 *    sparkline has its history or an error (`scale_overview_sparklines_failed`: how many had an
 *    error then); `scale_overview_sparklines_ms`: until every one has its history (-1: not within
 *    60 s); `scale_overview_open_latency_ms_p50/p95/max`: the first console's DOM delay of the
 *    changes made from that navigation on; `scale_overview_open_history_requests`: the history
 *    requests the overview console sent meanwhile, and `scale_overview_open_sockets` the WebSockets
 *    it sent them on (more than one: the station closed its socket and it connected again);
 *    `scale_overview_open_hop_*`: those changes' delay split as above (a WebSocket client watching).
 *
 * Each change's delay is split into hops (`*hop_source_ms_*`: simulator → the station's receive
 * time; `*hop_station_ms_*`: → the WebSocket client; `*hop_console_ms_*`: → the console's DOM),
 * and `*ws_push_bytes_per_s` says what the WebSocket client was sent.
 *
 * Targets: p95 < 250 ms in both runs, scale_rss_mb < 500, scale_runtime_cpu_pct < 50.
 * Prints one JSON line with workload, commit, date and cpus.
 * BENCH_SAMPLES (per protocol, default 40; at most 20 in the scale run), BENCH_SCALE_SUBSTATIONS
 * (50; 0 skips the scale run), BENCH_SKIP_DEMO=1 runs the scale part only, BENCH_SKIP_OVERVIEW=1 leaves
 * out the overview opening.
 */
/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ProjectConfig } from '../main/runtime/config/schema.js';
import { launchChromium } from '../test/support/browser.js';
import { lacking } from '../test/support/prerequisites.js';
import { readDemoProject } from '../test/support/demo-project.js';
import { startStationFixture, type StationFixture } from '../test/support/station-fixture.js';
import { ContractSocket } from '../test/support/ws-client.js';
import { signIn } from '../test/support/sign-in.js';
import { benchMeta } from './meta.js';
import { processCpuSeconds, rssMb } from './proc.js';

const SAMPLES_PER_PROTOCOL = Number(process.env.BENCH_SAMPLES ?? 40);
const SCALE_SUBSTATIONS = Number(process.env.BENCH_SCALE_SUBSTATIONS ?? 50);
const INTERVAL_MS = 100;
const SCREEN_ID = 'latency';

const note = (line: string) => process.stderr.write(`bench:e2e ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Wall-clock time in ms with sub-ms resolution: comparable with the page's timeOrigin + now(). */
const clock = () => performance.timeOrigin + performance.now();

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
const round1 = (x: number) => Math.round(x * 10) / 10;
function p50p95(values: readonly number[]): { p50: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round1(percentile(sorted, 50)), p95: round1(percentile(sorted, 95)) };
}

/** p50/p95 of each hop, as `<prefix>hop_<name>_ms_p50/p95`. */
function hopFigures(prefix: string, hops: Latencies['hops']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, values] of Object.entries(hops)) {
    if (values.length === 0) continue;
    const { p50, p95 } = p50p95(values);
    out[`${prefix}hop_${name}_ms_p50`] = p50;
    out[`${prefix}hop_${name}_ms_p95`] = p95;
  }
  return out;
}

/** Bytes of pushes a WebSocket client receives while `run` runs, per second. */
async function pushBytesPerS<T>(
  socket: ContractSocket,
  run: () => Promise<T>,
): Promise<{ value: T; bytesPerS: number }> {
  let bytes = 0;
  const count = (raw: Buffer | ArrayBuffer | Buffer[]): void => {
    bytes += Array.isArray(raw)
      ? raw.reduce((n, b) => n + b.length, 0)
      : raw instanceof ArrayBuffer
        ? raw.byteLength
        : raw.length;
  };
  socket.ws.on('message', count);
  const t0 = performance.now();
  try {
    const value = await run();
    return { value, bytesPerS: Math.round(bytes / ((performance.now() - t0) / 1000)) };
  } finally {
    socket.ws.off('message', count);
  }
}

interface Target {
  readonly name: string;
  readonly protocol: string;
  readonly range: readonly [number, number];
}

/** One writable analog setpoint per protocol, from the demo project. */
function pickTargets(project: ProjectConfig): Target[] {
  const protocolOf = new Map(project.devices.map((d) => [d.name, d.protocol]));
  const targets: Target[] = [];
  for (const protocol of ['modbus-tcp', 'opcua']) {
    const tag = project.tags.find(
      (t) => t.writable && t.kind !== 'digital' && protocolOf.get(t.device) === protocol && t.range,
    );
    if (tag) targets.push({ name: tag.name, protocol, range: tag.range as [number, number] });
  }
  if (targets.length === 0) throw new Error('the demo project has no writable analog tags to change');
  return targets;
}

/** A screen showing the measured values, so the console renders them wherever they live. */
function withLatencyScreen(project: ProjectConfig, targets: readonly Target[]): ProjectConfig {
  const elements = targets.map((t, i) => ({
    kind: 'value' as const,
    tag: t.name,
    x: 60,
    y: 80 + 40 * i,
    label: t.name,
  }));
  return {
    ...project,
    screens: [
      ...project.screens,
      { id: SCREEN_ID, title: 'Latency', level: 2, width: 1200, height: 700, elements },
    ] as ProjectConfig['screens'],
  };
}

/**
 * Stamps, in the page, when the element for the armed tag first shows a number within the
 * tolerance of the armed value. Plain text, not a function: the page gets it as written.
 */
const OBSERVER = `(() => {
  window.__armed = null;
  const check = () => {
    const armed = window.__armed;
    if (!armed || armed.seenAt) return;
    const text = document.querySelector('[data-tag="' + armed.tag + '"]')?.textContent ?? '';
    const number = Number.parseFloat(text.replace(/[^0-9.-]+/g, ' ').trim().split(' ')[0] ?? '');
    if (Number.isFinite(number) && Math.abs(number - armed.value) < armed.tolerance) armed.seenAt = performance.timeOrigin + performance.now();
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

async function installObserver(page: Page): Promise<void> {
  await page.evaluate(OBSERVER);
}

function arm(page: Page, tag: string, value: number): Promise<void> {
  return page.evaluate(
    ([t, v]) => {
      (window as unknown as { __armed: unknown }).__armed = { tag: t, value: v, tolerance: 0.05, seenAt: 0 };
    },
    [tag, value] as const,
  );
}

async function seenAt(page: Page, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __armed: { seenAt: number } | null }).__armed?.seenAt || 0,
    undefined,
    {
      timeout: timeoutMs,
      polling: 'raf',
    },
  );
  return (await handle.jsonValue()) as number;
}

/** A signed-in console on `hash` (`#/screen/<id>`, `#/tags`): a plant of many units has no tab per screen. */
async function openConsole(
  browser: Browser,
  url: string,
  user: string,
  hash: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId(`demo-signin-${user}`).click();
  await page.getByTestId('nav-tags').waitFor();
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  return { context, page };
}

/** A fresh value each time (0.1 steps in the span's 30–70 % band), never the one showing now. */
function nextValue(target: Target, i: number, previous: number): number {
  const [low, high] = target.range;
  let value = Math.round((low + (high - low) * (0.3 + 0.4 * (((i * 37) % 101) / 101))) * 10) / 10;
  if (Math.abs(value - previous) < 0.05) value = Math.round((value + 0.2) * 10) / 10;
  return value;
}

interface Latencies {
  /** Changes not seen in the DOM within the timeout: counted at the timeout (so percentiles are lower bounds). */
  missed: number;
  /** Likewise at the WebSocket client. */
  wsMissed: number;
  ws: number[];
  dom: number[];
  domByProtocol: Record<string, number[]>;
  wsByProtocol: Record<string, number[]>;
  /**
   * The delay split at the station's receive time (`rt` of the value as the WebSocket client
   * got it) and at the WebSocket client's arrival: simulator change → driver received it
   * (poll phase and request), → WebSocket client (tag table, fan-out, encoding, socket),
   * → DOM (the console's share: parse, store, render; its socket gets the same push).
   */
  hops: { source: number[]; station: number[]; console: number[] };
}

/**
 * Change each target SAMPLES_PER_PROTOCOL times at the simulator; time each change to the
 * WebSocket client (when given) and to the DOM of `page`.
 */
async function measure(
  station: StationFixture,
  targets: readonly Target[],
  page: Page,
  socket: ContractSocket | null,
  samples = SAMPLES_PER_PROTOCOL,
  timeoutMs = 10_000,
): Promise<Latencies> {
  const out: Latencies = {
    missed: 0,
    wsMissed: 0,
    ws: [],
    dom: [],
    domByProtocol: {},
    wsByProtocol: {},
    hops: { source: [], station: [], console: [] },
  };
  for (const target of targets) {
    await page.waitForSelector(`[data-tag="${target.name}"][data-quality="Good"]`, { timeout: 60_000 });
    let previous = Number.NaN;
    for (let i = 0; i < samples; i++) {
      const value = nextValue(target, i, previous);
      previous = value;
      await arm(page, target.name, value);
      const wsSeen = socket
        ? new Promise<{ at: number; rt: number } | null>((resolve) => {
            const timeout = setTimeout(() => {
              off();
              resolve(null);
            }, timeoutMs);
            const off = socket.on('tags.changed', ({ values }) => {
              const seen = values.find(
                (v) => v.tag === target.name && typeof v.v === 'number' && Math.abs(v.v - value) < 0.05,
              );
              if (seen) {
                clearTimeout(timeout);
                off();
                resolve({ at: clock(), rt: seen.rt });
              }
            });
          })
        : null;
      const started = clock();
      station.sim.send(`set ${target.name} ${value}`);
      let dom = timeoutMs;
      try {
        dom = (await seenAt(page, timeoutMs)) - started;
      } catch {
        out.missed += 1;
        note(`${target.name} = ${value} not shown within ${timeoutMs} ms`);
      }
      out.dom.push(dom);
      (out.domByProtocol[target.protocol] ??= []).push(dom);
      const wsGot = await wsSeen;
      if (wsSeen && !wsGot) {
        out.wsMissed += 1;
        out.ws.push(timeoutMs);
        note(`${target.name} = ${value} not at the WebSocket client within ${timeoutMs} ms`);
      }
      if (wsGot) {
        const { at: wsAt, rt } = wsGot;
        out.ws.push(wsAt - started);
        (out.wsByProtocol[target.protocol] ??= []).push(wsAt - started);
        out.hops.source.push(rt - started);
        out.hops.station.push(wsAt - rt);
        if (dom < timeoutMs) out.hops.console.push(started + dom - wsAt);
      }
      // Land the next change at a different point of the poll cycle.
      await sleep(50 + Math.random() * INTERVAL_MS);
    }
  }
  return out;
}

async function demoRun(browser: Browser, targets: readonly Target[]): Promise<Record<string, number | string>> {
  note('demo station');
  const station = await startStationFixture('bench-e2e', {
    intervalMs: INTERVAL_MS,
    editProject: (p) => withLatencyScreen(p, targets),
  });
  try {
    const { cookie } = await signIn(station.url, 'demo-viewer', station.passwords.get('demo-viewer')!);
    const socket = await ContractSocket.open(station.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    const { context, page } = await openConsole(browser, station.url, 'demo-viewer', `#/screen/${SCREEN_ID}`);
    await installObserver(page);
    await sleep(3000); // everything connected and settled
    const { value: l, bytesPerS } = await pushBytesPerS(socket, () => measure(station, targets, page, socket));
    const ws = p50p95(l.ws);
    const dom = p50p95(l.dom);
    const result: Record<string, number | string> = {
      latency_ms_p50: ws.p50,
      latency_ms_p95: ws.p95,
      dom_latency_ms_p50: dom.p50,
      dom_latency_ms_p95: dom.p95,
      dom_changes_not_shown_within_10s: l.missed,
      ws_changes_not_seen_within_10s: l.wsMissed,
      tags: readDemoProject().tags.length,
      rss_mb: rssMb(station.serve.process.pid!),
      ws_push_bytes_per_s: bytesPerS,
      ...hopFigures('', l.hops),
    };
    for (const [protocol, values] of Object.entries(l.wsByProtocol))
      result[`${protocol.replace('-', '_')}_p95_ms`] = p50p95(values).p95;
    for (const [protocol, values] of Object.entries(l.domByProtocol))
      result[`dom_${protocol.replace('-', '_')}_p95_ms`] = p50p95(values).p95;
    socket.close();
    await context.close();
    return result;
  } finally {
    await station.stop();
  }
}

/** Counts the history requests a page sends over its WebSocket (`history.*`), by name. */
const REQUEST_COUNTER = `(() => {
  window.__historyRequests = {};
  window.__historySockets = new Set();
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    window.__historySockets.add(this);
    if (typeof data === 'string' && data.includes('"history.')) {
      const m = /"method":"(history\\.[A-Za-z]+)"/.exec(data);
      if (m) window.__historyRequests[m[1]] = (window.__historyRequests[m[1]] ?? 0) + 1;
    }
    return send.call(this, data);
  };
})()`;

/**
 * A third console goes to the plant overview while the first console's setpoint changes go on:
 * how long until every sparkline has its history, and the first console's delay meanwhile.
 */
async function overviewOpening(
  browser: Browser,
  station: StationFixture,
  far: readonly Target[],
  page: Page,
  tiles: number,
): Promise<Record<string, number | string>> {
  const c = await openConsole(browser, station.url, 'demo-viewer', `#/screen/${SCREEN_ID}`);
  try {
    await c.page.waitForSelector(`[data-tag="${far[0]!.name}"]`, { timeout: 60_000 });
    await c.page.evaluate(REQUEST_COUNTER);
    await sleep(3000); // the small screen settled
    // A WebSocket client watching the setpoints, as in the measurement before: the delay's hops.
    const { cookie } = await signIn(station.url, 'demo-viewer', station.passwords.get('demo-viewer')!);
    const socket = await ContractSocket.open(station.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    const watch = await socket.request('tags.watch', { tags: far.map((t) => t.name) });
    if (!watch.ok) throw new Error(`tags.watch refused: ${watch.error.message}`);
    const t0 = clock();
    const changes = measure(station, far, page, socket, 6, 30_000);
    await c.page.evaluate(() => {
      location.hash = '#/screen/plant';
    });
    await c.page.waitForSelector('[data-testid="plant-overview"]', { timeout: 60_000 });
    const expected = await c.page.locator('[data-testid="overview-tile"] [data-testid="sparkline"]').count();
    const loaded = (state: string) =>
      c.page.evaluate(
        (s) =>
          document.querySelectorAll(`[data-testid="overview-tile"] [data-testid="sparkline"][data-loaded="${s}"]`)
            .length,
        state,
      );
    await c.page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="overview-tile"] [data-testid="sparkline"][data-loaded="false"]')
          .length === 0,
      undefined,
      { timeout: 120_000, polling: 50 },
    );
    const answeredMs = clock() - t0;
    const failed = await loaded('error');
    let drawnMs = -1;
    try {
      await c.page.waitForFunction(
        (n) =>
          document.querySelectorAll('[data-testid="overview-tile"] [data-testid="sparkline"][data-loaded="true"]')
            .length >= n,
        expected,
        { timeout: Math.max(1, 60_000 - answeredMs), polling: 50 },
      );
      drawnMs = clock() - t0;
    } catch {
      note(`overview: ${expected - (await loaded('true'))} sparklines without history after 60 s`);
    }
    const l = await changes;
    socket.close();
    const { requests, sockets } = (await c.page.evaluate(() => {
      const w = window as unknown as { __historyRequests: Record<string, number>; __historySockets: Set<unknown> };
      return { requests: w.__historyRequests, sockets: w.__historySockets.size };
    })) as { requests: Record<string, number>; sockets: number };
    const sorted = [...l.dom].sort((a, b) => a - b);
    const { p50, p95 } = p50p95(l.dom);
    return {
      scale_overview_tiles: tiles,
      scale_overview_sparklines: expected,
      scale_overview_sparklines_answered_ms: Math.round(answeredMs),
      scale_overview_sparklines_failed: failed,
      scale_overview_sparklines_ms: Math.round(drawnMs),
      scale_overview_open_latency_ms_p50: p50,
      scale_overview_open_latency_ms_p95: p95,
      scale_overview_open_latency_ms_max: round1(sorted[sorted.length - 1] ?? 0),
      scale_overview_open_changes: l.dom.length,
      scale_overview_open_history_requests: Object.values(requests).reduce((a, b) => a + b, 0),
      scale_overview_open_history_requests_by_name: JSON.stringify(requests),
      scale_overview_open_sockets: sockets,
      ...hopFigures('scale_overview_open_', l.hops),
    };
  } finally {
    await c.context.close();
  }
}

async function scaleRun(
  browser: Browser,
  substations: number,
  targets: readonly Target[],
): Promise<Record<string, number | string>> {
  // The last substation's setpoints: the far end of the tag table.
  const last = `SS${String(substations).padStart(2, '0')}.`;
  const far = targets.map((t) => ({ ...t, name: t.name.replace(/^SS01\./, last) }));
  // The fixture gives a simulator run with --substations N the demo project generated for N
  // substations (as `serve --substations N` runs it): the bench adds its screen.
  let project: ProjectConfig | null = null;
  const station = await startStationFixture('bench-e2e-scale', {
    intervalMs: INTERVAL_MS,
    simArgs: ['--substations', String(substations)],
    startTimeoutMs: 300_000,
    editProject: (p) => (project = withLatencyScreen(p, far)),
  });
  try {
    const { tags, devices } = project! as ProjectConfig;
    note(`plant scale: ${tags.length} tags on ${devices.length} devices`);
    const { cookie } = await signIn(station.url, 'demo-viewer', station.passwords.get('demo-viewer')!);
    const socket = await ContractSocket.open(station.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    // Like a console, the WebSocket client asks for what it shows: the measured setpoints.
    const watch = await socket.request('tags.watch', { tags: far.map((t) => t.name) });
    if (!watch.ok) throw new Error(`tags.watch refused: ${watch.error.message}`);
    const a = await openConsole(browser, station.url, 'demo-viewer', `#/screen/${SCREEN_ID}`);
    const b = await openConsole(browser, station.url, 'demo-operator', '#/tags');
    await installObserver(a.page);
    await sleep(5000); // every device connected, both consoles receiving
    const pid = station.serve.process.pid!;
    // Resident memory rises and falls with garbage collection: the peak over the window is what the plant must have.
    let peakRss = rssMb(pid);
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 500);
    const cpu0 = processCpuSeconds(pid);
    const t0 = performance.now();
    const { value: l, bytesPerS } = await pushBytesPerS(socket, () =>
      measure(station, far, a.page, socket, Math.min(SAMPLES_PER_PROTOCOL, 20), 30_000),
    ).finally(() => clearInterval(rssTimer));
    const elapsedS = (performance.now() - t0) / 1000;
    const cpuPct = round1(((processCpuSeconds(pid) - cpu0) / elapsedS) * 100);
    const dom = p50p95(l.dom);
    const ws = p50p95(l.ws);
    socket.close();
    const result: Record<string, number | string> = {
      scale_substations: substations,
      scale_ws_latency_ms_p50: ws.p50,
      scale_ws_latency_ms_p95: ws.p95,
      scale_tags: tags.length,
      scale_devices: devices.length,
      scale_latency_ms_p50: dom.p50,
      scale_latency_ms_p95: dom.p95,
      scale_changes_not_shown_within_30s: l.missed,
      scale_ws_changes_not_seen_within_30s: l.wsMissed,
      scale_ws_client_watches_tags: far.length,
      scale_rss_mb: peakRss,
      scale_rss_mb_at_end: rssMb(pid),
      scale_runtime_cpu_pct: cpuPct,
      scale_window_s: round1(elapsedS),
      scale_ws_push_bytes_per_s: bytesPerS,
      ...hopFigures('scale_', l.hops),
    };
    for (const [protocol, values] of Object.entries(l.domByProtocol))
      result[`scale_${protocol.replace('-', '_')}_p95_ms`] = p50p95(values).p95;
    const tiles = (project! as ProjectConfig).screens.find((s) => s.id === 'plant')?.tiles?.length ?? 0;
    if (process.env.BENCH_SKIP_OVERVIEW !== '1')
      Object.assign(result, await overviewOpening(browser, station, far, a.page, tiles));
    await a.context.close();
    await b.context.close();
    return result;
  } finally {
    await station.stop();
  }
}

async function main(): Promise<void> {
  if (lacking('chromium')) throw new Error('bench:e2e needs Chromium (npm run doctor)');
  const targets = pickTargets(readDemoProject());
  const browser = await launchChromium();
  try {
    const demo = process.env.BENCH_SKIP_DEMO === '1' ? {} : await demoRun(browser, targets);
    note(JSON.stringify(demo));
    const scale = SCALE_SUBSTATIONS > 0 ? await scaleRun(browser, SCALE_SUBSTATIONS, targets) : {};
    process.stdout.write(
      JSON.stringify({
        ...demo,
        ...scale,
        interval_ms: INTERVAL_MS,
        samples_per_protocol: SAMPLES_PER_PROTOCOL,
        ...benchMeta(
          `setpoint changes at the simulator (own process) to a WebSocket client and a Chromium console, 100 ms polling; demo station (one substation)${SCALE_SUBSTATIONS > 0 ? `, then ${SCALE_SUBSTATIONS} substations with two consoles open` : ''}`,
        ),
      }) + '\n',
    );
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:e2e failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
