/**
 * Prediction benchmark (`npm run bench:predict`) on the built-in model packages in models/.
 *
 *   <model>_p50_ms / _p99_ms   one inference of one window (onnxruntime-node, CPU, 1 thread)
 *   <model>_batch64_per_s      windows per second in batches of 64
 *   <model>_contributions_p50_ms / _p99_ms   classifiers: the contributing signals of a window
 *                              (occlusion: one batch with one window per input tag, and the ranking)
 *   activation_ms              activating each model, which reads its whole window from history
 *                              ahead (so that no scheduled run pays for the cold read)
 *   pipeline_p99_ms            a scheduled run end to end: window read from a real history
 *                              file and the tag table, quality gate, inference, outputs stored
 *   event_loop_lag_p99_ms      the event loop's delay while every model runs every second and
 *                              10,000 tags a second flow through the tag table into history
 *                              (the station's own path; the feed is generated in-process)
 *   backfill_30d_s             the forecaster over 30 days of 1-minute history, one run per
 *                              scheduled step, outputs stored as history (backfill_cpu_s: the
 *                              process's CPU time for it, less sensitive to a busy machine)
 *
 * Inputs are plausible plant signals (daily waves with noise inside each model's training
 * range), so the quality gate passes and every run is a real inference. Prints one JSON line.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openHistorian } from '../main/runtime/historian/index.js';
import { TagTable } from '../main/runtime/tags/tag-table.js';
import { createLogger } from '../main/runtime/logging/logger.js';
import { readModelPackage, RunnableModel, type ModelPackage } from '../main/runtime/predictions/model-package.js';
import { PredictionService } from '../main/runtime/predictions/prediction-service.js';
import { channelCount } from '../main/runtime/predictions/feature-window.js';
import { occludedWindows, rankContributions } from '../main/runtime/predictions/contributions.js';
import type { Sample } from '../protocols/driver.js';
import { benchMeta } from './meta.js';

const root = join(import.meta.dirname, '..');
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const LAG_SECONDS = Number(process.env.BENCH_LAG_S ?? 60);

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const packages: ModelPackage[] = readdirSync(join(root, 'models'))
  .filter((f) => f.endsWith('.model.yaml'))
  .map((f) => readModelPackage(join(root, 'models', f)));
if (packages.length === 0) throw new Error('no model packages in models/');

/** A plausible value of an input at time t: a daily wave inside its training range, with noise. */
function signal(range: readonly [number, number], t: number, phase: number): number {
  const mid = (range[0] + range[1]) / 2;
  const half = (range[1] - range[0]) / 2;
  return mid + 0.6 * half * Math.sin((2 * Math.PI * t) / DAY + phase) + 0.05 * half * (Math.random() - 0.5);
}

