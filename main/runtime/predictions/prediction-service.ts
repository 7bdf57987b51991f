/**
 * Models running in the station: each active model on its schedule builds its window
 * from history and the live tag table, passes the quality gate, runs (onnxruntime-node's
 * `run` calls the native session synchronously in a setImmediate: short for these models,
 * measured as event-loop lag in bench:predict), and
 * writes its outputs as tags — historized, pushed to windows and alarmable like any
 * other tag. When the gate refuses, the output tags go Bad with the reason. Thresholds
 * from the manifest raise predictive alarms through the alarm service.
 *
 * A new package replaces a running model only after it loaded and passed its dry run;
 * a failing one leaves the old one running.
 */
import type { Sample } from '../../../protocols/driver.js';
import type { ContributionsDto, TagInfo } from '../../../preload/contract.js';
import type { TagTable, TagUpdate } from '../tags/tag-table.js';
import type { Logger } from '../logging/logger.js';
import type { AlarmService } from '../alarms/alarm-service.js';
import { externalDefinition } from '../alarms/alarm-definitions.js';
import { areaOfTag } from '../security/permissions.js';
import { buildWindow, resample, stepTimes, windowFromChannels, type InputSeries } from './feature-window.js';
import { RunnableModel, type ModelPackage } from './model-package.js';
import type { ModelManifest, ModelOutput } from './model-manifest.js';
import { checkableOutputs, forecastError, judge, type ForecastCheck } from './forecast-monitor.js';
import { occludedWindows, raisedClasses, rankContributions } from './contributions.js';
import { BackfillGrid } from './backfill-grid.js';

/** What the service reads history through (the historian's raw query). */
export interface HistorySource {
  /** Backfill stores a model's outputs over past times straight into history. */
  ingest?(samples: readonly Sample[]): void;
  flush?(): Promise<void>;
  queryRaw(
    tag: string,
    from: number,
    to: number,
    limit?: number,
  ): {
    t: readonly number[];
    v: readonly (number | boolean | string | null)[];
    q: readonly number[];
    gaps: readonly { from: number; to: number }[];
  };
}

export interface ModelStats {
  readonly runs: number;
  readonly refused: number;
  readonly failures: number;
  readonly lastRunAt: number | null;
  readonly lastLatencyMs: number | null;
  readonly latencyP50Ms: number | null;
  readonly latencyP99Ms: number | null;
  readonly lastResult: 'ok' | 'refused' | 'failed' | null;
  readonly lastReason: string | null;
}

interface Running {
  model: RunnableModel;
  timer: NodeJS.Timeout | null;
  busy: boolean;
  latencies: number[];
  stats: {
    runs: number;
    refused: number;
    failures: number;
    lastRunAt: number | null;
    lastLatencyMs: number | null;
    lastResult: ModelStats['lastResult'];
    lastReason: string | null;
  };
  /** Consecutive runs each threshold held. */
  streaks: number[];
  /** Classifiers: the signals behind each class at its watch level, from the last run (null when none is). */
  contributions: ContributionsDto | null;
}

export interface PredictionServiceOptions {
  readonly tags: TagTable;
  readonly history: HistorySource;
  readonly alarms: AlarmService | null;
  readonly log: Logger;
  readonly now?: () => number;
}

/** `SS01_FORECAST` in area SS01 → `FORECAST`: the area is already the tag's first part. */
function shortName(manifest: ModelManifest, area: string): string {
  return manifest.name.startsWith(`${area}_`) ? manifest.name.slice(area.length + 1) : manifest.name;
}

export function modelArea(manifest: ModelManifest): string {
  return areaOfTag(manifest.input.tags[0]!.tag) ?? 'STATION';
}

/** The tag an output is written to: `<area>.<model>.<output>`, e.g. SS01.FORECAST.HM_POWER_60M_P50. */
export function outputTag(manifest: ModelManifest, output: ModelOutput): string {
  const area = modelArea(manifest);
  return `${area}.${shortName(manifest, area)}.${output.name}`;
}

