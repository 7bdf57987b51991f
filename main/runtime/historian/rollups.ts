/**
 * Rollup tiers and the accumulator that maintains a tier's current bucket as stored
 * samples arrive. A bucket is emitted when the first sample of a later bucket arrives;
 * the bucket still open lives in memory (after a restart it is rebuilt from the raw
 * samples after the tier's `covered_to`). Pure.
 */
import type { RollupColumns } from './rollup-block.js';

export const TIER_RAW = 0;
export const TIER_MINUTE = 1;
export const TIER_HOUR = 2;
export type Tier = typeof TIER_RAW | typeof TIER_MINUTE | typeof TIER_HOUR;

export const TIER_WIDTH_MS: Readonly<Record<Tier, number>> = { 0: 0, 1: 60_000, 2: 3_600_000 };
export const TIER_NAMES: Readonly<Record<Tier, string>> = { 0: 'raw', 1: '1m', 2: '1h' };

/** Rollup buckets as parallel columns, appended to as buckets complete. */
export class RollupRows {
  readonly t: number[] = [];
  readonly count: number[] = [];
  readonly good: number[] = [];
  readonly min: number[] = [];
  readonly max: number[] = [];
  readonly first: number[] = [];
  readonly last: number[] = [];
  readonly sum: number[] = [];

  get length(): number {
    return this.t.length;
  }

  /** Append the buckets of `from` starting at or after `notBefore`. */
  append(from: RollupColumns, notBefore = -Infinity): void {
    for (let i = 0; i < from.t.length; i++) {
      const t = from.t[i] as number;
      if (t < notBefore) continue;
      this.t.push(t);
      this.count.push(from.count[i] as number);
      this.good.push(from.good[i] as number);
      this.min.push(from.min[i] as number);
      this.max.push(from.max[i] as number);
      this.first.push(from.first[i] as number);
      this.last.push(from.last[i] as number);
      this.sum.push(from.sum[i] as number);
    }
  }
}

export class RollupAccumulator {
  start = -Infinity;
  count = 0;
  good = 0;
  min = Infinity;
  max = -Infinity;
  first = 0;
  last = 0;
  sum = 0;

  constructor(readonly widthMs: number) {}

  /** Add a numeric sample; returns true when a completed bucket was appended to `out`. */
  add(t: number, value: number, isGood: boolean, out: RollupRows): boolean {
    let emitted = false;
    if (t >= this.start + this.widthMs) {
      emitted = this.emitTo(out);
      this.start = t - (t % this.widthMs);
      this.count = 0;
      this.good = 0;
      this.min = Infinity;
      this.max = -Infinity;
      this.sum = 0;
      this.first = value;
    } else if (t < this.start) {
      return false; // before the open bucket: only possible for samples older than covered_to
    }
    this.count++;
    if (isGood) this.good++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.last = value;
    this.sum += value;
    return emitted;
  }

  private emitTo(out: RollupRows): boolean {
    if (this.count === 0) return false;
    out.t.push(this.start);
    out.count.push(this.count);
    out.good.push(this.good);
    out.min.push(this.min);
    out.max.push(this.max);
    out.first.push(this.first);
    out.last.push(this.last);
    out.sum.push(this.sum);
    return true;
  }
}
