/**
 * From `history.trend` replies to the column arrays uPlot draws. Pure.
 *
 * Every channel (a pen, its setpoint, a forecast band edge, a time-shifted overlay) is
 * queried on the same grid — the same bucket width and count, shifted in time for an
 * overlay — so bucket i of every channel lines up with x[i]: the x column is one entry per
 * bucket (its centre), and each channel gets min/max (the band, so spikes survive), the
 * average split in two series (Good buckets solid, buckets whose Good share is below 1
 * dashed) and the Good share itself.
 *
 * Empty buckets: the historian stores on change (deadband) with a heartbeat, so a bucket
 * with no stored sample usually means "no change", not "no data". An empty bucket within
 * `holdMs` of the last stored one repeats that bucket's last value (what the value was);
 * further away, or inside a gap the historian recorded, or past "now", it is null and
 * drawn as a gap. Nothing is ever interpolated.
 *
 * Outages: when a device stops answering, its driver keeps the last value with Bad quality
 * (every sample Bad, the value frozen). A bucket without a single Good sample whose value
 * never moved is such an outage and is drawn as a gap too — not as a flat dashed line that
 * looks like a steady process — and nothing is held over from it.
 */
import type { HistoryTrendDto } from '../../preload/contract.js';

/** The historian's default heartbeat for analog tags is 60 s; allow a little lateness. */
export const DEFAULT_HOLD_MS = 90_000;

/**
 * After a bucket that was not all Good, silence is not "unchanged": the last sample may have
 * been a Bad one from a device that stopped answering. Such a value is held only this long
 * (a few sample periods), then the line breaks.
 */
export const POOR_HOLD_MS = 5000;

export type Column = (number | null)[];

/** One channel's buckets as the historian answered them, before holding and splitting. */
export interface RawChannel {
  readonly tag: string;
  readonly min: Column;
  readonly max: Column;
  readonly avg: Column;
  readonly last: Column;
  readonly q: Column;
  /** Inside a gap the historian recorded. */
  readonly inGap: boolean[];
}

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
  /** Breaks in the line between its first and last drawn bucket (outages, recorded gaps, missing data). */
  readonly gaps: number;
}

export interface TrendFrame {
  readonly from: number;
  readonly to: number;
  readonly bucketMs: number;
  /** Bucket centres, ms since epoch. */
  readonly x: number[];
  /** One per channel, in the order the channels were asked for. */
  readonly pens: PenColumns[];
  /** The channels as answered (what a live slide shifts and re-derives). */
  readonly raw?: readonly RawChannel[];
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
  /** How long a value from a not-all-Good bucket is held (default POOR_HOLD_MS). */
  readonly poorHoldMs?: number;
}

/** A bucket counts as Good when (allowing for float error) every sample in it was Good. */
export const isAllGood = (q: number): boolean => q >= 0.9995;

/** A bucket with no Good sample whose value never moved: a frozen value from a device that stopped answering. */
export const isOutage = (min: number | null, max: number | null, q: number | null): boolean =>
  q !== null && q <= 0.0005 && min !== null && min === max;

interface Grid {
  readonly from: number;
  readonly bucketMs: number;
  readonly buckets: number;
}

/** `shiftMs`: the reply was asked for the range that far back (an overlay); it is drawn that much later. */
export function buildFrame(
  replies: readonly { tag: string; reply: HistoryTrendDto | null; shiftMs?: number }[],
  options: FrameOptions,
): TrendFrame {
  const buckets = Math.max(1, Math.floor(options.buckets));
  const bucketMs = Math.max(1, (options.to - options.from) / buckets);
  const grid = { from: options.from, bucketMs, buckets };
  const raw = replies.map(({ tag, reply, shiftMs }) => rawChannel(tag, reply, grid, shiftMs ?? 0));
  return frameOf(grid, raw, options.nowMs, options.holdMs);
}

/**
 * `sameX`: the bucket centres of a frame on the very same grid (kept rather than computed again);
 * `derived`: a channel's columns already derived from the very same answers on that grid.
 */
function frameOf(
  grid: Grid,
  raw: readonly RawChannel[],
  nowMs: number,
  holdMs = DEFAULT_HOLD_MS,
  sameX?: number[],
  derived?: (channel: number) => PenColumns | undefined,
): TrendFrame {
  let x = sameX;
  if (!x || x.length !== grid.buckets) {
    x = new Array<number>(grid.buckets);
    for (let i = 0; i < grid.buckets; i++) x[i] = Math.round(grid.from + (i + 0.5) * grid.bucketMs);
  }
  const pens = raw.map((r, c) => derived?.(c) ?? derive(r, grid, nowMs, holdMs));
  return {
    from: grid.from,
    to: Math.round(grid.from + grid.buckets * grid.bucketMs),
    bucketMs: grid.bucketMs,
    x,
    pens,
    raw,
  };
}

const nulls = (n: number): Column => new Array<number | null>(n).fill(null);

