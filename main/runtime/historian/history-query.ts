/**
 * Reading history: raw samples of a range, and downsampled trends that pick the
 * coarsest tier fitting the pixel width (1-hour or 1-minute rollups, with the newest
 * part not yet rolled up read from raw samples). Works on any connection to the file,
 * including a read-only one.
 */
import type { TagValue } from '../../../protocols/driver.js';
import type { SegmentRow, SeriesStore } from './series-store.js';
import { decodeSampleBlock, reasonAt, valueAt } from './sample-block.js';
import { decodeRollupBlock, type RollupBlock } from './rollup-block.js';
import { decodeCarried } from './carried-rollups.js';
import { TrendBuilder, pickTier, type TrendColumns } from './downsample.js';
import { TIER_MINUTE, TIER_NAMES, TIER_RAW, TIER_WIDTH_MS, type Tier } from './rollups.js';

export interface HistoryGap {
  readonly from: number;
  readonly to: number;
  readonly samples: number;
  readonly reason: string;
}

/** Raw samples of one tag as columns (the wire form of `history.raw`). */
export interface RawColumns {
  readonly tag: string;
  readonly from: number;
  readonly to: number;
  readonly t: number[];
  readonly v: TagValue[];
  /** 0 Good, 1 Uncertain, 2 Bad. */
  readonly q: number[];
  /** Why the quality is not Good, where known. */
  readonly r: (string | null)[];
  /** True when `limit` cut the range short: ask again from the last t + 1. */
  readonly truncated: boolean;
  readonly gaps: HistoryGap[];
}

export interface TrendResult extends TrendColumns {
  readonly gaps: HistoryGap[];
}

export const DEFAULT_RAW_LIMIT = 100_000;
export const MAX_RAW_LIMIT = 1_000_000;
export const MAX_BUCKETS = 10_000;

/** The raw blocks of a tag overlapping [from, to], then its recent samples not in a block yet. */
export function* rawBlocks(
  store: SeriesStore,
  tag: string,
  seriesId: number | undefined,
  from: number,
  to: number,
): Generator<SegmentRow> {
  if (seriesId !== undefined) yield* store.segmentsInRange(seriesId, from, to);
  const recent = store.recent(tag);
  if (recent && recent.t_start <= to && recent.t_end >= from) yield recent;
}

export function queryRaw(
  store: SeriesStore,
  tag: string,
  from: number,
  to: number,
  limit = DEFAULT_RAW_LIMIT,
): RawColumns {
  const out: RawColumns = {
    tag,
    from,
    to,
    t: [],
    v: [],
    q: [],
    r: [],
    truncated: false,
    gaps: store.gaps(tag, from, to),
  };
  const series = store.series(tag, TIER_RAW);
  const max = Math.min(Math.max(1, limit), MAX_RAW_LIMIT);
  for (const row of rawBlocks(store, tag, series?.id, from, to)) {
    if (row.t_end < from) continue;
    const block = decodeSampleBlock(row.data);
    for (let i = 0; i < block.n; i++) {
      const t = block.t[i] as number;
      if (t < from) continue;
      if (t > to) return out;
      if (out.t.length >= max) {
        return { ...out, truncated: true };
      }
      out.t.push(t);
      out.v.push(valueAt(block, i));
      out.q.push(block.q[i] as number);
      out.r.push(reasonAt(block, i) ?? null);
    }
  }
  return out;
}

function addRaw(
  store: SeriesStore,
  tag: string,
  seriesId: number | undefined,
  from: number,
  to: number,
  builder: TrendBuilder,
): void {
  for (const row of rawBlocks(store, tag, seriesId, from, to)) {
    if (row.t_end < from) continue;
    const block = decodeSampleBlock(row.data);
    const { t, num, q } = block;
    for (let i = 0; i < block.n; i++) {
      const ti = t[i] as number;
      if (ti < from) continue;
      if (ti > to) return;
      builder.addSample(ti, num[i] as number, q[i] === 0);
    }
  }
}

export function queryTrend(store: SeriesStore, tag: string, from: number, to: number, buckets: number): TrendResult {
  const n = Math.min(Math.max(1, Math.floor(buckets)), MAX_BUCKETS);
  const builder = new TrendBuilder(from, to, n);
  const gaps = store.gaps(tag, from, to);
  const raw = store.series(tag, TIER_RAW);
  let tier: Tier = pickTier(from, to, n);
  let rawFrom = from;
  if (tier !== TIER_RAW) {
    // Buckets up to `covered_to` are in the tier's own series; later ones are carried with
    // the raw blocks (up to the last block's mark); raw samples after that.
    const rollup = store.series(tag, tier);
    const covered = rollup?.covered_to ?? 0;
    const width = TIER_WIDTH_MS[tier];
    const end = Math.min(to, covered - 1);
    if (rollup && end >= from) {
      for (const row of store.segmentsInRange(rollup.id, from - width, end))
        addBuckets(builder, decodeRollupBlock(row.data), from, end);
    }
    rawFrom = Math.max(from, covered);
    let carriedRows = 0;
    if (raw && rawFrom <= to) {
      for (const row of store.carriedInRange(raw.id, rawFrom, to)) {
        carriedRows++;
        const carried = decodeCarried(row.data);
        addBuckets(builder, tier === TIER_MINUTE ? carried.minute : carried.hour, rawFrom, to);
        rawFrom = Math.max(rawFrom, tier === TIER_MINUTE ? row.minute_to : row.hour_to);
      }
    }
    // No rollups at all (a text tag): raw samples, and said so.
    if (!rollup && carriedRows === 0) tier = TIER_RAW;
  }
  if (rawFrom <= to) addRaw(store, tag, raw?.id, rawFrom, to, builder);
  return { ...builder.finish(tag, TIER_NAMES[tier] as TrendColumns['tier']), gaps };
}

/** The buckets of a rollup block starting in [from, to]. */
function addBuckets(builder: TrendBuilder, block: RollupBlock, from: number, to: number): void {
  for (let i = 0; i < block.n; i++) {
    const ts = block.t[i] as number;
    if (ts < from || ts > to) continue;
    builder.addBucket(
      ts,
      block.count[i] as number,
      block.good[i] as number,
      block.min[i] as number,
      block.max[i] as number,
      block.first[i] as number,
      block.last[i] as number,
      block.sum[i] as number,
    );
  }
}