export function predictiveAlarmId(manifest: ModelManifest, outputName: string): string {
  const area = modelArea(manifest);
  return `${area}.${shortName(manifest, area)}.${outputName}.PRED`;
}

/** How far back history is read before the window, to find the value each step carries forward. */
const LOOKBACK_MS = 15 * 60_000;
/** A reconciliation re-reads this much of what it already read: history arrives in flushed batches. */
const REREAD_MS = 5 * 60_000;
/** How often a warm window is checked against history (between, the live tag stream feeds it). */
const RECONCILE_MS = 5 * 60_000;

interface CachedSeries {
  t: number[];
  v: (number | null)[];
  q: number[];
  gaps: { from: number; to: number }[];
  /** History was read up to here. */
  until: number;
  /** When (service clock) history was last read. */
  readAt: number;
}

const numeric = (x: number | boolean | string | null): number | null =>
  typeof x === 'number' ? x : typeof x === 'boolean' ? (x ? 1 : 0) : null;

/** One quality object for every Good output a backfill stores (millions of them over a month). */
const GOOD: Sample['quality'] = { code: 'Good' };

function quantile(sorted: readonly number[], q: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export class PredictionService {
  private readonly running = new Map<string, Running>();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly options: PredictionServiceOptions) {
    this.now = options.now ?? Date.now;
    this.stopLive = options.tags.subscribe((updates) => this.onLive(updates));
  }

  /** Output tags of a model, to create in the tag table before it runs. */
  static outputTags(manifest: ModelManifest): string[] {
    return manifest.output.values.map((o) => outputTag(manifest, o));
  }

  tagInfos(): TagInfo[] {
    const out: TagInfo[] = [];
    for (const { model } of this.running.values()) {
      const m = model.manifest;
      for (const o of m.output.values) {
        out.push({
          name: outputTag(m, o),
          device: `model ${m.name} ${m.version}`,
          description: o.description,
          unit: o.unit,
          kind: 'analog',
          decimals: o.decimals,
          writable: false,
          critical: false,
          intervalMs: m.schedule.everyS * 1000,
        });
      }
    }
    return out;
  }

  /** Start (or replace) a model from a package; throws ModelPackageError and keeps the running one if it cannot load. */
  async activate(pkg: ModelPackage): Promise<void> {
    const model = await RunnableModel.open(pkg);
    const m = model.manifest;
    this.options.tags.define(PredictionService.outputTags(m), this.now());
    this.defineAlarms(m);
    const previous = this.running.get(m.name);
    if (previous) {
      if (previous.timer) clearInterval(previous.timer);
      await previous.model.close();
      // The new version may read other tags: its windows are read afresh (below), none left to grow.
      for (const perModel of this.cache.values()) perModel.delete(m.name);
    }
    const entry: Running = {
      model,
      timer: null,
      busy: false,
      latencies: [],
      stats: {
        runs: 0,
        refused: 0,
        failures: 0,
        lastRunAt: null,
        lastLatencyMs: null,
        lastResult: null,
        lastReason: null,
      },
      streaks: m.thresholds.map(() => 0),
      contributions: null,
    };
    this.running.set(m.name, entry);
    this.warm(m);
    if (!this.stopped) {
      entry.timer = setInterval(() => void this.runOnce(m.name), m.schedule.everyS * 1000);
      entry.timer.unref();
    }
    this.options.log.info({ model: m.name, version: m.version, file: pkg.onnxFile }, 'model active');
  }

  /**
   * Read the model's whole window from history now, at activation, so that no scheduled run
   * pays for the cold read (24 h of a dozen tags for the forecaster): each run then asks
   * history only for its last few minutes.
   */
  private warm(m: ModelManifest): void {
    try {
      this.series(m, this.now());
    } catch (err) {
      this.options.log.warn({ err, model: m.name }, 'model window not read ahead; the first run reads it');
    }
  }

  private defineAlarms(m: ModelManifest): void {
    const alarms = this.options.alarms;
    if (!alarms) return;
    for (const t of m.thresholds) {
      const output = m.output.values.find((o) => o.name === t.output)!;
      const ahead =
        output.horizonMin !== undefined
          ? { en: ` (in about ${output.horizonMin} min)`, zh: `(约 ${output.horizonMin} 分钟后)` }
          : { en: '', zh: '' };
      alarms.defineExternal(
        externalDefinition({
          id: predictiveAlarmId(m, t.output),
          source: 'predictive',
          kind: 'predictive',
          priority: t.priority,
          message: { en: `${t.message.en}${ahead.en}`, zh: `${t.message.zh ?? t.message.en}${ahead.zh}` },
          action: t.action,
          cause: {
            en: `Model ${m.name} ${m.version}: ${output.description.en} ${t.above !== undefined ? `above ${t.above}` : `below ${t.below}`} ${output.unit}`.trim(),
          },
          area: t.area ?? modelArea(m),
          equipment: t.equipment ?? null,
          tag: outputTag(m, output),
          unit: output.unit,
          screen: 'alarms',
          limit: t.above ?? t.below ?? null,
        }),
      );
    }
  }

  models(): { manifest: ModelManifest; file: string; stats: ModelStats; contributions: ContributionsDto | null }[] {
    return [...this.running.values()].map((r) => {
      const sorted = [...r.latencies].sort((a, b) => a - b);
      return {
        manifest: r.model.manifest,
        file: r.model.pkg.onnxFile,
        stats: { ...r.stats, latencyP50Ms: quantile(sorted, 0.5), latencyP99Ms: quantile(sorted, 0.99) },
        contributions: r.contributions,
      };
    });
  }

  get(name: string): RunnableModel | undefined {
    return this.running.get(name)?.model;
  }

  /**
   * Each input's window, kept warm: read from history once (at activation), then fed by the
   * live tag stream, and checked against history (its last few minutes re-read, which also
   * brings samples written late or by another path) every RECONCILE_MS.
   */
  /**
   * Per tag, one cached series per model: models reading the same tag over windows of
   * different length must not trim each other's (a 6-hour window trimming a 24-hour one made
   * every run of the longer model read its whole window again).
   */
  private readonly cache = new Map<string, Map<string, CachedSeries>>();
  private readonly stopLive: () => void;

  private onLive(updates: readonly TagUpdate[]): void {
    for (const { sample } of updates) {
      const perModel = this.cache.get(sample.tag);
      if (!perModel) continue;
      for (const c of perModel.values()) {
        if (c.t.length > 0 && sample.sourceTime <= c.t[c.t.length - 1]!) continue;
        c.t.push(sample.sourceTime);
        c.v.push(numeric(sample.value));
        c.q.push(sample.quality.code === 'Good' ? 0 : sample.quality.code === 'Uncertain' ? 1 : 2);
      }
    }
  }

  /**
   * A tag's samples in [from, end]: a 24-hour window is read from history once; later runs
   * use what the live stream added, and every RECONCILE_MS ask history for the last few
   * minutes again (samples written late land inside the re-read overlap).
   */
  private history(
    model: string,
    tag: string,
    from: number,
    end: number,
  ): { t: number[]; v: (number | null)[]; q: number[]; gaps: { from: number; to: number }[] } {
    let perModel = this.cache.get(tag);
    if (!perModel) this.cache.set(tag, (perModel = new Map()));
    let c = perModel.get(model);
    const now = this.now();
    // Read it all when nothing is cached yet, or when what is cached does not reach back to `from`
    // (history shorter than the window so far, or written by another path than the tag stream).
    if (!c || c.until < from || c.t.length === 0 || c.t[0]! > from) {
      const raw = this.options.history.queryRaw(tag, from, end, 500_000);
      c = { t: [...raw.t], v: raw.v.map(numeric), q: [...raw.q], gaps: [...raw.gaps], until: end, readAt: now };
    } else if (now - c.readAt < RECONCILE_MS && now >= c.readAt) {
      // Fed by the live stream since history was last read.
    } else {
      c.readAt = now;
      const since = Math.max(from, c.until - REREAD_MS);
      const raw = this.options.history.queryRaw(tag, since, end, 500_000);
      let keep = c.t.length;
      while (keep > 0 && c.t[keep - 1]! >= since) keep--;
      c.t.length = keep;
      c.v.length = keep;
      c.q.length = keep;
      c.gaps = [...c.gaps.filter((g) => g.to < since), ...raw.gaps];
      for (let i = 0; i < raw.t.length; i++) {
        c.t.push(raw.t[i]!);
        c.v.push(numeric(raw.v[i]!));
        c.q.push(raw.q[i]!);
      }
      c.until = end;
    }
    // Forget what no window will look at again; keep one sample before `from` to carry forward.
    let first = 0;
    while (first + 1 < c.t.length && c.t[first + 1]! <= from) first++;
    if (first > 0) {
      c.t.splice(0, first);
      c.v.splice(0, first);
      c.q.splice(0, first);
    }
    c.gaps = c.gaps.filter((g) => g.to >= from);
    perModel.set(model, c);
    return c;
  }

  /** Read the window's history for every input of a model, with the live value as the newest sample. */
  private series(m: ModelManifest, end: number): InputSeries[] {
    const steps = stepTimes(m.input, end);
    const from = steps[0]! - LOOKBACK_MS;
    return m.input.tags.map(({ tag }) => {
      const stored = this.history(m.name, tag, from, end);
      const live = this.options.tags.get(tag);
      const liveValue =
        live && typeof live.value === 'number'
          ? live.value
          : live && typeof live.value === 'boolean'
            ? live.value
              ? 1
              : 0
            : null;
      // The live value counts as the newest sample: history may not have it yet.
      let { t, v, q } = stored;
      if (
        live &&
        live.quality.code !== 'Bad' &&
        liveValue !== null &&
        (t.length === 0 || live.sourceTime > t[t.length - 1]!)
      ) {
        t = [...t, Math.min(live.sourceTime, end)];
        v = [...v, liveValue];
        q = [...q, live.quality.code === 'Good' ? 0 : 1];
      }
      return {
        tag,
        t,
        v,
        q,
        gaps: stored.gaps,
        live: {
          value: liveValue,
          bad: !live
            ? 'not in the tag table'
            : live.quality.code === 'Bad'
              ? (live.quality.reason ?? 'Bad quality')
              : null,
        },
      };
    });
  }

  /** Run one model now; resolves when its outputs are in the tag table. */
  async runOnce(name: string): Promise<ModelStats['lastResult']> {
    const r = this.running.get(name);
    if (!r || r.busy) return null;
    r.busy = true;
    const m = r.model.manifest;
    const started = performance.now();
    const now = this.now();
    try {
      const window = buildWindow(m, this.series(m, now), now);
      if (!window.ok) {
        this.writeBad(m, window.reason, now);
        r.stats.refused++;
        r.stats.lastResult = 'refused';
        r.stats.lastReason = window.reason;
        return 'refused';
      }
      const [out] = await r.model.infer(window.tensor);
      if (this.running.get(name) !== r) return null; // replaced while running
      const samples: Sample[] = [];
      const values = new Map<string, number>();
      for (const o of m.output.values) {
        let v = out![o.index]!;
        if (o.denormalize) v = v * o.denormalize.std + o.denormalize.mean;
        const scale = 10 ** o.decimals;
        v = Math.round(v * scale) / scale;
        values.set(o.name, v);
        samples.push({
          tag: outputTag(m, o),
          value: Number.isFinite(v) ? v : null,
          quality: Number.isFinite(v)
            ? { code: 'Good' }
            : { code: 'Bad', reason: `model ${m.name} gave no finite number` },
          sourceTime: window.end,
          receiveTime: now,
        });
      }
      this.options.tags.apply(samples);
      this.judgeThresholds(r, values);
      // A fault class at its watch level: which signals drive it (one batch, one window per input tag).
      const raised = raisedClasses(m, values);
      if (raised.length === 0) r.contributions = null;
      else {
        const t0 = performance.now();
        const occluded = await r.model.infer(occludedWindows(m.input, window.tensor), m.input.tags.length);
        if (this.running.get(name) !== r) return null;
        r.contributions = rankContributions(
          m,
          raised,
          out!,
          occluded,
          window.tensor,
          window.end,
          performance.now() - t0,
        );
      }
      r.stats.lastResult = 'ok';
      r.stats.lastReason = null;
      return 'ok';
    } catch (err) {
      const reason = `model ${m.name} failed: ${err instanceof Error ? err.message : String(err)}`;
      this.options.log.error({ err, model: m.name }, 'model run failed');
      this.writeBad(m, reason, now);
      r.stats.failures++;
      r.stats.lastResult = 'failed';
      r.stats.lastReason = reason;
      return 'failed';
    } finally {
      const latency = performance.now() - started;
      r.busy = false;
      r.stats.runs++;
      r.stats.lastRunAt = now;
      r.stats.lastLatencyMs = Math.round(latency * 100) / 100;
      r.latencies.push(latency);
      if (r.latencies.length > 1000) r.latencies.splice(0, r.latencies.length - 1000);
    }
  }

  private writeBad(m: ModelManifest, reason: string, now: number): void {
    this.options.tags.apply(
      m.output.values.map((o) => ({
        tag: outputTag(m, o),
        value: null,
        quality: { code: 'Bad' as const, reason: `no prediction: ${reason}` },
        sourceTime: now,
        receiveTime: now,
      })),
    );
  }

  private judgeThresholds(r: Running, values: ReadonlyMap<string, number>): void {
    const alarms = this.options.alarms;
    const m = r.model.manifest;
    m.thresholds.forEach((t, i) => {
      const v = values.get(t.output);
      const holds = v !== undefined && Number.isFinite(v) && (t.above !== undefined ? v > t.above : v < t.below!);
      r.streaks[i] = holds ? r.streaks[i]! + 1 : 0;
      alarms?.setExternal(predictiveAlarmId(m, t.output), r.streaks[i]! >= t.forRuns, v ?? null);
    });
  }

  /**
   * Run a model over a past range (batch inference), storing its outputs as history at
   * the times they would have been produced, so a model can be judged on last month
   * before it is trusted. Each input is resampled once for the whole range; windows are
   * slices of it and go through the same quality gate. `stepS` defaults to the schedule.
   */
  async backfill(
    name: string,
    from: number,
    to: number,
    options: {
      stepS?: number;
      batch?: number;
      signal?: AbortSignal;
      onProgress?: (fraction: number, runs: number) => void;
    } = {},
  ): Promise<{ runs: number; refused: number; stored: number }> {
    const r = this.running.get(name);
    if (!r) throw new Error(`model ${name} is not running`);
    const history = this.options.history;
    if (!history.ingest) throw new Error('history cannot be written, so there is nowhere to store a backfill');
    const m = r.model.manifest;
    const period = m.input.periodS * 1000;
    const stepMs = (options.stepS ?? m.schedule.everyS) * 1000;
    const batch = options.batch ?? 64;
    const first = Math.ceil(from / stepMs) * stepMs;
    const runTimes: number[] = [];
    for (let t = first; t <= to; t += stepMs) runTimes.push(t);
    if (runTimes.length === 0) return { runs: 0, refused: 0, stored: 0 };
    // One resampled grid for the whole range: the window of run time t ends at its aligned step.
    const gridStart = Math.floor(first / period) * period - (m.input.window - 1) * period;
    const gridEnd = Math.floor(to / period) * period;
    const grid: number[] = [];
    for (let t = gridStart; t <= gridEnd; t += period) grid.push(t);
    const channels = m.input.tags.map(({ tag }) => {
      const raw = history.queryRaw(tag, gridStart - LOOKBACK_MS, gridEnd, 50_000_000);
      const v = raw.v.map((x) => (typeof x === 'number' ? x : typeof x === 'boolean' ? (x ? 1 : 0) : null));
      return resample({ tag, t: raw.t, v, q: raw.q, gaps: raw.gaps, live: { value: null, bad: null } }, grid);
    });
    const channelsCount = m.input.tags.length + (m.input.timeFeatures ? 4 : 0);
    // Windows that pass the gate as they stand are views into one normalized grid; the others go through the exact gate.
    const fast = new BackfillGrid(m.input, channels, grid);
    const size = m.input.window * channelsCount;
    const input = new Float32Array(batch * size);
    const outputTags = m.output.values.map((o) => outputTag(m, o));
    let refused = 0;
    let stored = 0;
    let done = 0;
    for (let b = 0; b < runTimes.length; b += batch) {
      if (options.signal?.aborted) throw new Error('backfill cancelled');
      const times = runTimes.slice(b, b + batch);
      const ok: { at: number; tensor: Float32Array }[] = [];
      const samples: Sample[] = [];
      for (const at of times) {
        const end = Math.floor((Math.floor(at / period) * period - gridStart) / period);
        const view = fast.window(end);
        if (view) {
          ok.push({ at, tensor: view });
          continue;
        }
        const startIndex = end - m.input.window + 1;
        const window = windowFromChannels(
          m.input,
          channels.map((c) => c.subarray(startIndex, end + 1)),
          grid.slice(startIndex, end + 1),
        );
        if (window.ok) ok.push({ at, tensor: window.tensor });
        else {
          refused++;
          for (const o of m.output.values)
            samples.push({
              tag: outputTag(m, o),
              value: null,
              quality: { code: 'Bad', reason: `no prediction: ${window.reason}` },
              sourceTime: at,
              receiveTime: at,
            });
        }
      }
      if (ok.length > 0) {
        ok.forEach((w, i) => input.set(w.tensor, i * size));
        const outputs = await r.model.infer(
          ok.length === batch ? input : input.subarray(0, ok.length * size),
          ok.length,
        );
        ok.forEach((w, i) => {
          m.output.values.forEach((o, j) => {
            let v = outputs[i]![o.index]!;
            if (o.denormalize) v = v * o.denormalize.std + o.denormalize.mean;
            const scale = 10 ** o.decimals;
            samples.push({
              tag: outputTags[j]!,
              value: Math.round(v * scale) / scale,
              quality: GOOD,
              sourceTime: w.at,
              receiveTime: w.at,
            });
          });
        });
      }
      history.ingest(samples);
      stored += samples.length;
      done += times.length;
      options.onProgress?.(done / runTimes.length, done);
      // Let the station breathe between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await history.flush?.();
    return { runs: runTimes.length, refused, stored };
  }

  /** Realized error of each checkable forecast output over the last 24 h, against its card. */
  forecastChecks(name: string): ForecastCheck[] {
    const r = this.running.get(name);
    if (!r) return [];
    const m = r.model.manifest;
    const now = this.now();
    return checkableOutputs(m).map((o) => {
      const horizonMs = o.horizonMin! * 60_000;
      const forecast = this.options.history.queryRaw(
        outputTag(m, o),
        now - 86_400_000 - horizonMs,
        now - horizonMs,
        200_000,
      );
      const actual = this.options.history.queryRaw(o.target!, now - 86_400_000 - LOOKBACK_MS, now, 500_000);
      return judge(m, o, forecastError(forecast, actual, horizonMs));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopLive();
    for (const r of this.running.values()) {
      if (r.timer) clearInterval(r.timer);
      await r.model.close();
    }
    this.running.clear();
  }
}
