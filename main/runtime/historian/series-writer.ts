/**
 * Appending to a series inside the caller's transaction: new points go into a small
 * unsealed segment; once a series' unsealed points reach a block's worth (or span too
 * long), they are merged with the new ones and re-encoded as large sealed blocks. The
 * per-series counters are staged and only adopted by the caller after the commit.
 */
import { performance } from 'node:perf_hooks';
import type { TagValue } from '../../../protocols/driver.js';
import type { SeriesStore } from './series-store.js';
import { decodeSampleBlock, encodeSampleBlock, reasonAt, valueAt } from './sample-block.js';
import { decodeRollupBlock, encodeRollupBlock } from './rollup-block.js';
import { RollupRows, TIER_RAW, TIER_WIDTH_MS, type Tier } from './rollups.js';
import { appendBuckets, decodeCarried, encodeCarried } from './carried-rollups.js';
import type { RollupColumns } from './rollup-block.js';

/** Raw points of one tag waiting to be written, as columns. */
export class PointColumns {
  readonly t: number[] = [];
  readonly v: TagValue[] = [];
  readonly q: number[] = [];
  readonly r: (string | undefined)[] = [];

  get length(): number {
    return this.t.length;
  }

  clear(): void {
    this.t.length = 0;
    this.v.length = 0;
    this.q.length = 0;
    this.r.length = 0;
  }

  push(t: number, v: TagValue, q: number, r: string | undefined): void {
    this.t.push(t);
    this.v.push(v);
    this.q.push(q);
    this.r.push(r);
  }
}

export interface SeriesState {
  readonly id: number;
  unsealedCount: number;
  firstUnsealedT: number;
  coveredTo: number;
}

/** How a kind of series is cut into blocks. */
export interface SealRule {
  readonly blockSize: number;
  /** Seal everything unsealed once it spans this long (slow tags still get sealed blocks). */
  readonly maxSpanMs: number;
  /**
   * Points (with the unsealed ones) that are written as a sealed block at once. Raw points
   * arrive a few minutes' worth per tag at a time (see recent-samples.ts), which is a good
   * block already; fewer (a slow tag) go to an unsealed segment and are merged later.
   */
  readonly minSealed: number;
}

export const SEAL_RULES: Readonly<Record<Tier, SealRule>> = {
  0: { blockSize: 4096, maxSpanMs: 6 * 3_600_000, minSealed: 256 },
  1: { blockSize: 1440, maxSpanMs: 86_400_000, minSealed: 1440 },
  2: { blockSize: 744, maxSpanMs: 31 * 86_400_000, minSealed: 744 },
};

interface Codec<C> {
  count(c: C): number;
  t(c: C, i: number): number;
  slice(c: C, from: number, to: number): C;
  concat(parts: C[]): C;
  encode(c: C): Uint8Array;
  decode(b: Uint8Array): C;
}

const pointCodec: Codec<PointColumns> = {
  count: (c) => c.t.length,
  t: (c, i) => c.t[i] as number,
  slice(c, from, to) {
    const out = new PointColumns();
    out.t.push(...c.t.slice(from, to));
    out.v.push(...c.v.slice(from, to));
    out.q.push(...c.q.slice(from, to));
    out.r.push(...c.r.slice(from, to));
    return out;
  },
  concat(parts) {
    if (parts.length === 1) return parts[0] as PointColumns;
    const out = new PointColumns();
    for (const p of parts) {
      for (let i = 0; i < p.t.length; i++) out.push(p.t[i] as number, p.v[i] as TagValue, p.q[i] as number, p.r[i]);
    }
    return out;
  },
  encode: (c) => encodeSampleBlock(c),
  decode(b) {
    const block = decodeSampleBlock(b);
    const out = new PointColumns();
    for (let i = 0; i < block.n; i++)
      out.push(block.t[i] as number, valueAt(block, i), block.q[i] as number, reasonAt(block, i));
    return out;
  },
};

function rollupCodec(widthMs: number): Codec<RollupRows> {
  const keys = ['t', 'count', 'good', 'min', 'max', 'first', 'last', 'sum'] as const;
  return {
    count: (c) => c.t.length,
    t: (c, i) => c.t[i] as number,
    slice(c, from, to) {
      const out = new RollupRows();
      for (const k of keys) out[k].push(...c[k].slice(from, to));
      return out;
    },
    concat(parts) {
      if (parts.length === 1) return parts[0] as RollupRows;
      const out = new RollupRows();
      for (const p of parts) for (const k of keys) for (const x of p[k]) out[k].push(x);
      return out;
    },
    encode: (c) => encodeRollupBlock(c, widthMs),
    decode(b) {
      const block = decodeRollupBlock(b);
      const out = new RollupRows();
      for (const k of keys) for (const x of block[k]) out[k].push(x);
      return out;
    },
  };
}

const codecs = { 0: pointCodec, 1: rollupCodec(TIER_WIDTH_MS[1]), 2: rollupCodec(TIER_WIDTH_MS[2]) } as const;

/**
 * Cut points into blocks of at most `blockSize` points spanning less than `maxSpanMs`
 * (so retention, which drops whole blocks, stays fine-grained for slow tags). Every
 * block but the last is sealed; the last one only when it holds `minSealed` points, else
 * it stays the series' unsealed tail.
 */
