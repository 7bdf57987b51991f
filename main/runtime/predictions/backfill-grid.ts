/**
 * Backfill windows without rebuilding each one: the inputs are resampled once over the whole
 * range, normalized and laid out as one [steps, channels] tensor (time features included),
 * so the window ending at a step is a view into it. The quality gate's checks are answered
 * per window in constant time — missing steps from running counts, lowest and highest value
 * from sliding minima and maxima — and any window that would not pass them as it stands
 * (something missing, outside the training range, frozen) is left to `windowFromChannels`,
 * which fills and judges it exactly as a scheduled run does. Pure.
 */
import type { ModelManifest } from './model-manifest.js';
import { channelCount } from './feature-window.js';

type Input = ModelManifest['input'];

/** For each end index e ≥ window−1: the lowest (or highest) value in values[e−window+1 … e] (NaN ignored, NaN where all are). */
export function slidingExtreme(values: Float64Array, window: number, highest: boolean): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const deque = new Int32Array(values.length);
  let head = 0;
  let tail = 0;
  const better = highest ? (a: number, b: number) => a >= b : (a: number, b: number) => a <= b;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      while (tail > head && better(v, values[deque[tail - 1]!]!)) tail--;
      deque[tail++] = i;
    }
    while (tail > head && deque[head]! <= i - window) head++;
    if (i >= window - 1 && tail > head) out[i] = values[deque[head]!]!;
  }
  return out;
}

export class BackfillGrid {
  private readonly full: Float32Array;
  private readonly missingBefore: Int32Array[];
  private readonly lows: Float64Array[];
  private readonly highs: Float64Array[];
  readonly channels: number;

  constructor(
    private readonly input: Input,
    resampled: readonly Float64Array[],
    grid: readonly number[],
  ) {
    const channels = channelCount(input);
    this.channels = channels;
    const steps = grid.length;
    this.full = new Float32Array(steps * channels);
    this.missingBefore = [];
    this.lows = [];
    this.highs = [];
    input.tags.forEach((spec, c) => {
      const values = resampled[c]!;
      const missing = new Int32Array(steps + 1);
      for (let i = 0; i < steps; i++) {
        const v = values[i]!;
        missing[i + 1] = missing[i]! + (Number.isNaN(v) ? 1 : 0);
        this.full[i * channels + c] = (v - spec.mean) / spec.std;
      }
      this.missingBefore.push(missing);
      this.lows.push(slidingExtreme(values, input.window, false));
      this.highs.push(slidingExtreme(values, input.window, true));
    });
    if (input.timeFeatures) {
      const base = input.tags.length;
      for (let i = 0; i < steps; i++) {
        // As windowFromChannels: UTC hour of day and day of week.
        const d = new Date(grid[i]!);
        const hour = (d.getUTCHours() + d.getUTCMinutes() / 60) / 24;
        const day = (d.getUTCDay() + hour) / 7;
        this.full[i * channels + base] = Math.sin(2 * Math.PI * hour);
        this.full[i * channels + base + 1] = Math.cos(2 * Math.PI * hour);
        this.full[i * channels + base + 2] = Math.sin(2 * Math.PI * day);
        this.full[i * channels + base + 3] = Math.cos(2 * Math.PI * day);
      }
    }
  }

  /**
   * The window ending at grid index `end` (a view: copy it before the grid goes), or null
   * when it would not pass the gate untouched — then `windowFromChannels` decides.
   */
  window(end: number): Float32Array | null {
    const input = this.input;
    const start = end - input.window + 1;
    if (start < 0) return null;
    for (let c = 0; c < input.tags.length; c++) {
      if (this.missingBefore[c]![end + 1]! - this.missingBefore[c]![start]! > 0) return null;
      const spec = input.tags[c]!;
      const lo = this.lows[c]![end]!;
      const hi = this.highs[c]![end]!;
      if (!(lo >= spec.trainingRange[0] && hi <= spec.trainingRange[1])) return null;
      if (input.frozenBelow > 0 && (hi - lo) / spec.std < input.frozenBelow) return null;
    }
    return this.full.subarray(start * this.channels, (end + 1) * this.channels);
  }
}
