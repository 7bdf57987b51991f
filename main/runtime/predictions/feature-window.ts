/**
 * A model's input window from history, and the quality gate in front of it. Pure.
 *
 * Each channel is resampled to the manifest's period by carrying the last stored value
 * forward (history keeps changes and heartbeats, not every poll); a step inside a gap the
 * historian recorded (an outage), or before the first sample, is missing. Missing steps
 * are filled (previous value, or a straight line between neighbours) up to the manifest's
 * allowance. The gate refuses to give a number when an input is Bad now, missing beyond
 * the allowance, frozen, or outside the range the model was trained on — the reason names
 * the tag and says which.
 */
import type { ModelManifest } from './model-manifest.js';

export interface InputSeries {
  readonly tag: string;
  /** Stored samples in time order: time, value (null when not a number), quality 0 Good, 1 Uncertain, 2 Bad. */
  readonly t: readonly number[];
  readonly v: readonly (number | null)[];
  readonly q: readonly number[];
  /** Outages the historian recorded in the range. */
  readonly gaps: readonly { readonly from: number; readonly to: number }[];
  /** The live value now (tag table), which decides "Bad now". */
  readonly live: { readonly value: number | null; readonly bad: string | null };
}

export type WindowResult =
  | {
      readonly ok: true;
      readonly tensor: Float32Array;
      readonly dims: readonly [1, number, number];
      readonly filled: number;
      readonly end: number;
    }
  | { readonly ok: false; readonly reason: string };

type Input = ModelManifest['input'];

export function channelCount(input: Input): number {
  return input.tags.length + (input.timeFeatures ? 4 : 0);
}

/** The window's step times, oldest first, ending at `end` (aligned down to the period). */
export function stepTimes(input: Input, end: number): number[] {
  const period = input.periodS * 1000;
  const last = Math.floor(end / period) * period;
  return Array.from({ length: input.window }, (_, i) => last - (input.window - 1 - i) * period);
}

/** One channel at the step times: the last good value at or before each step; NaN where missing. */
export function resample(series: InputSeries, steps: readonly number[]): Float64Array {
  const out = new Float64Array(steps.length).fill(Number.NaN);
  let j = -1;
  let gap = 0;
  for (let k = 0; k < steps.length; k++) {
    const at = steps[k]!;
    while (j + 1 < series.t.length && series.t[j + 1]! <= at) j++;
    while (gap < series.gaps.length && series.gaps[gap]!.to < at) gap++;
    const inGap = gap < series.gaps.length && series.gaps[gap]!.from <= at && at <= series.gaps[gap]!.to;
    if (inGap || j < 0) continue;
    // The last stored sample at or before the step; a Bad one means "no value here".
    const v = series.v[j];
    if (series.q[j] === 2 || v === null || v === undefined || !Number.isFinite(v)) continue;
    out[k] = v;
  }
  return out;
}

/** Fill missing steps in place; returns how many were filled, or -1 if the channel has no value at all. */
export function fillGaps(values: Float64Array, method: Input['fill']): number {
  const firstGood = values.findIndex((v) => !Number.isNaN(v));
  if (firstGood < 0) return -1;
  let filled = 0;
  let prev = -1;
  for (let k = 0; k < values.length; k++) {
    if (Number.isNaN(values[k]!)) {
      filled++;
      continue;
    }
    if (method === 'linear' && prev >= 0 && k - prev > 1) {
      for (let m = prev + 1; m < k; m++)
        values[m] = values[prev]! + ((values[k]! - values[prev]!) * (m - prev)) / (k - prev);
    }
    prev = k;
  }
  // What is left: before the first value (take the first), and carried forward after.
  for (let k = 0; k < values.length; k++)
    if (Number.isNaN(values[k]!)) values[k] = k < firstGood ? values[firstGood]! : values[k - 1]!;
  return filled;
}

function percent(x: number): string {
  return `${Math.round(x * 100)} %`;
}

/** The model's input tensor [1, window, channels], or why there is no number. */
export function buildWindow(
  manifest: Pick<ModelManifest, 'input'>,
  series: readonly InputSeries[],
  end: number,
): WindowResult {
  const input = manifest.input;
  const steps = stepTimes(input, end);
  const channels: Float64Array[] = [];
  for (const spec of input.tags) {
    const s = series.find((x) => x.tag === spec.tag);
    if (!s) return { ok: false, reason: `input ${spec.tag} is not available` };
    if (s.live.bad !== null) return { ok: false, reason: `input ${spec.tag} is Bad: ${s.live.bad}` };
    channels.push(resample(s, steps));
  }
  return windowFromChannels(input, channels, steps);
}

/**
 * The gate and the tensor from channels already resampled at `steps` (NaN = missing).
 * Backfill resamples a whole range once and passes each window's slice here.
 */
export function windowFromChannels(
  input: Input,
  resampled: readonly Float64Array[],
  steps: readonly number[],
): WindowResult {
  const channels = channelCount(input);
  const tensor = new Float32Array(input.window * channels);
  let filledTotal = 0;
  for (let c = 0; c < input.tags.length; c++) {
    const spec = input.tags[c]!;
    const values = Float64Array.from(resampled[c]!);
    const missing = values.reduce((n, v) => n + (Number.isNaN(v) ? 1 : 0), 0);
    if (missing / input.window > input.maxMissingShare) {
      return {
        ok: false,
        reason: `input ${spec.tag}: ${percent(missing / input.window)} of the window is missing (the model allows ${percent(input.maxMissingShare)})`,
      };
    }
    const filled = fillGaps(values, input.fill);
    if (filled < 0) return { ok: false, reason: `input ${spec.tag}: no value in the window` };
    filledTotal += filled;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const [trainLo, trainHi] = spec.trainingRange;
    if (lo < trainLo || hi > trainHi) {
      const off = lo < trainLo ? lo : hi;
      return {
        ok: false,
        reason: `input ${spec.tag} = ${round(off)} is outside the range the model was trained on [${trainLo}, ${trainHi}]`,
      };
    }
    if (input.frozenBelow > 0 && (hi - lo) / spec.std < input.frozenBelow) {
      return {
        ok: false,
        reason: `input ${spec.tag} is frozen (no movement over the ${Math.round((input.window * input.periodS) / 60)} min window)`,
      };
    }
    for (let k = 0; k < input.window; k++) tensor[k * channels + c] = (values[k]! - spec.mean) / spec.std;
  }
  if (input.timeFeatures) {
    const base = input.tags.length;
    for (let k = 0; k < input.window; k++) {
      // UTC, as in training: the simulated plant's day runs on UTC.
      const d = new Date(steps[k]!);
      const hour = (d.getUTCHours() + d.getUTCMinutes() / 60) / 24;
      const day = (d.getUTCDay() + hour) / 7;
      tensor[k * channels + base] = Math.sin(2 * Math.PI * hour);
      tensor[k * channels + base + 1] = Math.cos(2 * Math.PI * hour);
      tensor[k * channels + base + 2] = Math.sin(2 * Math.PI * day);
      tensor[k * channels + base + 3] = Math.cos(2 * Math.PI * day);
    }
  }
  return { ok: true, tensor, dims: [1, input.window, channels], filled: filledTotal, end: steps[steps.length - 1]! };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
