/**
 * The manifest of a package around the window-mean test model (test/fixtures/models/:
 * input x [N, 4, 2] → y = [mean of channel 0, mean of channel 1, last of channel 0]),
 * reading supply temperature and heat power once a minute. `overrides` replace top-level fields.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The model's outputs, one by one: the mean and the last supply temperature (°C), the mean heat power (kW). */
export const windowMeanOutputs = {
  tMean: {
    name: 'T_MEAN',
    description: { en: 'Mean supply temperature' },
    unit: '°C',
    index: 0,
    denormalize: { mean: 60, std: 10 },
  },
  pMean: {
    name: 'P_MEAN',
    description: { en: 'Mean heat power' },
    unit: 'kW',
    index: 1,
    denormalize: { mean: 0, std: 100 },
  },
  tLast: {
    name: 'T_LAST',
    description: { en: 'Last supply temperature' },
    unit: '°C',
    index: 2,
    denormalize: { mean: 60, std: 10 },
  },
};

export function windowMeanManifest(onnxFile: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    manifestVersion: 1,
    name: 'SS01_TEST',
    version: '1.0.0',
    kind: 'forecast',
    description: { en: 'window mean (test model)' },
    file: 'model.onnx',
    sha256: createHash('sha256').update(readFileSync(onnxFile)).digest('hex'),
    opset: 13,
    input: {
      tensor: 'x',
      periodS: 60,
      window: 4,
      tags: [
        { tag: 'SS01.HX.T_SEC_SUP', mean: 60, std: 10, trainingRange: [20, 100] },
        { tag: 'SS01.HM.POWER', mean: 0, std: 100, trainingRange: [0, 2000] },
      ],
      maxMissingShare: 0.25,
    },
    output: {
      tensor: 'y',
      values: [{ ...windowMeanOutputs.tMean, horizonMin: 20 }, windowMeanOutputs.pMean, windowMeanOutputs.tLast],
    },
    schedule: { everyS: 3600 },
    thresholds: [
      {
        output: 'T_MEAN',
        below: 55,
        forRuns: 2,
        priority: 'high',
        message: { en: 'Supply temperature predicted below 55 °C' },
        action: { en: 'Check the primary valve and the heat exchanger' },
      },
    ],
    card: { trainingData: 'none (test)', metrics: { mae: 0 }, date: '2026-11-30', codeRevision: 'test' },
    ...overrides,
  };
}

/**
 * A station's models folder holding the window-mean test package as `SS01_MEAN` with the
 * given outputs (the REST prediction tests serve it from a real station).
 */
export function writeWindowMeanPackage(
  modelsDir: string,
  outputs: readonly unknown[] = [windowMeanOutputs.tMean],
): void {
  mkdirSync(modelsDir, { recursive: true });
  const onnx = join(modelsDir, 'window-mean.onnx');
  copyFileSync(join(import.meta.dirname, '../fixtures/models/window-mean.onnx'), onnx);
  const manifest = windowMeanManifest(onnx, {
    name: 'SS01_MEAN',
    file: 'window-mean.onnx',
    output: { tensor: 'y', values: outputs },
    thresholds: [],
    card: { trainingData: 'none (test)', metrics: {}, date: '2026-11-30', codeRevision: 'test' },
  });
  writeFileSync(join(modelsDir, 'mean.model.yaml'), stringify(manifest));
}
