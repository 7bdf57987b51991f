/**
 * Contributing signals of a classifier (occlusion), with a real ONNX model whose answer is
 * known: test/fixtures/models/dominant-channel.onnx gives P(fault) = softmax([0, 4·mean(ch0)
 * + 1·mean(ch1) + 0·mean(ch2)]) over the window. Channel 0 must come first, channel 1
 * second, channel 2 never; the direction follows the window's side of the training mean;
 * nothing is computed while the class is below its watch level.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelManifestSchema, type ModelManifest } from '../../main/runtime/predictions/model-manifest.js';
import { RunnableModel } from '../../main/runtime/predictions/model-package.js';
import {
  occludedWindows,
  raisedClasses,
  rankContributions,
  watchLevel,
} from '../../main/runtime/predictions/contributions.js';
import { PredictionService, type HistorySource } from '../../main/runtime/predictions/prediction-service.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import { createLogger } from '../../main/runtime/logging/logger.js';

const onnxFile = join(import.meta.dirname, '../fixtures/models/dominant-channel.onnx');
const bytes = readFileSync(onnxFile);
const TAGS = ['SS01.HX.UA', 'SS01.HX.APPROACH', 'SS01.OUT.T'];

const manifest: ModelManifest = modelManifestSchema.parse({
  manifestVersion: 1,
  name: 'SS01_DOMINANT',
  version: '1.0.0',
  kind: 'classifier',
  description: { en: 'dominant channel (test model)' },
  file: 'dominant-channel.onnx',
  sha256: createHash('sha256').update(bytes).digest('hex'),
  opset: 13,
  input: {
    tensor: 'x',
    periodS: 60,
    window: 4,
    tags: TAGS.map((tag) => ({ tag, mean: 50, std: 10, trainingRange: [0, 100] })),
  },
  output: {
    tensor: 'y',
    values: [
      { name: 'P_NORMAL', description: { en: 'Normal' }, index: 0, label: 'normal', decimals: 3 },
      { name: 'P_FOULING', description: { en: 'Fouling' }, index: 1, label: 'hx-fouling', decimals: 3 },
    ],
  },
  schedule: { everyS: 60 },
  thresholds: [
    { output: 'P_FOULING', above: 0.8, priority: 'low', message: { en: 'Fouling' }, action: { en: 'Clean' } },
  ],
  card: { trainingData: 'none (test)', metrics: {}, date: '2026-11-30', codeRevision: 'test' },
});
const pkg = { manifest, manifestFile: 'dominant.model.yaml', onnxFile, bytes };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A normalized window [1, 4, 3] with each channel constant at `z`. */
function window(z: [number, number, number]): Float32Array {
  const t = new Float32Array(4 * 3);
  for (let k = 0; k < 4; k++) for (let c = 0; c < 3; c++) t[k * 3 + c] = z[c]!;
  return t;
}

