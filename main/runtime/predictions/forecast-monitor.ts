/**
 * How a forecast is doing in the plant: for each output that names the tag it forecasts
 * and its horizon, the mean absolute error over the last 24 hours between what it said
 * and what happened `horizonMin` later, against the error on its card. Degraded when the
 * realized error is more than 1.5 × the card's. Pure: series in, figures out.
 */
import type { ModelManifest } from './model-manifest.js';

export interface Series {
  readonly t: readonly number[];
  readonly v: readonly (number | boolean | string | null)[];
  readonly q: readonly number[];
}

export interface ForecastCheck {
  readonly output: string;
  readonly target: string;
  readonly horizonMin: number;
  /** Forecasts whose outcome is known (the horizon has passed). */
  readonly samples: number;
  readonly realizedMae: number | null;
  readonly cardMae: number | null;
  readonly degraded: boolean;
}

export const DEGRADED_FACTOR = 1.5;

/** The value of `series` at `at` (last good value at or before), or null. */
function valueAt(series: Series, at: number, from: number): { value: number | null; index: number } {
  let i = from;
  while (i + 1 < series.t.length && series.t[i + 1]! <= at) i++;
  const v = series.v[i];
  return { value: i >= 0 && series.t[i]! <= at && series.q[i] !== 2 && typeof v === 'number' ? v : null, index: i };
}

export function forecastError(
  forecast: Series,
  actual: Series,
  horizonMs: number,
): { samples: number; mae: number | null } {
  let sum = 0;
  let n = 0;
  let cursor = -1;
  for (let i = 0; i < forecast.t.length; i++) {
    const f = forecast.v[i];
    if (forecast.q[i] === 2 || typeof f !== 'number') continue;
    const found = valueAt(actual, forecast.t[i]! + horizonMs, cursor);
    cursor = Math.max(-1, found.index);
    if (found.value === null) continue;
    sum += Math.abs(f - found.value);
    n++;
  }
  return { samples: n, mae: n === 0 ? null : sum / n };
}

/** The outputs that can be checked: a target, a horizon, and the median (or no quantile). */
export function checkableOutputs(m: ModelManifest): ModelManifest['output']['values'] {
  return m.output.values.filter(
    (o) => o.target !== undefined && o.horizonMin !== undefined && (o.quantile === undefined || o.quantile === 0.5),
  );
}

export function judge(
  m: ModelManifest,
  output: ModelManifest['output']['values'][number],
  result: { samples: number; mae: number | null },
): ForecastCheck {
  const cardMae = output.cardMetric !== undefined ? (m.card.metrics[output.cardMetric] ?? null) : null;
  return {
    output: output.name,
    target: output.target!,
    horizonMin: output.horizonMin!,
    samples: result.samples,
    realizedMae: result.mae === null ? null : Math.round(result.mae * 1000) / 1000,
    cardMae,
    degraded: result.mae !== null && cardMae !== null && result.mae > DEGRADED_FACTOR * cardMae,
  };
}