/**
 * A reply's buckets placed on the grid. A reply for a time-shifted channel is placed `shiftMs` later.
 * `first`: only the grid's buckets from that one on (entry 0 is bucket `first`), for a live tail.
 */
export function rawChannel(tag: string, reply: HistoryTrendDto | null, grid: Grid, shiftMs = 0, first = 0): RawChannel {
  const n = grid.buckets;
  const size = Math.max(0, n - first);
  const min = nulls(size);
  const max = nulls(size);
  const avg = nulls(size);
  const last = nulls(size);
  const q = nulls(size);
  const inGap: boolean[] = new Array<boolean>(size).fill(false);
  const indexOf = (t: number) => Math.floor((t + shiftMs - grid.from) / grid.bucketMs + 1e-9);
  if (reply) {
    for (let k = 0; k < reply.t.length; k++) {
      const i = indexOf(reply.t[k] as number);
      if (i < first || i >= n) continue;
      const j = i - first;
      min[j] = reply.min[k] ?? null;
      max[j] = reply.max[k] ?? null;
      avg[j] = reply.avg[k] ?? null;
      last[j] = reply.last[k] ?? null;
      q[j] = reply.q[k] ?? null;
    }
    for (const gap of reply.gaps) {
      const a = Math.max(first, indexOf(gap.from));
      const b = Math.min(n - 1, indexOf(gap.to));
      for (let i = a; i <= b; i++) inGap[i - first] = true;
    }
  }
  return { tag, min, max, avg, last, q, inGap };
}

/** Holding, outages and the Good/not-Good split: what is drawn from what was answered. */
export function derive(raw: RawChannel, grid: Grid, nowMs: number, holdMs = DEFAULT_HOLD_MS): PenColumns {
  const n = grid.buckets;
  const min = raw.min.slice();
  const max = raw.max.slice();
  const avg = raw.avg.slice();
  const q = raw.q.slice();
  const held: boolean[] = new Array<boolean>(n).fill(false);
  let stored = 0;
  let holdValue: number | null = null;
  let holdQ: number | null = null;
  let holdFrom = -Infinity;
  for (let i = 0; i < n; i++) {
    const start = grid.from + i * grid.bucketMs;
    if (avg[i] !== null) {
      if (isOutage(min[i] ?? null, max[i] ?? null, q[i] ?? null)) {
        min[i] = max[i] = avg[i] = q[i] = null;
        holdValue = null;
        continue;
      }
      stored++;
      holdValue = raw.last[i] ?? null;
      holdQ = q[i] ?? null;
      holdFrom = start;
      continue;
    }
    if (raw.inGap[i]) {
      holdValue = null;
      continue;
    }
    const limit = holdQ !== null && isAllGood(holdQ) ? holdMs : Math.min(holdMs, POOR_HOLD_MS);
    if (holdValue === null || start > nowMs || start - holdFrom > limit) continue;
    min[i] = max[i] = avg[i] = holdValue;
    q[i] = holdQ;
    held[i] = true;
  }
  const avgGood = nulls(n);
  const avgPoor = nulls(n);
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
  return { tag: raw.tag, min, max, avg, avgGood, avgPoor, q, held, stored, gaps: countGaps(avg) };
}

/** Runs of empty buckets between the first and the last bucket with a value. */
export function countGaps(column: Column): number {
  let gaps = 0;
  let seen = false;
  let open = false;
  for (const v of column) {
    if (v === null) {
      if (seen) open = true;
    } else {
      if (open) gaps++;
      open = false;
      seen = true;
    }
  }
  return gaps;
}

/**
 * A live frame one step on: the window ends at `to` (a whole number of buckets later than
 * the frame's end), the buckets that fell off the left are dropped, and the channels' tail
 * replies (asked for `tailFrom` … `to`, one bucket each, shifted like their channel) replace
 * the newest buckets. Only the tail was queried; the rest is re-derived from what the frame
 * already had, so nothing is re-fetched and nothing is re-created. When the window has not
 * moved by a bucket and the tail brought nothing new, the same frame is returned (nothing to draw).
 */
