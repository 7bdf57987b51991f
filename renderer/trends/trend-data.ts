/**
 * From `history.trend` replies to the column arrays uPlot draws. Pure.
 *
 * Every pen is queried with the same from/to/buckets, so bucket i of every pen covers the
 * same time: the x column is one entry per bucket (its centre), and each pen gets
 * min/max (the band, so spikes survive), the average split in two series (Good buckets
 * solid, buckets whose Good share is below 1 dashed) and the Good share itself.
 *
 * Empty buckets: the historian stores on change (deadband) with a heartbeat, so a bucket
 * with no stored sample usually means "no change", not "no data". An empty bucket within
 * `holdMs` of the last stored one repeats that bucket's last value (what the value was);
 * further away, or inside a gap the historian recorded, or past "now", it is null and
 * drawn as a gap. Nothing is ever interpolated.
 */
import type { HistoryTrendDto } from '../../preload/contract.js';

/** The historian's default heartbeat for analog tags is 60 s; allow a little lateness. */
export const DEFAULT_HOLD_MS = 90_000;

export type Column = (number | null)[];

export interface PenColumns {
  readonly tag: string;
  readonly min: Column;
  readonly max: Column;
  readonly avg: Column;
  /** avg where the whole bucket was Good (solid line). */
  readonly avgGood: Column;
  /** avg where part of the bucket was not Good, plus the neighbours it joins (dashed). */
  readonly avgPoor: Column;
  /** Share of Good quality per bucket, 0..1. */
  readonly q: Column;
  /** True where the bucket repeats the previous stored value (no sample in it). */
  readonly held: boolean[];
  /** Buckets holding stored samples (not held, not gaps). */
  readonly stored: number;
}

export interface TrendFrame {
  readonly from: number;
  readonly to: number;
  readonly bucketMs: number;
  /** Bucket centres, ms since epoch. */
  readonly x: number[];
  readonly pens: PenColumns[];
  /** Per pen, the forecast band around a median output (averages of its lower and upper quantile outputs), or null. */
  readonly bands?: readonly ({ readonly lower: Column; readonly upper: Column } | null)[];
}

export interface FrameOptions {
  readonly from: number;
  readonly to: number;
  readonly buckets: number;
  /** Buckets starting after this are in the future: always empty. */
  readonly nowMs: number;
  readonly holdMs?: number;
}

/** A bucket counts as Good when (allowing for float error) every sample in it was Good. */
export const isAllGood = (q: number): boolean => q >= 0.9995;

export function buildFrame(replies: readonly { tag: string; reply: HistoryTrendDto | null }[], options: FrameOptions): TrendFrame {
  const buckets = Math.max(1, Math.floor(options.buckets));
  const bucketMs = Math.max(1, (options.to - options.from) / buckets);
  const x: number[] = [];
  for (let i = 0; i < buckets; i++) x.push(Math.round(options.from + (i + 0.5) * bucketMs));
  const pens = replies.map(({ tag, reply }) => penColumns(tag, reply, { ...options, buckets }, bucketMs));
  return { from: options.from, to: options.to, bucketMs, x, pens };
}

function penColumns(tag: string, reply: HistoryTrendDto | null, o: FrameOptions, bucketMs: number): PenColumns {
  const n = o.buckets;
  const min: Column = new Array<number | null>(n).fill(null);
  const max: Column = new Array<number | null>(n).fill(null);
  const avg: Column = new Array<number | null>(n).fill(null);
  const last: Column = new Array<number | null>(n).fill(null);
  const q: Column = new Array<number | null>(n).fill(null);
  const held: boolean[] = new Array<boolean>(n).fill(false);
  const inGap: boolean[] = new Array<boolean>(n).fill(false);
  const indexOf = (t: number) => Math.floor((t - o.from) / bucketMs + 1e-9);
  let stored = 0;
  if (reply) {
    for (let k = 0; k < reply.t.length; k++) {
      const i = indexOf(reply.t[k] as number);
      if (i < 0 || i >= n) continue;
      if (avg[i] === null) stored++;
      min[i] = reply.min[k] ?? null;
      max[i] = reply.max[k] ?? null;
      avg[i] = reply.avg[k] ?? null;
      last[i] = reply.last[k] ?? null;
      q[i] = reply.q[k] ?? null;
    }
    for (const gap of reply.gaps) {
      const a = Math.max(0, indexOf(gap.from));
      const b = Math.min(n - 1, indexOf(gap.to));
      for (let i = a; i <= b; i++) inGap[i] = true;
    }
  }
  const holdMs = o.holdMs ?? DEFAULT_HOLD_MS;
  let holdValue: number | null = null;
  let holdQ: number | null = null;
  let holdFrom = -Infinity;
  for (let i = 0; i < n; i++) {
    const start = o.from + i * bucketMs;
    if (avg[i] !== null) {
      holdValue = last[i] ?? null;
      holdQ = q[i] ?? null;
      holdFrom = start;
      continue;
    }
    if (inGap[i]) {
      holdValue = null;
      continue;
    }
    if (holdValue === null || start > o.nowMs || start - holdFrom > holdMs) continue;
    min[i] = max[i] = avg[i] = holdValue;
    q[i] = holdQ;
    held[i] = true;
  }
  const avgGood: Column = new Array<number | null>(n).fill(null);
  const avgPoor: Column = new Array<number | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    const v = avg[i] ?? null;
    if (v === null) continue;
    if (isAllGood(q[i] ?? 0)) avgGood[i] = v;
    else {
      avgPoor[i] = v;
      // Join the dashed stretch to the solid line on both sides, so neither shows a hole.
      if (i > 0 && avgGood[i - 1] !== null) avgPoor[i - 1] = avgGood[i - 1] ?? null;
      if (i + 1 < n && avg[i + 1] !== null && isAllGood(q[i + 1] ?? 0)) avgPoor[i + 1] = avg[i + 1] ?? null;
    }
  }
  return { tag, min, max, avg, avgGood, avgPoor, q, held, stored };
}

/** The bucket nearest to a time that has a value for the pen, within `reach` buckets (for the cursor readout). */
export function valueIndexNear(pen: PenColumns, index: number, reach = 2): number | null {
  for (let d = 0; d <= reach; d++) {
    if (pen.avg[index - d] != null) return index - d;
    if (pen.avg[index + d] != null) return index + d;
  }
  return null;
}
