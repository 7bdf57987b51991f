/**
 * npm run bench:e2e — from a value changing at the simulator to the value arriving at the
 * operator, with every device polled/sampled every 100 ms. The simulator and the runtime
 * (the built station server) run as separate processes; browsers are Debian's Chromium.
 *
 * 1. The demo station (one substation, 103 tags). One writable analog setpoint per protocol is
 *    set at the simulator again and again; each change is timed to the WebSocket contract
 *    client (`latency_ms_*`) and, at the same time, to the DOM of a signed-in console showing
 *    the value (`dom_latency_ms_*`: a MutationObserver in the page stamps the moment the
 *    element's text shows the new value).
 * 2. Plant scale: 50 simulated substations (50 Modbus TCP PLCs, one per substation, and the
 *    OPC UA server carrying every substation's meters), about 5,000 tags through one station,
 *    with two consoles open: one on a screen showing the measured values, one on the Tags
 *    table, and a WebSocket client beside them (`scale_ws_latency_ms_*`: the station's share of
 *    the delay). Prints `scale_tags`, `scale_latency_ms_p95` (DOM of the first console),
 *    `scale_rss_mb` and `scale_runtime_cpu_pct` (the station process over the measurement).
 *
 * Targets: p95 < 250 ms in both runs, scale_rss_mb < 500, scale_runtime_cpu_pct < 50.
 * Prints one JSON line with workload, commit, date and cpus.
 * BENCH_SAMPLES (per protocol, default 40; at most 20 in the scale run), BENCH_SCALE_SUBSTATIONS
 * (50; 0 skips the scale run), BENCH_SKIP_DEMO=1 runs the scale part only.
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
    const tag = project.tags.find((t) => t.writable && t.kind !== 'digital' && protocolOf.get(t.device) === protocol && t.range);
    if (tag) targets.push({ name: tag.name, protocol, range: tag.range as [number, number] });
  }
  if (targets.length === 0) throw new Error('the demo project has no writable analog tags to change');
  return targets;
}

/** A screen showing the measured values, so the console renders them wherever they live. */
function withLatencyScreen(project: ProjectConfig, targets: readonly Target[]): ProjectConfig {
  const elements = targets.map((t, i) => ({ kind: 'value' as const, tag: t.name, x: 60, y: 80 + 40 * i, label: t.name }));
  return { ...project, screens: [...project.screens, { id: SCREEN_ID, title: 'Latency', level: 2, width: 1200, height: 700, elements }] as ProjectConfig['screens'] };
}

/**
 * The demo substation replicated to `n` substations: SSkk-PLC (Modbus TCP, unit k) per
 * substation, and one OPC UA device carrying every substation's OPC UA tags. Screens stay.
 */