export function slideFrame(
  frame: TrendFrame,
  tails: readonly { reply: HistoryTrendDto | null; shiftMs: number }[],
  tailFrom: number,
  to: number,
  nowMs: number,
  holdMs = DEFAULT_HOLD_MS,
): TrendFrame {
  const raw = frame.raw;
  if (!raw) return frame;
  const n = frame.x.length;
  const bucketMs = frame.bucketMs;
  const steps = Math.max(0, Math.round((to - frame.to) / bucketMs));
  const grid: Grid = { from: frame.from + steps * bucketMs, bucketMs, buckets: n };
  const first = Math.min(n, Math.max(0, Math.floor((tailFrom - grid.from) / bucketMs + 1e-9)));
  /** Per channel, the frame's own columns still hold (not slid, the tail repeated what it had). */
  const kept: boolean[] = raw.map(() => false);
  const shifted = raw.map((channel, c): RawChannel => {
    const tail = tails[c];
    // The tail's buckets only (entry j is bucket first + j).
    const fresh = tail ? rawChannel(channel.tag, tail.reply, grid, tail.shiftMs, first) : null;
    if (steps === 0 && (!fresh || sameBuckets(channel, fresh, first))) {
      kept[c] = true;
      return channel;
    }
    const move = <T>(column: readonly T[], empty: T): T[] => {
      const out = column.slice(steps);
      while (out.length < n) out.push(empty);
      return out;
    };
    const next = {
      tag: channel.tag,
      min: move(channel.min, null),
      max: move(channel.max, null),
      avg: move(channel.avg, null),
      last: move(channel.last, null),
      q: move(channel.q, null),
      inGap: move(channel.inGap, false),
    };
    if (!fresh) return next;
    for (let i = first; i < n; i++) {
      const j = i - first;
      next.min[i] = fresh.min[j] ?? null;
      next.max[i] = fresh.max[j] ?? null;
      next.avg[i] = fresh.avg[j] ?? null;
      next.last[i] = fresh.last[j] ?? null;
      next.q[i] = fresh.q[j] ?? null;
      next.inGap[i] = fresh.inGap[j] ?? false;
    }
    return next;
  });
  // Same buckets, same answers: re-deriving would give the same columns (every bucket already starts before now).
  if (kept.every(Boolean)) return frame;
  // Not slid: the same grid, the same bucket centres, and the same columns for a channel whose answers did not change.
  return frameOf(grid, shifted, nowMs, holdMs, steps === 0 ? frame.x : undefined, (c) =>
    kept[c] ? frame.pens[c] : undefined,
  );
}

/** The tail's buckets (entry j is bucket first + j) are what the channel already has from `first` on. */
function sameBuckets(channel: RawChannel, tail: RawChannel, first: number): boolean {
  for (let i = first; i < channel.avg.length; i++) {
    const j = i - first;
    if (
      channel.avg[i] !== (tail.avg[j] ?? null) ||
      channel.min[i] !== (tail.min[j] ?? null) ||
      channel.max[i] !== (tail.max[j] ?? null) ||
      channel.last[i] !== (tail.last[j] ?? null) ||
      channel.q[i] !== (tail.q[j] ?? null) ||
      channel.inGap[i] !== (tail.inGap[j] ?? false)
    )
      return false;
  }
  return true;
}

/**
 * How far back each live second asks again. A sample reaches the history some time after
 * its timestamp (a Modbus read is stamped when it is sent; the historian makes what it
 * received queryable once a second, later while the station is busy), so a bucket asked for
 * once and never again keeps missing what arrived late. One such sample matters: the single
 * Bad sample a device's tags get when it stops answering. Missed, the bucket looks empty,
 * the last Good value is held over it, and the outage is drawn as a flat line.
 */
export const LATE_SAMPLE_MS = 15_000;

/**
 * What a live second asks for: from `lateMs` (at least one bucket) before the frame's end
 * to the first bucket boundary at or after `nowMs`, in whole buckets of the frame's grid.
 * `slideFrame` replaces those buckets with the answer, so a sample that arrived late is drawn
 * once it is there.
 */
export function liveTail(
  frame: Pick<TrendFrame, 'from' | 'to' | 'bucketMs'>,
  nowMs: number,
  lateMs = LATE_SAMPLE_MS,
): { from: number; to: number; buckets: number } {
  const bucketMs = frame.bucketMs;
  const to = Math.max(frame.to, Math.ceil(nowMs / bucketMs) * bucketMs);
  const back = Math.max(1, Math.ceil(lateMs / bucketMs));
  const from = Math.max(frame.from, frame.to - back * bucketMs);
  return { from, to, buckets: Math.max(1, Math.round((to - from) / bucketMs)) };
}

/**
 * The grid of a live window: whole buckets of a whole number of ms, ending at the first
 * bucket boundary at or after `nowMs`, so one second later the same buckets are still the
 * same buckets (a slide moves by whole buckets).
 */
export function liveGrid(
  spanMs: number,
  buckets: number,
  nowMs: number,
): { from: number; to: number; bucketMs: number; buckets: number } {
  const n = Math.max(1, Math.floor(buckets));
  const bucketMs = Math.max(1, Math.ceil(spanMs / n));
  const to = Math.ceil(nowMs / bucketMs) * bucketMs;
  return { from: to - n * bucketMs, to, bucketMs, buckets: n };
}

/** The bucket nearest to a time that has a value for the pen, within `reach` buckets (for the cursor readout). */
export function valueIndexNear(pen: PenColumns, index: number, reach = 2): number | null {
  for (let d = 0; d <= reach; d++) {
    if (pen.avg[index - d] != null) return index - d;
    if (pen.avg[index + d] != null) return index + d;
  }
  return null;
}

/** The bucket whose centre is nearest to a time (clamped to the frame). */
export function indexAt(frame: Pick<TrendFrame, 'from' | 'bucketMs' | 'x'>, ms: number): number {
  if (frame.x.length === 0) return 0;
  const i = Math.floor((ms - frame.from) / frame.bucketMs);
  return Math.min(frame.x.length - 1, Math.max(0, i));
}
