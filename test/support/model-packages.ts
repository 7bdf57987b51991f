/**
 * Small model packages for the console's end-to-end tests, built on the test ONNX model
 * (test/fixtures/models/window-mean.onnx: input x [N, 4, 2], output y = [mean ch0,
 * mean ch1, last ch0]) and the demo plant's tags. Copied into a station's
 * `<data>/models/` they load as imported packages (after start or a rescan):
 *
 * - SS01_E2E_FAULTS 1.0.0, a classifier: P_NORMAL, P_HX_FOULING (≈ heat power / 2000 kW,
 *   above 0.2 raises a predictive alarm), P_STUCK_VALVE; and 1.1.0, which reads a window of
 *   5 (the ONNX file takes 4): valid on paper, refused at activation, 1.0.0 kept.
 * - SS01_E2E_FORECAST 1.0.0: supply temperature "in 20 min": P50 the window's mean, P10
 *   the last value − 3 K, P90 the heat meter's supply temperature + 3 K; P50 above 0 °C
 *   raises a predictive alarm ("in about 20 min").
 * - SS01_E2E_REFUSED 1.0.0: its training range excludes the plant's supply temperature,
 *   so the quality gate gives no number and the outputs go Bad with the reason.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { stringify } from 'yaml';

const fixture = join(import.meta.dirname, '../fixtures/models/window-mean.onnx');

const card = (what: string) => ({
  trainingData: `none: ${what} (end-to-end test package)`,
  metrics: { heldout_windows: 12, macro_f1: 0.5, lead_time_median_min: 25, lead_time_worst_min: 5 },
  date: '2026-11-30',
  codeRevision: 'e2e-test',
  notes: 'Built from the window-mean test model; not for a plant.',
});

const T = 'SS01.HX.T_SEC_SUP';
const P = 'SS01.HM.POWER';

function base(
  name: string,
  version: string,
  kind: string,
  onnx: string,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    manifestVersion: 1,
    name,
    version,
    kind,
    file: onnx,
    sha256: createHash('sha256').update(readFileSync(fixture)).digest('hex'),
    opset: 13,
    schedule: { everyS: 5 },
    ...extra,
  };
}

function input(tags: { tag: string; mean: number; std: number; trainingRange: [number, number] }[], window = 4) {
  return { tensor: 'x', periodS: 5, window, tags, maxMissingShare: 0.5, fill: 'previous' };
}

export function faultsManifest(version: string, window = 4): Record<string, unknown> {
  return base('SS01_E2E_FAULTS', version, 'classifier', 'e2e-faults.onnx', {
    description: { en: 'End-to-end test classifier', zh: '端到端测试分类器' },
    input: input(
      [
        { tag: T, mean: 60, std: 1000, trainingRange: [-50, 200] },
        { tag: P, mean: 0, std: 2000, trainingRange: [-100, 10_000] },
      ],
      window,
    ),
    output: {
      tensor: 'y',
      values: [
        {
          name: 'P_NORMAL',
          description: { en: 'Probability of normal operation', zh: '正常运行概率' },
          index: 0,
          label: 'normal',
          decimals: 3,
          denormalize: { mean: 0.4, std: 1 },
        },
        {
          name: 'P_HX_FOULING',
          description: { en: 'Probability of heat exchanger fouling', zh: '换热器结垢概率' },
          index: 1,
          label: 'hx-fouling',
          decimals: 3,
        },
        {
          name: 'P_STUCK_VALVE',
          description: { en: 'Probability of a sticking control valve', zh: '调节阀卡涩概率' },
          index: 2,
          label: 'stuck-valve',
          decimals: 3,
          denormalize: { mean: 0.03, std: 1 },
        },
      ],
    },
    thresholds: [
      {
        output: 'P_HX_FOULING',
        above: 0.2,
        forRuns: 1,
        priority: 'low',
        message: { en: 'Predicted: heat exchanger fouling developing (test)', zh: '预测:换热器结垢正在发展(测试)' },
        action: { en: 'Plan a chemical cleaning of the plate pack (test).', zh: '安排板片化学清洗(测试)。' },
        equipment: 'HX',
      },
    ],
    card: card('classifier'),
  });
}

/**
 * Supply temperature "in 20 min" from the window-mean model: P50 its first output, P90 its
 * second, P10 its third, each shifted back to °C (P10 − 3 K, P90 + 3 K). `p50Chinese` is
 * the median's description in Chinese, where the package carries one.
 */
function supplyForecast(tRange: [number, number], p50Chinese?: string) {
  const value = (name: string, en: string, index: number, quantile: number, mean: number) => ({
    name,
    description: { en, ...(quantile === 0.5 && p50Chinese ? { zh: p50Chinese } : {}) },
    unit: '°C',
    index,
    horizonMin: 20,
    quantile,
    decimals: 1,
    denormalize: { mean, std: 1000 },
  });
  return {
    input: input([
      { tag: T, mean: 0, std: 1000, trainingRange: tRange },
      { tag: 'SS01.HM.T_SUP', mean: 0, std: 1000, trainingRange: [-50, 200] },
    ]),
    output: {
      tensor: 'y',
      values: [
        value('T_SUP_20M_P50', 'Supply temperature in 20 min, median', 0, 0.5, 0),
        value('T_SUP_20M_P10', 'Supply temperature in 20 min, lower band edge (10 %)', 2, 0.1, -3),
        value('T_SUP_20M_P90', 'Supply temperature in 20 min, upper band edge (90 %)', 1, 0.9, 3),
      ],
    },
  };
}

export function forecastManifest(): Record<string, unknown> {
  return base('SS01_E2E_FORECAST', '1.0.0', 'forecast', 'e2e-forecast.onnx', {
    description: { en: 'End-to-end test forecast', zh: '端到端测试预测' },
    ...supplyForecast([-50, 200], '20分钟后供水温度,中位数'),
    thresholds: [
      {
        output: 'T_SUP_20M_P50',
        above: 0,
        forRuns: 1,
        priority: 'medium',
        message: { en: 'Supply temperature predicted above 0 °C (test)', zh: '预测供水温度高于0 °C(测试)' },
        action: { en: 'Nothing: this is a test alarm.' },
      },
    ],
    card: card('forecast'),
  });
}

export function refusedManifest(): Record<string, unknown> {
  return base('SS01_E2E_REFUSED', '1.0.0', 'forecast', 'e2e-refused.onnx', {
    description: { en: 'End-to-end test forecast trained on another plant' },
    ...supplyForecast([500, 600]),
    card: card('refused forecast'),
  });
}

/** Write the test packages into a station's imported-models folder. */
export function writeTestModelPackages(modelsDir: string): void {
  mkdirSync(modelsDir, { recursive: true });
  const write = (file: string, manifest: Record<string, unknown>) => {
    copyFileSync(fixture, join(modelsDir, manifest['file'] as string));
    writeFileSync(join(modelsDir, file), stringify(manifest));
  };
  write('e2e-faults-1.0.0.model.yaml', faultsManifest('1.0.0'));
  write('e2e-faults-1.1.0.model.yaml', faultsManifest('1.1.0', 5));
  write('e2e-forecast.model.yaml', forecastManifest());
  write('e2e-refused.model.yaml', refusedManifest());
}