async function inferenceFigures(figures: Record<string, number>): Promise<void> {
  for (const pkg of packages) {
    const model = await RunnableModel.open(pkg);
    const m = pkg.manifest;
    const size = m.input.window * channelCount(m.input);
    const window = Float32Array.from({ length: size }, () => Math.random() * 2 - 1);
    for (let i = 0; i < 20; i++) await model.infer(window);
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await model.infer(window);
      times.push(performance.now() - t0);
    }
    const batch = new Float32Array(size * 64);
    for (let i = 0; i < batch.length; i++) batch[i] = Math.random() * 2 - 1;
    await model.infer(batch, 64);
    const t0 = performance.now();
    let windows = 0;
    while (performance.now() - t0 < 3000) {
      await model.infer(batch, 64);
      windows += 64;
    }
    const key = m.name.toLowerCase();
    if (m.kind === 'classifier') {
      // Contributing signals as a run computes them when a class is at its watch level (all classes taken as raised).
      const all = m.output.values.filter((o) => o.label !== undefined);
      const costs: number[] = [];
      for (let i = 0; i < 200; i++) {
        const [base] = await model.infer(window);
        const t1 = performance.now();
        const occluded = await model.infer(occludedWindows(m.input, window), m.input.tags.length);
        rankContributions(m, all, base!, occluded, window, 0, 0);
        costs.push(performance.now() - t1);
      }
      figures[`${key}_contributions_p50_ms`] = round(quantile(costs.slice(20), 0.5), 3);
      figures[`${key}_contributions_p99_ms`] = round(quantile(costs.slice(20), 0.99), 3);
    }
    figures[`${key}_p50_ms`] = round(quantile(times, 0.5), 3);
    figures[`${key}_p99_ms`] = round(quantile(times, 0.99), 3);
    figures[`${key}_batch64_per_s`] = Math.round(windows / ((performance.now() - t0) / 1000));
    await model.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-predict-'));
  const log = createLogger({ level: 'silent' });
  const figures: Record<string, number> = {};
  // The historian waits for its checkpoints on unreferenced timers (a station has other
  // handles open); this script must not end while a flush is waiting.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await inferenceFigures(figures);

    // A station: every model's inputs with 30 days of 1-minute history behind them.
    const inputs = new Map<string, readonly [number, number]>();
    for (const p of packages) for (const t of p.manifest.input.tags) inputs.set(t.tag, t.trainingRange);
    const plantTags = Array.from({ length: 10_000 - inputs.size }, (_, i) => `PLANT.U${String(i).padStart(4, '0')}.PV`);
    const tags = new TagTable([...inputs.keys(), ...plantTags]);
    const historian = openHistorian({ file: join(dir, 'history.db') });
    const end = Math.floor(Date.now() / MINUTE) * MINUTE;
    const start = end - 30 * DAY - 2 * DAY;
    const phases = new Map([...inputs.keys()].map((t, i) => [t, i * 0.7]));
    for (let t0 = start; t0 <= end; t0 += 1440 * MINUTE) {
      const batch: Sample[] = [];
      for (let t = t0; t < Math.min(end + 1, t0 + 1440 * MINUTE); t += MINUTE) {
        for (const [tag, range] of inputs)
          batch.push({
            tag,
            value: round(signal(range, t, phases.get(tag)!), 3),
            quality: { code: 'Good' },
            sourceTime: t,
            receiveTime: t,
          });
      }
      historian.ingest(batch);
      await historian.flush();
    }
    tags.apply(
      [...inputs].map(([tag, range]) => ({
        tag,
        value: round(signal(range, end, phases.get(tag)!), 3),
        quality: { code: 'Good' as const },
        sourceTime: end,
        receiveTime: Date.now(),
      })),
    );

    const service = new PredictionService({ tags, history: historian, alarms: null, log });
    const activation: number[] = [];
    for (const p of packages) {
      const t0 = performance.now();
      await service.activate(p);
      activation.push(performance.now() - t0);
    }
    figures.activation_ms = round(Math.max(...activation));
    // Pipeline: scheduled runs end to end.
    const pipeline: number[] = [];
    for (let i = 0; i < 30; i++) {
      for (const p of packages) {
        const t0 = performance.now();
        const result = await service.runOnce(p.manifest.name);
        pipeline.push(performance.now() - t0);
        if (result !== 'ok')
          throw new Error(
            `${p.manifest.name}: ${service.models().find((m) => m.manifest.name === p.manifest.name)?.stats.lastReason}`,
          );
      }
    }
    figures.pipeline_p50_ms = round(quantile(pipeline, 0.5));
    figures.pipeline_p99_ms = round(quantile(pipeline, 0.99));

    // Event-loop lag: 10,000 tags a second through the tag table into history, every model every second.
    const stop = { now: false };
    const feed = setInterval(() => {
      const now = Date.now();
      tags.apply(
        plantTags.map((tag, i) => ({
          tag,
          value: round(50 + 10 * Math.sin(now / 60_000 + i) + Math.random(), 2),
          quality: { code: 'Good' as const },
          sourceTime: now,
          receiveTime: now,
        })),
      );
    }, 1000);
    const stopHistory = tags.subscribe((updates) => historian.ingest(updates.map((u) => u.sample)));
    const flushes = setInterval(() => void historian.flush(), 1000);
    const runs = setInterval(() => {
      if (stop.now) return;
      for (const p of packages) void service.runOnce(p.manifest.name);
    }, 1000);
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    await new Promise((resolve) => setTimeout(resolve, LAG_SECONDS * 1000));
    lag.disable();
    stop.now = true;
    clearInterval(feed);
    clearInterval(flushes);
    clearInterval(runs);
    stopHistory();
    figures.event_loop_lag_p99_ms = round(lag.percentile(99) / 1e6);
    figures.event_loop_lag_max_ms = round(lag.max / 1e6);

    // Backfill: the forecaster (or the first model) over 30 days at its schedule.
    const forecaster = packages.find((p) => p.manifest.kind === 'forecast') ?? packages[0]!;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await service.backfill(forecaster.manifest.name, end - 30 * DAY, end);
    figures.backfill_30d_s = round((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    figures.backfill_cpu_s = round((cpu.user + cpu.system) / 1e6);
    figures.backfill_runs = result.runs;
    figures.backfill_refused = result.refused;
    await service.stop();
    await historian.close();
    console.log(
      JSON.stringify({
        ...figures,
        models: packages.map((p) => `${p.manifest.name} ${p.manifest.version}`),
        targets: { p99_ms: 5, pipeline_p99_ms: 20, event_loop_lag_p99_ms: 20, backfill_30d_s: 30 },
        ...benchMeta(
          `built-in models on onnxruntime-node CPU; ${LAG_SECONDS} s with every model every second and 10,000 tags/s into a real history file; backfill of 30 days at the forecaster's schedule`,
        ),
      }),
    );
  } finally {
    clearInterval(keepAlive);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
