/**
 * Downsampling for trends (M4-style): a range cut into N pixel buckets, each keeping
 * first, last, min and max (so spikes survive at any zoom), plus average, count and
 * the share of Good quality. Fed either raw samples or rollup buckets. Pure.
 */

export interface TrendColumns {
  readonly tag: string;
  /** Which stored tier the buckets were computed from. */
  readonly tier: 'raw' | '1m' | '1h';
  readonly from: number;
  readonly to: number;
  readonly bucketMs: number;
  /** Bucket start times (ms since epoch); only buckets holding data are listed. */
  readonly t: number[];
  readonly min: number[];
  readonly max: number[];
  readonly avg: number[];
  readonly first: number[];
  readonly last: number[];
  readonly count: number[];
  /** Share of samples with Good quality, 0..1. */
  readonly q: number[];
}

export class TrendBuilder {
  readonly bucketMs: number;
  private readonly count: Float64Array;
  private readonly good: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly first: Float64Array;
  private readonly last: Float64Array;
  private readonly sum: Float64Array;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly buckets: number,
  ) {
    this.bucketMs = Math.max(1, (to - from) / buckets);
    this.count = new Float64Array(buckets);
    this.good = new Float64Array(buckets);
    this.min = new Float64Array(buckets).fill(Infinity);
    this.max = new Float64Array(buckets).fill(-Infinity);
    this.first = new Float64Array(buckets);
    this.last = new Float64Array(buckets);
    this.sum = new Float64Array(buckets);
  }

  private indexOf(t: number): number {
    if (t < this.from || t > this.to) return -1;
    const i = Math.floor((t - this.from) / this.bucketMs);
    return i >= this.buckets ? this.buckets - 1 : i;
  }

  addSample(t: number, value: number, isGood: boolean): void {
    const i = this.indexOf(t);
    if (i < 0 || !Number.isFinite(value)) return;
    if (this.count[i] === 0) this.first[i] = value;
    this.count[i] = (this.count[i] as number) + 1;
    if (isGood) this.good[i] = (this.good[i] as number) + 1;
    if (value < (this.min[i] as number)) this.min[i] = value;
    if (value > (this.max[i] as number)) this.max[i] = value;
    this.last[i] = value;
    this.sum[i] = (this.sum[i] as number) + value;
  }

  /** Add a rollup bucket starting at `t` (assigned to the pixel bucket holding its start). */
  addBucket(
    t: number,
    count: number,
    good: number,
    min: number,
    max: number,
    first: number,
    last: number,
    sum: number,
  ): void {
    const i = this.indexOf(t);
    if (i < 0 || count === 0) return;
    if (this.count[i] === 0) this.first[i] = first;
    this.count[i] = (this.count[i] as number) + count;
    this.good[i] = (this.good[i] as number) + good;
    if (min < (this.min[i] as number)) this.min[i] = min;
    if (max > (this.max[i] as number)) this.max[i] = max;
    this.last[i] = last;
    this.sum[i] = (this.sum[i] as number) + sum;
  }

  finish(tag: string, tier: TrendColumns['tier']): TrendColumns {
    const out: TrendColumns = {
      tag,
      tier,
      from: this.from,
      to: this.to,
      bucketMs: this.bucketMs,
      t: [],
      min: [],
      max: [],
      avg: [],
      first: [],
      last: [],
      count: [],
      q: [],
    };
    for (let i = 0; i < this.buckets; i++) {
      const n = this.count[i] as number;
      if (n === 0) continue;
      out.t.push(Math.round(this.from + i * this.bucketMs));
      out.min.push(this.min[i] as number);
      out.max.push(this.max[i] as number);
      out.avg.push((this.sum[i] as number) / n);
      out.first.push(this.first[i] as number);
      out.last.push(this.last[i] as number);
      out.count.push(n);
      out.q.push((this.good[i] as number) / n);
    }
    return out;
  }
}

/** The coarsest tier whose resolution still fits the pixel bucket width. */
export function pickTier(from: number, to: number, buckets: number): 0 | 1 | 2 {
  // 0.1 % slack so "3 hours in 3 buckets" with an inclusive end still reads hourly rollups.
  const bucketMs = ((to - from) / buckets) * 1.001;
  if (bucketMs >= 3_600_000) return 2;
  if (bucketMs >= 60_000) return 1;
  return 0;
}