function writeBlocks<C>(store: SeriesStore, codec: Codec<C>, state: SeriesState, all: C, rule: SealRule): number {
  const n = codec.count(all);
  let start = 0;
  let id = 0;
  while (start < n) {
    const t0 = codec.t(all, start);
    let end = start + 1;
    while (end < n && end - start < rule.blockSize && codec.t(all, end) - t0 < rule.maxSpanMs) end++;
    const sealed = end < n || end - start >= rule.minSealed;
    const part = start === 0 && end === n ? all : codec.slice(all, start, end);
    id = store.insertSegment(state.id, t0, codec.t(all, end - 1), end - start, sealed, codec.encode(part));
    if (!sealed) {
      state.unsealedCount = end - start;
      state.firstUnsealedT = t0;
    }
    start = end;
  }
  return id;
}

/**
 * Rollup buckets a raw block carries (block_rollups): those completed since the tag's
 * previous raw block, and where its open buckets started (`minuteTo`, `hourTo`).
 */
export interface CarriedBuckets {
  readonly minute: RollupColumns;
  readonly hour: RollupColumns;
  readonly minuteTo: number;
  readonly hourTo: number;
}

/**
 * Re-encoding into sealed blocks is the CPU-heavy part: each transaction gets a time
 * budget for sealing, so that many series reaching their block size together (they do:
 * same rate, same start) are sealed over several slices, never in one long block of the
 * event loop. A series over its block size simply stays unsealed a little longer (up to
 * 8 blocks' worth, then it is sealed regardless, so the unsealed part stays bounded).
 */
export interface SealBudget {
  /** performance.now() after which no further series is sealed in this transaction. */
  readonly until: number;
}

/**
 * Append points (raw) or buckets (rollups) to a series; `state` is mutated (the staged
 * copy). Raw points may bring the rollup buckets they carry (`carry`): they go with the
 * last block written, and the buckets carried by unsealed blocks merged here move to it.
 */
export function appendToSeries(
  store: SeriesStore,
  tier: Tier,
  state: SeriesState,
  cols: PointColumns | RollupRows,
  budget: SealBudget,
  carry?: CarriedBuckets,
): void {
  const codec = codecs[tier] as Codec<PointColumns | RollupRows>;
  const rule = SEAL_RULES[tier];
  const n = codec.count(cols);
  if (n === 0) return;
  const first = state.unsealedCount > 0 ? state.firstUnsealedT : codec.t(cols, 0);
  const spanReached = codec.t(cols, n - 1) - first >= rule.maxSpanMs;
  const total = state.unsealedCount + n;
  const wantsSeal = total >= rule.minSealed || spanReached;
  // Points written straight into full blocks cost one encoding, like an unsealed segment;
  // merging unsealed ones costs a decode and a second encoding: that is what is budgeted.
  const merges = state.unsealedCount > 0;
  const deferred = merges && performance.now() > budget.until && state.unsealedCount < 8 * rule.blockSize;
  if (!wantsSeal || deferred) {
    const id = store.insertSegment(state.id, codec.t(cols, 0), codec.t(cols, n - 1), n, false, codec.encode(cols));
    if (carry) store.insertCarried(id, carry.minuteTo, carry.hourTo, encodeCarried(carry.minute, carry.hour));
    if (state.unsealedCount === 0) state.firstUnsealedT = codec.t(cols, 0);
    state.unsealedCount += n;
    return;
  }
  let all = cols;
  let carried = carry;
  if (state.unsealedCount > 0) {
    const rows = store.unsealed(state.id);
    const parts = rows.map((row) => codec.decode(row.data));
    if (tier === TIER_RAW) carried = gatherCarried(store, rows, carry);
    for (const row of rows) store.deleteSegment(row.id);
    parts.push(cols);
    all = codec.concat(parts);
  }
  state.unsealedCount = 0;
  state.firstUnsealedT = 0;
  const last = writeBlocks(store, codec, state, all, rule);
  if (carried) store.insertCarried(last, carried.minuteTo, carried.hourTo, encodeCarried(carried.minute, carried.hour));
}

/** The buckets carried by unsealed raw blocks about to be merged, followed by the new ones. */
function gatherCarried(
  store: SeriesStore,
  rows: ReadonlyArray<{ id: number }>,
  carry: CarriedBuckets | undefined,
): CarriedBuckets | undefined {
  const minute = new RollupRows();
  const hour = new RollupRows();
  let minuteTo = 0;
  let hourTo = 0;
  let any = false;
  for (const row of rows) {
    const c = store.carried(row.id);
    if (!c) continue;
    any = true;
    const decoded = decodeCarried(c.data);
    appendBuckets(minute, decoded.minute);
    appendBuckets(hour, decoded.hour);
    minuteTo = c.minute_to;
    hourTo = c.hour_to;
  }
  if (!any) return carry;
  if (carry) {
    appendBuckets(minute, carry.minute);
    appendBuckets(hour, carry.hour);
    minuteTo = carry.minuteTo;
    hourTo = carry.hourTo;
  }
  return { minute, hour, minuteTo, hourTo };
}
