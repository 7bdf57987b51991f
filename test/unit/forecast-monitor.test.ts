/** Realized forecast error against the card: pairing each forecast with what happened a horizon later. */
import { describe, expect, it } from 'vitest';
import { forecastError, judge, checkableOutputs } from '../../main/runtime/predictions/forecast-monitor.js';
import { modelManifestSchema } from '../../main/runtime/predictions/model-manifest.js';

const H = 60 * 60_000;

describe('forecast monitoring', () => {
  it('compares each forecast with the actual value one horizon later (last value carried), skipping Bad and unknown outcomes', () => {
    const forecast = { t: [0, 60_000, 120_000, 180_000], v: [10, 12, null, 20], q: [0, 0, 2, 0] };
    // Actual values at H, H+60 s; nothing yet at H+180 s.
    const actual = { t: [H - 1000, H + 30_000], v: [11, 15], q: [0, 0] };
    const result = forecastError(forecast, actual, H);
    // 10 vs 11 (carried from H−1 s), 12 vs 15 (carried from H+30 s); the Bad forecast is skipped; 20 vs 15 at H+180 s (carried).
    expect(result).toEqual({ samples: 3, mae: (1 + 3 + 5) / 3 });
    expect(forecastError(forecast, { t: [], v: [], q: [] }, H)).toEqual({ samples: 0, mae: null });
  });

  it('judges degraded above 1.5 × the error on the card', () => {
    const m = modelManifestSchema.parse({
      manifestVersion: 1,
      name: 'SS01_F',
      version: '1.0.0',
      kind: 'forecast',
      description: { en: 'f' },
      file: 'f.onnx',
      sha256: '0'.repeat(64),
      opset: 13,
      input: {
        tensor: 'x',
        periodS: 60,
        window: 4,
        tags: [{ tag: 'SS01.HM.POWER', mean: 0, std: 1, trainingRange: [0, 1] }],
      },
      output: {
        tensor: 'y',
        values: [
          {
            name: 'P_60M_P50',
            description: { en: 'p' },
            index: 0,
            horizonMin: 60,
            quantile: 0.5,
            target: 'SS01.HM.POWER',
            cardMetric: 'mae_p',
          },
          {
            name: 'P_60M_P90',
            description: { en: 'p' },
            index: 1,
            horizonMin: 60,
            quantile: 0.9,
            target: 'SS01.HM.POWER',
          },
        ],
      },
      schedule: { everyS: 60 },
      card: { trainingData: 't', metrics: { mae_p: 40 }, date: 'd', codeRevision: 'r' },
    });
    const [median] = checkableOutputs(m);
    expect(checkableOutputs(m).map((o) => o.name)).toEqual(['P_60M_P50']);
    expect(judge(m, median!, { samples: 100, mae: 59 })).toMatchObject({
      degraded: false,
      cardMae: 40,
      realizedMae: 59,
    });
    expect(judge(m, median!, { samples: 100, mae: 61 })).toMatchObject({ degraded: true });
    expect(judge(m, median!, { samples: 0, mae: null })).toMatchObject({ degraded: false, realizedMae: null });
  });
});