describe('contributing signals by occlusion', () => {
  it('ranks the dominant channel first, the weak one second and the unused one never, with the direction', async () => {
    const model = await RunnableModel.open(pkg);
    cleanups.push(() => model.close());
    const tensor = window([1, 1, -2]);
    const [base] = await model.infer(tensor);
    const occluded = await model.infer(occludedWindows(manifest.input, tensor), 3);
    // sigmoid(5) ≈ 0.993; without ch0 sigmoid(1) ≈ 0.731; without ch1 sigmoid(4) ≈ 0.982; ch2 changes nothing.
    expect(base![1]).toBeCloseTo(1 / (1 + Math.exp(-5)), 4);
    const raised = raisedClasses(
      manifest,
      new Map([
        ['P_NORMAL', base![0]!],
        ['P_FOULING', base![1]!],
      ]),
    );
    expect(raised.map((o) => o.name)).toEqual(['P_FOULING']);
    const result = rankContributions(manifest, raised, base!, occluded, tensor, 1_000, 0.4);
    expect(result.classes).toHaveLength(1);
    const [fouling] = result.classes;
    expect(fouling!.signals.map((s) => s.tag)).toEqual(['SS01.HX.UA', 'SS01.HX.APPROACH']);
    expect(fouling!.signals[0]!.drop).toBeCloseTo(1 / (1 + Math.exp(-5)) - 1 / (1 + Math.exp(-1)), 2);
    expect(fouling!.signals[1]!.drop).toBeCloseTo(1 / (1 + Math.exp(-5)) - 1 / (1 + Math.exp(-4)), 2);
    expect(fouling!.signals.map((s) => s.direction)).toEqual(['high', 'high']);
  });

  it('says "low" for a signal whose window sat below its training mean', () => {
    const tensor = window([-1.5, 0.2, 0]);
    const raised = raisedClasses(manifest, new Map([['P_FOULING', 0.9]]));
    // Made-up outputs: the class falls most without ch0 (below its mean), a little without ch1, not without ch2.
    const base = Float32Array.from([0.1, 0.9]);
    const occluded = [Float32Array.from([0.7, 0.3]), Float32Array.from([0.2, 0.8]), Float32Array.from([0.1, 0.9])];
    const result = rankContributions(manifest, raised, base, occluded, tensor, 0, 0);
    expect(result.classes[0]!.signals.map((s) => `${s.tag} ${s.direction} ${s.drop}`)).toEqual([
      'SS01.HX.UA low 0.6',
      'SS01.HX.APPROACH high 0.1',
    ]);
  });

  it('explains a class from half its alarm threshold on, never the normal class', () => {
    const fouling = manifest.output.values[1]!;
    expect(watchLevel(manifest, fouling)).toBe(0.4);
    expect(
      raisedClasses(
        manifest,
        new Map([
          ['P_NORMAL', 0.99],
          ['P_FOULING', 0.39],
        ]),
      ),
    ).toEqual([]);
    expect(
      raisedClasses(
        manifest,
        new Map([
          ['P_NORMAL', 0.6],
          ['P_FOULING', 0.4],
        ]),
      ).map((o) => o.name),
    ).toEqual(['P_FOULING']);
  });

  it('a scheduled run computes them only while a class is at its watch level, and says what it cost', async () => {
    const tags = new TagTable(TAGS);
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    let values: [number, number, number] = [60, 60, 30];
    // History: a sample per minute of the current values (the live value is the newest).
    const history: HistorySource = {
      queryRaw: (tag, from, to) => {
        const t: number[] = [];
        for (let at = Math.ceil(from / 60_000) * 60_000; at <= to; at += 60_000) t.push(at);
        const v = values[TAGS.indexOf(tag)]!;
        return { t, v: t.map(() => v), q: t.map(() => 0), gaps: [] };
      },
    };
    const service = new PredictionService({
      tags,
      history,
      alarms: null,
      log: createLogger({ level: 'silent' }),
      now: () => now,
    });
    cleanups.push(() => service.stop());
    const live = () =>
      tags.apply(
        TAGS.map((tag, i) => ({
          tag,
          value: values[i]!,
          quality: { code: 'Good' as const },
          sourceTime: now,
          receiveTime: Date.now(),
        })),
      );
    live();
    await service.activate(pkg);
    const result = await service.runOnce('SS01_DOMINANT');
    expect(service.models()[0]!.stats.lastReason).toBeNull();
    expect(result).toBe('ok');
    const first = service.models()[0]!.contributions;
    // z = 4·1 + 1·1 = 5: P ≈ 0.99, above its watch level 0.4.
    expect(first?.classes[0]?.signals.map((s) => s.tag)).toEqual(['SS01.HX.UA', 'SS01.HX.APPROACH']);
    expect(first!.costMs).toBeGreaterThan(0);
    expect(first!.at).toBe(now);
    values = [40, 50, 50]; // z = −4: P ≈ 0.02, nothing to explain
    live();
    service['cache'].clear();
    expect(await service.runOnce('SS01_DOMINANT')).toBe('ok');
    expect(service.models()[0]!.contributions).toBeNull();
  });
});
