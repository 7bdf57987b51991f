/**
 * A model's window is read from history at activation, fed by the live tag stream between
 * runs, and checked against history every few minutes — so a scheduled run does not query
 * history, yet a sample that only history has (written late, or by another path) still
 * reaches the window at the next check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelManifestSchema } from '../../main/runtime/predictions/model-manifest.js';
import { PredictionService, type HistorySource } from '../../main/runtime/predictions/prediction-service.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import type { Sample } from '../../protocols/driver.js';

const onnxFile = join(import.meta.dirname, '../fixtures/models/window-mean.onnx');
const bytes = readFileSync(onnxFile);
const T = 'SS01.HX.T_SEC_SUP';
const P = 'SS01.HM.POWER';
const manifest = modelManifestSchema.parse({
  manifestVersion: 1,
  name: 'SS01_WARM',
  version: '1.0.0',
  kind: 'forecast',
  description: { en: 'window mean (test model)' },
  file: 'window-mean.onnx',
  sha256: createHash('sha256').update(bytes).digest('hex'),
  opset: 13,
  input: {
    tensor: 'x',
    periodS: 60,
    window: 4,
    tags: [T, P].map((tag) => ({ tag, mean: 0, std: 1, trainingRange: [-1000, 1000] })),
  },
  output: { tensor: 'y', values: [{ name: 'T_MEAN', description: { en: 'mean' }, index: 0, decimals: 3 }] },
  schedule: { everyS: 3600 },
  card: { trainingData: 'none (test)', metrics: {}, date: '2026-11-30', codeRevision: 'test' },
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('the warm window', () => {
  it('reads history at activation, runs from the live stream, and checks against history every few minutes', async () => {
    const stored: Sample[] = [];
    let queries = 0;
    const history: HistorySource = {
      queryRaw: (tag, from, to) => {
        queries++;
        const own = stored.filter((s) => s.tag === tag && s.sourceTime >= from && s.sourceTime <= to);
        return { t: own.map((s) => s.sourceTime), v: own.map((s) => s.value as number), q: own.map(() => 0), gaps: [] };
      },
    };
    let now = Math.floor(Date.now() / 60_000) * 60_000;
    const tags = new TagTable([T, P]);
    const service = new PredictionService({
      tags,
      history,
      alarms: null,
      log: createLogger({ level: 'silent' }),
      now: () => now,
    });
    cleanups.push(() => service.stop());
    const sample = (tag: string, value: number, at: number): Sample => ({
      tag,
      value,
      quality: { code: 'Good' },
      sourceTime: at,
      receiveTime: Date.now(),
    });
    // More history than the window and the look-back before it (15 min) reach.
    for (let k = 30; k >= 0; k--) stored.push(sample(T, 10, now - k * 60_000), sample(P, 0, now - k * 60_000));
    tags.apply([sample(T, 10, now), sample(P, 0, now)]);
    await service.activate({ manifest, manifestFile: 'warm.model.yaml', onnxFile, bytes });
    expect(queries).toBe(2); // the window read ahead, one query per input
    const mean = () => tags.get('SS01.WARM.T_MEAN')!.value;

    expect(await service.runOnce('SS01_WARM')).toBe('ok');
    expect(mean()).toBe(10);
    expect(queries).toBe(2);
    // A minute later: the live stream brought 30; no history query.
    now += 60_000;
    tags.apply([sample(T, 30, now), sample(P, 0, now)]);
    expect(await service.runOnce('SS01_WARM')).toBe('ok');
    expect(mean()).toBe(15); // 10, 10, 10, 30
    expect(queries).toBe(2);
    // History has a value the live stream never delivered (written by another path): it arrives at the next check.
    now += 60_000;
    stored.push(sample(T, 50, now - 30_000));
    expect(await service.runOnce('SS01_WARM')).toBe('ok');
    expect(mean()).toBe(20); // 10, 10, 30, 30 (not seen yet)
    now += 5 * 60_000;
    expect(await service.runOnce('SS01_WARM')).toBe('ok');
    expect(queries).toBe(4);
    // Steps now−3…now: the 50 carried forward from history's sample, as history says.
    expect(mean()).toBe(50);
  });

  it('keeps one window per model, so a shorter window on the same tag does not trim a longer one', async () => {
    const queried: string[] = [];
    const history: HistorySource = {
      // A sample a minute, from well before any window to its end.
      queryRaw: (tag, from, to) => {
        queried.push(`${tag}@${from}`);
        const t: number[] = [];
        for (let at = Math.floor(from / 60_000) * 60_000; at <= to; at += 60_000) t.push(at);
        return { t, v: t.map(() => 1), q: t.map(() => 0), gaps: [] };
      },
    };
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const tags = new TagTable([T, P]);
    const service = new PredictionService({
      tags,
      history,
      alarms: null,
      log: createLogger({ level: 'silent' }),
      now: () => now,
    });
    cleanups.push(() => service.stop());
    tags.apply(
      [T, P].map((tag) => ({ tag, value: 1, quality: { code: 'Good' as const }, sourceTime: now, receiveTime: now })),
    );
    const long = modelManifestSchema.parse({
      ...manifest,
      name: 'SS01_LONG',
      input: { ...manifest.input, periodS: 600 },
    }); // the same 4 steps, ten minutes apart
    await service.activate({ manifest, manifestFile: 'warm.model.yaml', onnxFile, bytes });
    await service.activate({ manifest: long, manifestFile: 'long.model.yaml', onnxFile, bytes });
    const afterActivation = queried.length;
    for (let i = 0; i < 3; i++) {
      await service.runOnce('SS01_WARM');
      await service.runOnce('SS01_LONG');
    }
    // Each run works from its own warm window: no model reads its whole window again.
    expect(queried.length).toBe(afterActivation);
  });
});