function plantScale(n: number) {
  return (project: ProjectConfig): ProjectConfig => {
    const plc = project.devices.find((d) => d.protocol === 'modbus-tcp')!;
    const opcua = project.devices.find((d) => d.protocol === 'opcua')!;
    const devices: ProjectConfig['devices'] = [{ ...opcua, name: 'PLANT-OPCUA' }];
    const tags: ProjectConfig['tags'] = [];
    for (let k = 1; k <= n; k++) {
      const prefix = `SS${String(k).padStart(2, '0')}`;
      const plcName = `${prefix}-PLC`;
      devices.push({ ...plc, name: plcName, unitId: k } as ProjectConfig['devices'][number]);
      for (const tag of project.tags) {
        // Everything that names the substation (tag name, OPC UA node, alarm ids and references) moves with it.
        const copy = JSON.parse(JSON.stringify(tag).replaceAll('SS01.', `${prefix}.`)) as typeof tag;
        tags.push({ ...copy, device: tag.device === opcua.name ? 'PLANT-OPCUA' : plcName });
      }
    }
    return { ...project, name: `${project.name} ×${n} substations`, devices, tags };
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
  return page.evaluate(([t, v]) => {
    (window as unknown as { __armed: unknown }).__armed = { tag: t, value: v, tolerance: 0.05, seenAt: 0 };
  }, [tag, value] as const);
}

async function seenAt(page: Page, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(() => (window as unknown as { __armed: { seenAt: number } | null }).__armed?.seenAt || 0, undefined, {
    timeout: timeoutMs,
    polling: 'raf',
  });
  return (await handle.jsonValue()) as number;
}

async function openConsole(browser: Browser, url: string, user: string, route: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId(`demo-signin-${user}`).click();
  await page.getByTestId(route).click();
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
  ws: number[];
  dom: number[];
  domByProtocol: Record<string, number[]>;
  wsByProtocol: Record<string, number[]>;
}

/**
 * Change each target SAMPLES_PER_PROTOCOL times at the simulator; time each change to the
 * WebSocket client (when given) and to the DOM of `page`.
 */
async function measure(station: StationFixture, targets: readonly Target[], page: Page, socket: ContractSocket | null, samples = SAMPLES_PER_PROTOCOL, timeoutMs = 10_000): Promise<Latencies> {
  const out: Latencies = { missed: 0, ws: [], dom: [], domByProtocol: {}, wsByProtocol: {} };
  for (const target of targets) {
    await page.waitForSelector(`[data-tag="${target.name}"][data-quality="Good"]`, { timeout: 60_000 });
    let previous = Number.NaN;
    for (let i = 0; i < samples; i++) {
      const value = nextValue(target, i, previous);
      previous = value;
      await arm(page, target.name, value);
      const wsSeen = socket
        ? new Promise<number>((resolve, reject) => {
            const timeout = setTimeout(() => reject(new Error(`${target.name} never showed ${value} at the WebSocket client`)), timeoutMs);
            const off = socket.on('tags.changed', ({ values }) => {
              if (values.some((v) => v.tag === target.name && typeof v.v === 'number' && Math.abs(v.v - value) < 0.05)) {
                clearTimeout(timeout);
                off();
                resolve(clock());
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
      if (wsSeen) {
        const wsAt = await wsSeen;
        out.ws.push(wsAt - started);
        (out.wsByProtocol[target.protocol] ??= []).push(wsAt - started);
      }
      // Land the next change at a different point of the poll cycle.
      await sleep(50 + Math.random() * INTERVAL_MS);
    }
  }
  return out;
}

async function demoRun(browser: Browser, targets: readonly Target[]): Promise<Record<string, number | string>> {
  note('demo station');
  const station = await startStationFixture('bench-e2e', { intervalMs: INTERVAL_MS, editProject: (p) => withLatencyScreen(p, targets) });
  try {
    const { cookie } = await signIn(station.url, 'demo-viewer', station.passwords.get('demo-viewer')!);
    const socket = await ContractSocket.open(station.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    const { context, page } = await openConsole(browser, station.url, 'demo-viewer', `nav-${SCREEN_ID}`);
    await installObserver(page);
    await sleep(3000); // everything connected and settled
    const l = await measure(station, targets, page, socket);
    const ws = p50p95(l.ws);
    const dom = p50p95(l.dom);
    const result: Record<string, number | string> = {
      latency_ms_p50: ws.p50,
      latency_ms_p95: ws.p95,
      dom_latency_ms_p50: dom.p50,
      dom_latency_ms_p95: dom.p95,
      dom_changes_not_shown_within_10s: l.missed,
      tags: readDemoProject().tags.length,
      rss_mb: rssMb(station.serve.process.pid!),
    };
    for (const [protocol, values] of Object.entries(l.wsByProtocol)) result[`${protocol.replace('-', '_')}_p95_ms`] = p50p95(values).p95;
    for (const [protocol, values] of Object.entries(l.domByProtocol)) result[`dom_${protocol.replace('-', '_')}_p95_ms`] = p50p95(values).p95;
    socket.close();
    await context.close();
    return result;
  } finally {
    await station.stop();
  }
}

async function scaleRun(browser: Browser, substations: number, targets: readonly Target[]): Promise<Record<string, number | string>> {
  const scaled = plantScale(substations);
  const project = scaled(readDemoProject());
  // The last substation's setpoints: the far end of the tag table.
  const last = `SS${String(substations).padStart(2, '0')}.`;
  const far = targets.map((t) => ({ ...t, name: t.name.replace(/^SS01\./, last) }));
  const station = await startStationFixture('bench-e2e-scale', {
    intervalMs: INTERVAL_MS,
    simArgs: ['--substations', String(substations)],
    startTimeoutMs: 300_000,
    editProject: (p) => withLatencyScreen(scaled(p), far),
  });
  try {
    note(`plant scale: ${project.tags.length} tags on ${project.devices.length} devices`);
    const { cookie } = await signIn(station.url, 'demo-viewer', station.passwords.get('demo-viewer')!);
    const socket = await ContractSocket.open(station.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    const a = await openConsole(browser, station.url, 'demo-viewer', `nav-${SCREEN_ID}`);
    const b = await openConsole(browser, station.url, 'demo-operator', 'nav-tags');
    await installObserver(a.page);
    await sleep(5000); // every device connected, both consoles receiving
    const pid = station.serve.process.pid!;
    const cpu0 = processCpuSeconds(pid);
    const t0 = performance.now();
    const l = await measure(station, far, a.page, socket, Math.min(SAMPLES_PER_PROTOCOL, 20), 30_000);
    const elapsedS = (performance.now() - t0) / 1000;
    const cpuPct = round1(((processCpuSeconds(pid) - cpu0) / elapsedS) * 100);
    const dom = p50p95(l.dom);
    const ws = p50p95(l.ws);
    socket.close();
    const result: Record<string, number | string> = {
      scale_substations: substations,
      scale_ws_latency_ms_p50: ws.p50,
      scale_ws_latency_ms_p95: ws.p95,
      scale_tags: project.tags.length,
      scale_devices: project.devices.length,
      scale_latency_ms_p50: dom.p50,
      scale_latency_ms_p95: dom.p95,
      scale_changes_not_shown_within_30s: l.missed,
      scale_rss_mb: rssMb(pid),
      scale_runtime_cpu_pct: cpuPct,
      scale_window_s: round1(elapsedS),
    };
    for (const [protocol, values] of Object.entries(l.domByProtocol)) result[`scale_${protocol.replace('-', '_')}_p95_ms`] = p50p95(values).p95;
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
          `setpoint changes at the simulator (own process) to a WebSocket client and a Chromium console, 100 ms polling; demo station (103 tags)${SCALE_SUBSTATIONS > 0 ? `, then ${SCALE_SUBSTATIONS} substations with two consoles open` : ''}`,
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
