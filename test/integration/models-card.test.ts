/**
 * The shipped models against their cards: a small held-out set is simulated afresh with
 * the substation physics (seeds, severities and start times training never saw), each
 * window built by the runtime's own feature-window code, run through onnxruntime-node,
 * and scored as models/training scores them. A model that falls below its card by more
 * than a small margin (or whose manifest does not validate, or whose hash does not match)
 * fails here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { modelManifestSchema, type ModelManifest } from '../../main/runtime/predictions/model-manifest.js';
import { buildWindow, type InputSeries } from '../../main/runtime/predictions/feature-window.js';
import { simulateRun, type RunResult } from '../../models/training/sim-runs.js';
import type { FaultKind } from '../../simulator/physics/faults.js';

const MODELS = join(import.meta.dirname, '../../models');
// Tuesday 2025-04-15 00:00 UTC: a date no training run starts on.
const START = Date.UTC(2025, 3, 15);

function loadManifest(name: string): ModelManifest {
  const text = readFileSync(join(MODELS, `${name}.model.yaml`), 'utf8');
  return modelManifestSchema.parse(parse(text));
}

function seriesOf(run: RunResult, tags: readonly string[], upTo: number): InputSeries[] {
  const width = run.channels.length;
  return tags.map((tag) => {
    const c = run.channels.indexOf(tag.replace(/^SS01\./, ''));
    if (c < 0) throw new Error(`models-card: ${tag} is not recorded by the simulated run`);
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i <= upTo; i++) {
      t.push(run.times[i]!);
      v.push(run.values[i * width + c]!);
    }
    return { tag, t, v, q: v.map(() => 0), gaps: [], live: { value: v[v.length - 1]!, bad: null } };
  });
}

/** Windows ending at the given rows, built as the runtime builds them; refused rows are left out. */
function windowsAt(
  manifest: ModelManifest,
  run: RunResult,
  rows: readonly number[],
): { rows: number[]; tensor: ort.Tensor; refused: string[] } {
  const kept: number[] = [];
  const refused: string[] = [];
  const parts: Float32Array[] = [];
  const full = seriesOf(
    run,
    manifest.input.tags.map((t) => t.tag),
    run.times.length - 1,
  );
  for (const row of rows) {
    // Only the past: cut the series at the window's end.
    const series = full.map((s) => ({
      ...s,
      t: s.t.slice(0, row + 1),
      v: s.v.slice(0, row + 1),
      q: s.q.slice(0, row + 1),
      live: { value: s.v[row]!, bad: null },
    }));
    const w = buildWindow(manifest, series, run.times[row]!);
    if (!w.ok) {
      refused.push(w.reason);
      continue;
    }
    kept.push(row);
    parts.push(w.tensor);
  }
  const channels = manifest.input.tags.length + (manifest.input.timeFeatures ? 4 : 0);
  const data = new Float32Array(parts.length * manifest.input.window * channels);
  parts.forEach((p, i) => data.set(p, i * p.length));
  return {
    rows: kept,
    tensor: new ort.Tensor('float32', data, [parts.length, manifest.input.window, channels]),
    refused,
  };
}

async function runModel(manifest: ModelManifest, tensor: ort.Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(join(MODELS, manifest.file));
  try {
    const out = await session.run({ [manifest.input.tensor]: tensor });
    return out[manifest.output.tensor]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function column(run: RunResult, signal: string): Float32Array {
  const width = run.channels.length;
  const c = run.channels.indexOf(signal);
  return Float32Array.from({ length: run.times.length }, (_, i) => run.values[i * width + c]!);
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

describe('built-in model packages', () => {
  for (const name of ['ss01_forecast', 'ss01_faults']) {
    it(`${name}: manifest validates and its SHA-256 matches the ONNX file`, async () => {
      const manifest = loadManifest(name);
      const digest = createHash('sha256')
        .update(readFileSync(join(MODELS, manifest.file)))
        .digest('hex');
      expect(digest).toBe(manifest.sha256);
      expect(manifest.opset).toBeLessThanOrEqual(17);
      const session = await ort.InferenceSession.create(join(MODELS, manifest.file));
      expect(session.inputNames).toEqual([manifest.input.tensor]);
      expect(session.outputNames).toEqual([manifest.output.tensor]);
      await session.release();
    });
  }
});

describe('SS01_FORECAST on a fresh held-out run', () => {
  it('keeps its card: 60-min skill, 24-h load skill and band coverage', { timeout: 240_000 }, async () => {
    const manifest = loadManifest('ss01_forecast');
    const card = manifest.card.metrics;
    const run = simulateRun(
      { id: 'card-forecast', seed: 4711, startTime: START, minutes: 3 * 1440, faults: [], alarms: false },
      null,
    );
    const power = column(run, 'HM.POWER');
    const temp = column(run, 'HX.T_SEC_SUP');
    const rows: number[] = [];
    for (let t = 1439; t + 1440 < run.times.length; t += 10) rows.push(t);
    const { rows: kept, tensor, refused } = windowsAt(manifest, run, rows);
    expect(refused.length / rows.length, refused[0]).toBeLessThan(0.1);
    const out = await runModel(manifest, tensor);
    const width = out.length / kept.length;
    const byName = new Map(manifest.output.values.map((v) => [v.name, v]));
    const value = (k: number, name: string): number => {
      const o = byName.get(name)!;
      const raw = out[k * width + o.index]!;
      return o.denormalize ? raw * o.denormalize.std + o.denormalize.mean : raw;
    };
    const hourMean = (t: number, h: number): number =>
      mean(Array.from(power.subarray(t + 1 + 60 * (h - 1), t + 1 + 60 * h)));
    const err: Record<string, number[]> = {
      p60: [],
      p60Persist: [],
      t60: [],
      t60Persist: [],
      load: [],
      loadNaive: [],
      inside: [],
    };
    kept.forEach((t, k) => {
      err.p60!.push(Math.abs(value(k, 'HM_POWER_60M_P50') - power[t + 60]!));
      err.p60Persist!.push(Math.abs(power[t]! - power[t + 60]!));
      err.t60!.push(Math.abs(value(k, 'T_SEC_SUP_60M_P50') - temp[t + 60]!));
      err.t60Persist!.push(Math.abs(temp[t]! - temp[t + 60]!));
      for (let h = 1; h <= 24; h++) {
        const y = hourMean(t, h);
        const name = `LOAD_H${String(h).padStart(2, '0')}`;
        err.load!.push(Math.abs(value(k, `${name}_P50`) - y));
        err.loadNaive!.push(Math.abs(hourMean(t - 1440, h) - y));
        err.inside!.push(y >= value(k, `${name}_P10`) && y <= value(k, `${name}_P90`) ? 1 : 0);
      }
      for (const [signal, series] of [
        ['HM_POWER', power],
        ['T_SEC_SUP', temp],
      ] as const) {
        for (const h of [15, 30, 60]) {
          const y = series[t + h]!;
          err.inside!.push(y >= value(k, `${signal}_${h}M_P10`) && y <= value(k, `${signal}_${h}M_P90`) ? 1 : 0);
        }
      }
    });
    const skill60 = 1 - mean(err.p60!) / mean(err.p60Persist!);
    const tsupSkill60 = 1 - mean(err.t60!) / mean(err.t60Persist!);
    const loadSkill = 1 - mean(err.load!) / mean(err.loadNaive!);
    const coverage = mean(err.inside!);
    const measured = {
      windows: kept.length,
      skill60,
      tsupSkill60,
      loadSkill,
      coverage,
      p60MaeKw: mean(err.p60!),
      loadMaeKw: mean(err.load!),
    };
    // One fresh run is a small sample: the margins are what three days can tell apart.
    expect(skill60, JSON.stringify(measured)).toBeGreaterThan(card['power_skill_60m_vs_persistence']! - 0.12);
    expect(tsupSkill60, JSON.stringify(measured)).toBeGreaterThan(card['tsup_skill_60m_vs_persistence']! - 0.12);
    expect(loadSkill, JSON.stringify(measured)).toBeGreaterThan(card['load24h_skill_vs_seasonal_naive']! - 0.2);
    expect(coverage, JSON.stringify(measured)).toBeGreaterThan(card['band80_coverage']! - 0.12);
    expect(coverage, JSON.stringify(measured)).toBeLessThan(card['band80_coverage']! + 0.12);
  });
});

describe('SS01_FAULTS on fresh held-out fault runs', () => {
  it(
    'keeps its card: classes recognized, warnings raised after the fault and not before',
    { timeout: 240_000 },
    async () => {
      const manifest = loadManifest('ss01_faults');
      const card = manifest.card.metrics;
      const labels = manifest.output.values.map((v) => v.label!);
      const kinds: { kind: FaultKind; severity: number; target?: string }[] = [
        { kind: 'hx-fouling', severity: 0.7 },
        { kind: 'pump-bearing-wear', severity: 0.6, target: 'P1' },
        { kind: 'secondary-leak', severity: 0.4 },
        { kind: 'sensor-drift', severity: 0.7, target: 'HX.T_SEC_SUP' },
        { kind: 'stuck-valve', severity: 0.9 },
      ];
      const startMin = 120;
      const threshold = manifest.thresholds[0]!;
      const truth: number[] = [];
      const predicted: number[] = [];
      const report: Record<string, unknown>[] = [];
      let earlyWarnings = 0;
      for (const [i, f] of kinds.entries()) {
        const run = simulateRun(
          {
            id: `card-${f.kind}`,
            seed: 5100 + i,
            startTime: START + (i * 7 + 3) * 3_600_000,
            minutes: startMin + 150,
            faults: [{ startMin, ...f }],
            alarms: false,
          },
          null,
        );
        const rows: number[] = [];
        for (let t = manifest.input.window - 1; t < run.times.length; t++) rows.push(t);
        const { rows: kept, tensor, refused } = windowsAt(manifest, run, rows);
        expect(refused.length / rows.length, refused[0]).toBeLessThan(0.05);
        const p = await runModel(manifest, tensor);
        const n = labels.length;
        const k = labels.indexOf(f.kind);
        const level = column(run, `LEVEL.${f.kind}`);
        let streak = 0;
        let warnedAfter: number | null = null;
        kept.forEach((t, j) => {
          const row = Array.from(p.subarray(j * n, (j + 1) * n));
          const minute = t + 1;
          const best = row.indexOf(Math.max(...row));
          // Scored like the card: normal before the fault, the fault once visible (15 min, or a few % developed).
          const visible =
            f.kind === 'secondary-leak' || f.kind === 'stuck-valve'
              ? minute - startMin >= 15
              : level[t]! >= (f.kind === 'sensor-drift' ? 0.06 : 0.03);
          if (minute < startMin || visible) {
            truth.push(minute < startMin ? 0 : k);
            predicted.push(best);
          }
          const anyFault = row.slice(1).some((x) => x > (threshold.above ?? 1));
          streak = anyFault ? streak + 1 : 0;
          if (streak >= threshold.forRuns) {
            if (minute < startMin) earlyWarnings++;
            else if (warnedAfter === null && best === k) warnedAfter = minute - startMin;
          }
        });
        report.push({ kind: f.kind, warnedAfter });
      }
      const f1 = labels.map((_, k) => {
        const tp = truth.filter((y, i) => y === k && predicted[i] === k).length;
        const fp = truth.filter((y, i) => y !== k && predicted[i] === k).length;
        const fn = truth.filter((y, i) => y === k && predicted[i] !== k).length;
        return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
      });
      const macroF1 = mean(f1);
      const measured = JSON.stringify({ macroF1, f1, earlyWarnings, report });
      expect(macroF1, measured).toBeGreaterThan(card['macro_f1']! - 0.1);
      expect(earlyWarnings, measured).toBe(0);
      for (const r of report) expect(r.warnedAfter, measured).not.toBeNull();
    },
  );
});
